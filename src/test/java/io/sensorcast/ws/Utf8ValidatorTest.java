package io.sensorcast.ws;

import static io.sensorcast.ws.ClientFrames.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Utf8ValidatorTest {
    private final Utf8Validator validator = new Utf8Validator();

    private boolean isValid(byte[] b) {
        validator.reset();
        return validator.feed(b, 0, b.length) && validator.isComplete();
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"", "41", "c2 80", "df bf", "ce ba e1 bd b9 cf 83 ce bc ce b5", "e0 a0 80", "e2 82 ac",
        "ed 9f bf", "ee 80 80", "ef bf bf", "f0 90 80 80", "f0 9f 98 80", "f4 8f bf bf"})
    void acceptsValidSequences(String bytes) {
        assertTrue(isValid(hex(bytes)));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "c0 80", "c1 bf", "e0 80 80", "e0 9f bf", "f0 80 80 80", "f0 8f bf bf",  // overlong
        "ed a0 80", "ed bf bf",                                               // surrogates
        "f4 90 80 80",                                                        // > U+10FFFF
        "f5", "f8", "fc", "fe", "ff",                                          // invalid lead bytes
        "80", "41 bf", "c2 41", "e2 82 41",                                    // stray / bad continuation
    })
    void rejectsInvalidSequencesAtTheOffendingByte(String bytes) {
        byte[] b = hex(bytes);
        assertFalse(validator.feed(b, 0, b.length));
        assertFalse(validator.feed(bytes('a'), 0, 1), "stays failed until reset");
        assertFalse(validator.isComplete());
    }

    @Test
    void truncatedSequenceIsValidPrefixButNotComplete() {
        assertTrue(validator.feed(hex("41 f0 9f 98"), 0, 4));
        assertFalse(validator.isComplete());
    }

    @Test
    void fourByteSequenceFedByteByByteCompletesOnlyAtItsLastByte() {
        byte[] emoji = hex("f0 9f 98 80");
        for (int i = 0; i < 4; i++) {
            assertTrue(validator.feed(emoji, i, 1));
            assertEquals(i == 3, validator.isComplete());
        }
    }

    @Test
    void narrowedContinuationRangeSurvivesASplit() {
        assertTrue(validator.feed(hex("ed"), 0, 1));
        assertFalse(validator.feed(hex("a0"), 0, 1));  // ED | A0 is still a surrogate
    }

    @Test
    void resetClearsFailureAndPendingSequence() {
        validator.feed(hex("ff"), 0, 1);
        validator.reset();
        assertTrue(validator.isComplete());
        assertTrue(validator.feed(hex("e2"), 0, 1));
        validator.reset();
        assertTrue(validator.isComplete());
    }

    /** Heap, read-only (no array access), direct, and a slice with an array offset. */
    private static ByteBuffer[] buffersHolding(byte[] b) {
        return new ByteBuffer[] {
            ByteBuffer.wrap(b), ByteBuffer.wrap(b).asReadOnlyBuffer(),
            ByteBuffer.allocateDirect(b.length).put(b).flip(),
            ByteBuffer.wrap(new byte[b.length + 4], 3, b.length).slice().put(b).position(1)};
    }

    @Test
    void byteBufferFeedUsesAbsoluteIndexesAndKeepsPosition() {
        for (ByteBuffer buf : buffersHolding(hex("ff ff e2 82 ac ff"))) {
            validator.reset();
            int position = buf.position();
            assertTrue(validator.feed(buf, 2, 3), buf.toString());
            assertTrue(validator.isComplete());
            assertEquals(position, buf.position());
            assertFalse(validator.feed(buf, 5, 1));
        }
    }

    @Test
    void byteBufferFeedRejectsAsciiInsideASequence() {
        for (ByteBuffer buf : buffersHolding(hex("41 e2 82 41"))) {
            validator.reset();
            assertFalse(validator.feed(buf, 0, 4), buf.toString());
        }
    }

    @Test
    void everyScalarValueIsAcceptedAndEverySurrogateRejected() {
        for (int cp = 0; cp <= 0x10FFFF; cp++) {
            byte[] b = encodeWithoutChecks(cp);
            boolean surrogate = cp >= 0xD800 && cp <= 0xDFFF;
            if (isValid(b) == surrogate) {
                throw new AssertionError("U+" + Integer.toHexString(cp) + " surrogate=" + surrogate);
            }
        }
    }

    @Test
    void agreesWithTheJdkDecoderOnRandomInput() {
        Random random = new Random(6455);
        byte[] interesting = hex("00 41 7f 80 8f 90 9f a0 bf c0 c1 c2 df e0 e1 ed ee ef f0 f1 f4 f5 ff");
        for (int round = 0; round < 20_000; round++) {
            byte[] b = new byte[1 + random.nextInt(8)];
            for (int i = 0; i < b.length; i++) {
                b[i] = interesting[random.nextInt(interesting.length)];
            }
            assertEquals(jdkAccepts(b), isValid(b), HexFormat.of().formatHex(b));
        }
    }

    /** Plain UTF-8 bit layout, so surrogates can be encoded too (String.getBytes would replace them). */
    private static byte[] encodeWithoutChecks(int cp) {
        if (cp < 0x80) {
            return new byte[] {(byte) cp};
        } else if (cp < 0x800) {
            return bytes(0xC0 | cp >> 6, 0x80 | cp & 0x3F);
        } else if (cp < 0x10000) {
            return bytes(0xE0 | cp >> 12, 0x80 | cp >> 6 & 0x3F, 0x80 | cp & 0x3F);
        }
        return bytes(0xF0 | cp >> 18, 0x80 | cp >> 12 & 0x3F, 0x80 | cp >> 6 & 0x3F, 0x80 | cp & 0x3F);
    }

    private static boolean jdkAccepts(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}

package io.sensorcast.ws;

import static io.sensorcast.testing.Bytes.concat;
import static io.sensorcast.ws.ClientFrames.bytes;
import static io.sensorcast.ws.ClientFrames.frame;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameParserTest {
    private static final int MAX = 1 << 20;

    private final RecordingListener listener = new RecordingListener();
    private FrameParser parser = new FrameParser(MAX);

    private ProtocolError parse(byte[] stream) {
        return parser.parse(ByteBuffer.wrap(stream), listener);
    }

    private void assertFails(int closeCode, byte[] stream) {
        ProtocolError error = parse(stream);
        assertNotNull(error, "expected close code " + closeCode);
        assertEquals(closeCode, error.closeCode(), error.reason());
        assertTrue(parser.isFinished());
    }

    private static byte[] filled(int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    // --- memory: what a peer has sent, not what its header claims ---

    @Test
    void aHeaderClaiming64KiBCostsNoMoreThanTheFirstFewKiBUntilTheBytesCome() {
        byte[] payload = filled(65536);
        byte[] whole = frame(0x82, payload);
        int head = whole.length - payload.length;
        assertNull(parse(java.util.Arrays.copyOf(whole, head + 10)));
        assertTrue(parser.heldBytes() <= 4096, "held after 10 payload bytes: " + parser.heldBytes());
        assertNull(parser.parse(ByteBuffer.wrap(whole, head + 10, whole.length - head - 10), listener));
        assertEquals(1, listener.events.size());
        assertArrayEquals(payload, listener.payloads.get(0), "whole, in an array of its exact size");
        assertEquals(0, parser.heldBytes(), "nothing held between messages");
    }

    @Test
    void aFragmentClaiming64KiBCostsNoMoreThanTheFirstFewKiBUntilTheBytesCome() {
        assertNull(parse(frame(0x01, "start ")));
        byte[] rest = filled(65536);
        for (int i = 0; i < rest.length; i++) {
            rest[i] = (byte) ('a' + i % 26);
        }
        byte[] whole = frame(0x80, rest);
        int head = whole.length - rest.length;
        assertNull(parse(java.util.Arrays.copyOf(whole, head + 10)));
        assertTrue(parser.heldBytes() <= 8192, "held after 10 payload bytes: " + parser.heldBytes());
        assertNull(parser.parse(ByteBuffer.wrap(whole, head + 10, whole.length - head - 10), listener));
        assertEquals(List.of("text:start " + new String(rest, java.nio.charset.StandardCharsets.US_ASCII)), listener.events);
    }

    @Test
    void aSmallFinalFragmentDoesNotDoubleALargeMessage() {
        byte[] first = filled(5000);
        assertNull(parse(frame(0x02, first)));
        byte[] last = filled(100);
        byte[] whole = frame(0x80, last);
        int head = whole.length - last.length;
        assertNull(parse(java.util.Arrays.copyOf(whole, head + 50)));
        // The message ends 100 bytes on: room for exactly that, not for twice the first fragment.
        assertEquals(5100, parser.heldBytes(), "held with the final fragment half read");
        assertNull(parser.parse(ByteBuffer.wrap(whole, head + 50, whole.length - head - 50), listener));
        assertEquals(5100, listener.payloads.get(0).length);
    }

    // --- RFC 6455 section 5.7 examples ---

    @Test
    void rfcSingleFrameMaskedTextIsHello() {
        assertNull(parse(bytes(0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58)));
        assertEquals(List.of("text:Hello"), listener.events);
        assertFalse(parser.isFinished());
    }

    @Test
    void rfcFragmentedHelloIsReassembledWhenMasked() {
        assertNull(parse(concat(frame(0x01, "Hel"), frame(0x80, "lo"))));
        assertEquals(List.of("text:Hello"), listener.events);
    }

    @Test
    void rfcUnmaskedFragmentFromClientIsRejected() {
        assertFails(1002, bytes(0x01, 0x03, 0x48, 0x65, 0x6c));
        assertEquals(List.of(), listener.events);
    }

    @Test
    void rfcUnmaskedPingFromClientIsRejected() {
        assertFails(1002, bytes(0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f));
        assertEquals(List.of(), listener.events);
    }

    @Test
    void rfcMaskedPongIsDelivered() {
        assertNull(parse(bytes(0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58)));
        assertEquals(List.of("pong:48656c6c6f"), listener.events);
    }

    @Test
    void rfc256ByteBinaryUses16BitLength() {
        byte[] payload = filled(256);
        byte[] wire = frame(0x82, payload);
        assertArrayEquals(bytes(0x82, 0xFE, 0x01, 0x00), Arrays.copyOf(wire, 4));
        assertNull(parse(wire));
        assertArrayEquals(payload, listener.payloads.get(0));
    }

    @Test
    void rfc64KiBBinaryUses64BitLength() {
        byte[] payload = filled(65536);
        byte[] wire = frame(0x82, payload);
        assertArrayEquals(bytes(0x82, 0xFF, 0, 0, 0, 0, 0, 1, 0, 0), Arrays.copyOf(wire, 10));
        assertNull(parse(wire));
        assertArrayEquals(payload, listener.payloads.get(0));
    }

    // --- framing rules ---

    @Test
    void controlFramesBetweenFragmentsAreDeliveredImmediately() {
        assertNull(parse(concat(frame(0x01, "Hel"), frame(0x89, "p"), frame(0x8A, "q"))));
        assertEquals(List.of("ping:70", "pong:71"), listener.events);
        assertNull(parse(frame(0x80, "lo")));
        assertEquals(List.of("ping:70", "pong:71", "text:Hello"), listener.events);
    }

    @Test
    void zeroLengthFramesAndMessagesAreValid() {
        assertNull(parse(concat(frame(0x81, ""), frame(0x82, new byte[0]), frame(0x89, ""),
                frame(0x01, ""), frame(0x00, ""), frame(0x00, "x"), frame(0x80, ""))));
        assertEquals(List.of("text:", "binary:", "ping:", "text:x"), listener.events);
    }

    @Test
    void closeWithoutBodyReportsNoStatus() {
        assertNull(parse(frame(0x88, new byte[0])));
        assertEquals(List.of("close:1005:"), listener.events);
        assertTrue(parser.isFinished());
    }

    @Test
    void closeWithCodeAndReasonIsDelivered() {
        assertNull(parse(ClientFrames.close(1000, "bye κόσμε".getBytes(UTF_8))));
        assertEquals(List.of("close:1000:bye κόσμε"), listener.events);
    }

    @Test
    void inputAfterCloseIsConsumedAndIgnored() {
        ByteBuffer in = ByteBuffer.wrap(concat(frame(0x88, new byte[0]), frame(0x81, "late")));
        assertNull(parser.parse(in, listener));
        assertFalse(in.hasRemaining());
        assertNull(parse(frame(0x81, "later")));
        assertEquals(List.of("close:1005:"), listener.events);
    }

    @Test
    void inputAfterErrorIsConsumedAndTheSameErrorReturned() {
        ProtocolError first = parse(bytes(0x81, 0x00));
        assertNotNull(first);
        ByteBuffer in = ByteBuffer.wrap(frame(0x81, "valid"));
        assertSame(first, parser.parse(in, listener));
        assertFalse(in.hasRemaining());
        assertEquals(List.of(), listener.events);
    }

    @Test
    void callersBufferIsNeitherWrittenNorRequiredToBeWritable() {
        byte[] wire = frame(0x81, "Hello");
        byte[] copy = wire.clone();
        assertNull(parser.parse(ByteBuffer.wrap(wire).asReadOnlyBuffer(), listener));
        assertArrayEquals(copy, wire);
        ByteBuffer direct = ByteBuffer.allocateDirect(wire.length).put(wire).flip();
        assertNull(parser.parse(direct, listener));
        assertEquals(List.of("text:Hello", "text:Hello"), listener.events);
    }

    @Test
    void fragmentedMessageIsHandedOverAsExactLengthArrayThatIsNeverReused() {
        // 3 + 3 + 1 bytes grows the buffer to 12, so the final hand-over needs the trim copy.
        assertNull(parse(concat(frame(0x02, filled(3)), frame(0x00, filled(3)), frame(0x00, filled(1)),
                frame(0x80, new byte[0]))));
        byte[] first = listener.payloads.get(0);
        assertEquals(7, first.length);
        byte[] snapshot = first.clone();
        assertNull(parse(concat(frame(0x02, filled(5)), frame(0x80, filled(5)))));
        assertArrayEquals(snapshot, first);
        assertEquals(10, listener.payloads.get(1).length);
    }

    // --- hostile input ---

    @ParameterizedTest(name = "first byte 0x{0}")
    @ValueSource(ints = {0xC1, 0xA1, 0x91, 0xF1, 0xC9})
    void reservedBitsAreRejected(int firstByte) {
        assertFails(1002, frame(firstByte, "x"));
    }

    @ParameterizedTest(name = "opcode 0x{0}")
    @ValueSource(ints = {0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF})
    void reservedOpcodesAreRejected(int opcode) {
        assertFails(1002, frame(0x80 | opcode, "x"));
    }

    @Test
    void controlFrameLongerThan125IsRejectedFromItsHeader() {
        assertFails(1002, ClientFrames.header(0x89, 126));
        parser = new FrameParser(MAX);
        assertFails(1002, ClientFrames.header(0x8A, 70000));
    }

    @Test
    void fragmentedControlFrameIsRejected() {
        assertFails(1002, frame(0x09, "p"));
    }

    @Test
    void continuationWithoutMessageIsRejected() {
        assertFails(1002, frame(0x80, "x"));
    }

    @Test
    void newDataFrameDuringFragmentedMessageIsRejected() {
        assertNull(parse(frame(0x01, "a")));
        assertFails(1002, frame(0x82, "b"));
        assertEquals(List.of(), listener.events);
    }

    @Test
    void sixtyFourBitLengthWithTopBitSetIsRejected() {
        assertFails(1002, concat(bytes(0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 0), ClientFrames.MASK));
    }

    @Test
    void oversizedFrameFailsWith1009FromTheHeaderBeforeAnyPayload() {
        parser = new FrameParser(1000);
        assertFails(1009, ClientFrames.header(0x82, 1001));
        parser = new FrameParser(1000);
        assertFails(1009, ClientFrames.header(0x81, Long.MAX_VALUE));
    }

    @Test
    void fragmentedMessageFailsWith1009OnceItsRunningTotalExceedsTheLimit() {
        parser = new FrameParser(1000);
        assertNull(parse(concat(frame(0x02, filled(600)), frame(0x00, filled(400)))));  // exactly 1000 so far
        assertFails(1009, ClientFrames.header(0x80, 1));
    }

    @Test
    void messageOfExactlyTheLimitIsAccepted() {
        parser = new FrameParser(1000);
        assertNull(parse(concat(frame(0x82, filled(1000)), frame(0x02, filled(999)), frame(0x80, filled(1)))));
        assertEquals(2, listener.events.size());
        assertEquals(1000, listener.payloads.get(1).length);
    }

    @Test
    void badUtf8SplitAcrossFragmentsFailsWith1007() {
        // E0 80 is an overlong lead-in; the two bytes sit in different fragments with a ping between them.
        assertNull(parse(concat(frame(0x01, bytes('a', 0xE0)), frame(0x89, "p"))));
        assertFails(1007, frame(0x80, bytes(0x80, 0x80)));
        parser = new FrameParser(MAX);
        assertNull(parse(frame(0x01, bytes(0xF4))));
        assertFails(1007, frame(0x80, bytes(0x90, 0x80, 0x80)));  // U+110000
    }

    @Test
    void badByteInsideAFrameFailsBeforeTheFrameCompletes() {
        // Autobahn 6.4.x style: header announces 20 bytes, the bad byte comes early, then the peer stalls.
        byte[] whole = frame(0x81, bytes('o', 'k', 0xCE, 0xBA, 0xFF, 'a', 'b', 'c', 'd', 'e',
                'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o'));
        byte[] firstPart = Arrays.copyOf(whole, 6 + 5);  // header + "ok" + κ + FF
        assertFails(1007, firstPart);
        assertEquals(List.of(), listener.events);
    }

    @Test
    void badByteInLaterFragmentFailsBeforeThatFragmentCompletes() {
        assertNull(parse(frame(0x01, "κόσμε")));
        byte[] fragment = frame(0x80, bytes('a', 0xED, 0xA0, 0x80, 'b', 'c'));  // surrogate U+D800
        assertNull(parse(Arrays.copyOf(fragment, 6 + 2)));  // "a" + ED could still be valid
        assertFails(1007, Arrays.copyOfRange(fragment, 8, 9));
    }

    @Test
    void textMessageEndingInsideASequenceFailsWith1007() {
        assertFails(1007, frame(0x81, bytes('a', 0xE2, 0x82)));
        parser = new FrameParser(MAX);
        assertNull(parse(frame(0x01, bytes(0xE2))));
        assertFails(1007, frame(0x80, bytes(0x82)));
    }

    @Test
    void binaryMessagesAreNotUtf8Checked() {
        assertNull(parse(frame(0x82, bytes(0xFF, 0xC0, 0x80))));
        assertEquals(List.of("binary:ffc080"), listener.events);
    }

    @ParameterizedTest(name = "close code {0}")
    @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535})
    void closeWithCodeNotAllowedOnTheWireIsRejected(int code) {
        assertFails(1002, ClientFrames.close(code, new byte[0]));
        assertEquals(List.of(), listener.events);
    }

    @ParameterizedTest(name = "close code {0}")
    @ValueSource(ints = {1000, 1001, 1002, 1003, 1007, 1011, 1012, 1014, 3000, 4999})
    void closeWithValidCodeIsAccepted(int code) {
        assertNull(parse(ClientFrames.close(code, "r".getBytes(UTF_8))));
        assertEquals(List.of("close:" + code + ":r"), listener.events);
        assertTrue(parser.isFinished());
    }

    @Test
    void closeWithOneByteBodyIsRejected() {
        assertFails(1002, frame(0x88, bytes(0x03)));
    }

    @Test
    void closeReasonWithBadUtf8FailsWith1007() {
        assertFails(1007, ClientFrames.close(1000, bytes('a', 0xC0, 0x80)));
        parser = new FrameParser(MAX);
        assertFails(1007, ClientFrames.close(1000, bytes('a', 0xE2, 0x82)));  // truncated sequence
        assertEquals(List.of(), listener.events);
    }

    // --- large messages under the surefire heap of 64 MiB ---

    @Test
    void sixteenMiBSingleFrameMessageFitsTheHeap() {
        int size = 16 << 20;
        parser = new FrameParser(size);
        byte[] header = ClientFrames.header(0x82, size);
        ByteBuffer in = ByteBuffer.allocate(header.length + size).put(header);  // masked zeros: the key repeated
        for (int i = 0; i < size; i++) {
            in.put(ClientFrames.MASK[i & 3]);
        }
        assertNull(parser.parse(in.flip(), listener));
        byte[] message = listener.payloads.get(0);
        assertEquals(size, message.length);
        assertEquals(0, message[0] | message[size / 2] | message[size - 1]);
    }

    @Test
    void sixteenMiBFragmentedMessageFitsTheHeap() {
        int size = 16 << 20;
        int fragment = 1 << 20;
        parser = new FrameParser(size);
        byte[] wire = frame(0x00, filled(fragment));  // reused; only the first byte (FIN, opcode) changes
        for (int sent = 0; sent < size; sent += fragment) {
            wire[0] = (byte) (sent == 0 ? 0x02 : sent + fragment == size ? 0x80 : 0x00);
            assertNull(parser.parse(ByteBuffer.wrap(wire), listener));
        }
        byte[] message = listener.payloads.get(0);
        assertEquals(size, message.length);
        assertEquals(filled(1)[0], message[size - fragment]);
    }
}

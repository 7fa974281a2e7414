package io.sensorcast.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sensorcast.testing.Splits;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Hostile frames from a monitor: the parser delivers frames and messages or returns a {@link ProtocolError} with a
 * close code, never throws; what it delivers respects RFC 6455 and the message limit (text is valid UTF-8, control
 * payloads at most 125 bytes, nothing after a close); and the events do not depend on how the bytes were cut into
 * reads. Inputs in FrameParserFuzzTestInputs/ replay in every test run; fuzz/run searches for new ones.
 */
class FrameParserFuzzTest {
    private static final int MAX_MESSAGE = 300;  // small, so that short inputs reach it
    private static final Set<Integer> ERROR_CODES =
            Set.of(CloseCodes.PROTOCOL_ERROR, CloseCodes.INVALID_PAYLOAD, CloseCodes.MESSAGE_TOO_BIG);

    @FuzzTest
    void anySplitGivesTheSameEventsWithinTheLimits(byte[] data) {
        List<int[]> ways = Splits.of(data);
        List<String> whole = parse(data, ways.get(0));
        for (int[] sizes : ways.subList(1, ways.size())) {
            assertEquals(whole, parse(data, sizes), () -> "reads of " + Arrays.toString(sizes));
        }
    }

    /** The events, then "error:<code>:<reason>" or "finished" or "open". */
    private static List<String> parse(byte[] data, int[] sizes) {
        Recorder recorder = new Recorder();
        FrameParser parser = new FrameParser(MAX_MESSAGE);
        byte[] copy = data.clone();
        ProtocolError error = null;
        int offset = 0;
        for (int size : sizes) {
            ByteBuffer in = ByteBuffer.wrap(copy, offset, size);
            error = parser.parse(in, recorder);
            assertFalse(in.hasRemaining(), "parse takes every byte");
            offset += size;
        }
        assertTrue(Arrays.equals(data, copy), "the input is never written to");
        List<String> events = recorder.events;
        if (error != null) {
            int code = error.closeCode();
            assertTrue(ERROR_CODES.contains(code), () -> "close code " + code);
            assertTrue(error.reason().getBytes(StandardCharsets.UTF_8).length <= 123, "the reason fits a close frame");
            assertTrue(parser.isFinished(), "an error finishes the parser");
            events.add("error:" + error.closeCode() + ":" + error.reason());
        } else {
            assertEquals(recorder.closed, parser.isFinished(), "finished exactly when a close was delivered");
            events.add(parser.isFinished() ? "finished" : "open");
        }
        return events;
    }

    private static final class Recorder implements FrameListener {
        final List<String> events = new ArrayList<>();
        boolean closed;

        @Override
        public void onMessage(boolean text, byte[] payload) {
            assertFalse(closed, "nothing after a close");
            assertTrue(payload.length <= MAX_MESSAGE, () -> "message of " + payload.length + " bytes");
            if (text) {
                assertTrue(isUtf8(payload), "text is valid UTF-8");
            }
            events.add((text ? "text:" : "binary:") + HexFormat.of().formatHex(payload));
        }

        @Override
        public void onPing(byte[] payload) {
            control("ping:", payload);
        }

        @Override
        public void onPong(byte[] payload) {
            control("pong:", payload);
        }

        private void control(String kind, byte[] payload) {
            assertFalse(closed, "nothing after a close");
            assertTrue(payload.length <= 125, "control payload within 125 bytes");
            events.add(kind + HexFormat.of().formatHex(payload));
        }

        @Override
        public void onClose(int code, String reason) {
            assertFalse(closed, "one close");
            assertTrue(code == CloseCodes.NO_STATUS || CloseCodes.isValidOnWire(code), () -> "close code " + code);
            assertTrue(reason.getBytes(StandardCharsets.UTF_8).length <= 123, "reason within the close frame");
            closed = true;
            events.add("close:" + code + ":" + reason);
        }
    }

    static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}

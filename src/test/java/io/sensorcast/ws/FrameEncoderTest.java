package io.sensorcast.ws;

import static io.sensorcast.ws.ClientFrames.bytes;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameEncoderTest {
    private static final byte[] HELLO = "Hello".getBytes(UTF_8);

    @Test
    void textMatchesRfcUnmaskedHello() {
        assertArrayEquals(bytes(0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f), FrameEncoder.text(HELLO));
    }

    @Test
    void pingAndPongMatchRfcExamples() {
        assertArrayEquals(bytes(0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f), FrameEncoder.ping(HELLO));
        assertArrayEquals(bytes(0x8a, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f), FrameEncoder.pong(HELLO));
    }

    @Test
    void binaryOf256BytesUses16BitLength() {
        byte[] frame = FrameEncoder.binary(new byte[256]);
        assertEquals(4 + 256, frame.length);
        assertArrayEquals(bytes(0x82, 0x7E, 0x01, 0x00), Arrays.copyOf(frame, 4));
    }

    @Test
    void binaryOf64KiBUses64BitLength() {
        byte[] frame = FrameEncoder.binary(new byte[65536]);
        assertEquals(10 + 65536, frame.length);
        assertArrayEquals(bytes(0x82, 0x7F, 0, 0, 0, 0, 0, 1, 0, 0), Arrays.copyOf(frame, 10));
    }

    @Test
    void headerUsesMinimalLengthFormAtEachBoundary() {
        assertArrayEquals(bytes(0x82, 125), FrameEncoder.header(FrameEncoder.OP_BINARY, 125));
        assertArrayEquals(bytes(0x81, 126, 0, 126), FrameEncoder.header(FrameEncoder.OP_TEXT, 126));
        assertArrayEquals(bytes(0x81, 126, 0xFF, 0xFF), FrameEncoder.header(FrameEncoder.OP_TEXT, 65535));
        assertArrayEquals(bytes(0x82, 127, 0, 0, 0, 0, 0, 1, 0, 0), FrameEncoder.header(FrameEncoder.OP_BINARY, 65536));
        assertArrayEquals(bytes(0x82, 127, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF),
                FrameEncoder.header(FrameEncoder.OP_BINARY, Long.MAX_VALUE));
        assertEquals(2, FrameEncoder.headerLength(0));
        assertEquals(2, FrameEncoder.headerLength(125));
        assertEquals(4, FrameEncoder.headerLength(126));
        assertEquals(4, FrameEncoder.headerLength(65535));
        assertEquals(10, FrameEncoder.headerLength(65536));
    }

    @Test
    void invalidFramesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> FrameEncoder.ping(new byte[126]));
        assertThrows(IllegalArgumentException.class, () -> FrameEncoder.pong(new byte[126]));
        assertThrows(IllegalArgumentException.class, () -> FrameEncoder.header(0x3, 1));
        assertThrows(IllegalArgumentException.class, () -> FrameEncoder.header(FrameEncoder.OP_PING, 126));
        assertThrows(IllegalArgumentException.class, () -> FrameEncoder.header(FrameEncoder.OP_TEXT, -1));
        assertThrows(IllegalArgumentException.class, () -> FrameEncoder.close(1006, ""));
        assertThrows(IllegalArgumentException.class, () -> FrameEncoder.close(CloseCodes.NO_STATUS, "why"));
    }

    @Test
    void closeCarriesCodeInNetworkOrderAndReason() {
        assertArrayEquals(bytes(0x88, 0x05, 0x03, 0xE8, 'b', 'y', 'e'), FrameEncoder.close(1000, "bye"));
        assertArrayEquals(bytes(0x88, 0x02, 0x0F, 0x9F), FrameEncoder.close(3999, null));
    }

    @Test
    void closeWithNoStatusHasEmptyBody() {
        assertArrayEquals(bytes(0x88, 0x00), FrameEncoder.close(CloseCodes.NO_STATUS, ""));
    }

    @Test
    void closeReasonIsTruncatedOnACharacterBoundaryToFit125Bytes() {
        String reason = "a".repeat(122) + "€";  // 125 bytes of reason: the 3-byte € straddles the 123-byte limit
        byte[] frame = FrameEncoder.close(1001, reason);
        assertEquals(2 + 2 + 122, frame.length);
        assertEquals(124, frame[1]);
        assertEquals("a".repeat(122), new String(frame, 4, 122, UTF_8));

        byte[] exact = FrameEncoder.close(1001, "a".repeat(120) + "€€");
        assertEquals(2 + 2 + 123, exact.length);  // 120 + 3 fits exactly; the second € is dropped
    }

    @Test
    void encodedFramesParseBackWhenMaskedLikeAClient() {
        byte[][] frames = {
            FrameEncoder.text("κόσμε".getBytes(UTF_8)), FrameEncoder.binary(new byte[300]),
            FrameEncoder.ping(HELLO), FrameEncoder.close(4000, "done")};
        RecordingListener listener = new RecordingListener();
        FrameParser parser = new FrameParser(1024);
        for (byte[] frame : frames) {
            byte[] masked = ClientFrames.frame(frame[0] & 0xFF, payloadOf(frame));
            assertNull(parser.parse(ByteBuffer.wrap(masked), listener));
        }
        assertEquals(List.of("text:κόσμε", "binary:300 bytes", "ping:48656c6c6f", "close:4000:done"),
                listener.events);
    }

    private static byte[] payloadOf(byte[] serverFrame) {
        int length7 = serverFrame[1] & 0x7F;
        int headerLength = length7 == 126 ? 4 : length7 == 127 ? 10 : 2;
        return Arrays.copyOfRange(serverFrame, headerLength, serverFrame.length);
    }
}

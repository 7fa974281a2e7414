package io.sensorcast.ws;

import static io.sensorcast.testing.Bytes.concat;
import static io.sensorcast.ws.ClientFrames.bytes;
import static io.sensorcast.ws.ClientFrames.frame;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parser must see the same events however TCP happens to cut the stream. */
class FrameParserSplitTest {
    private static final byte[] BINARY_200 = new byte[200];

    static {
        for (int i = 0; i < BINARY_200.length; i++) {
            BINARY_200[i] = (byte) i;
        }
    }

    /** Fragmented text with "€" (E2 82 AC) cut across fragments, an interleaved ping, a 16-bit length, a close. */
    private static final byte[] STREAM = concat(
            frame(0x01, "Hel"),
            frame(0x00, bytes('l', 'o', ' ', 0xE2)),
            frame(0x89, "ping"),
            frame(0x00, new byte[0]),
            frame(0x80, bytes(0x82, 0xAC, '!')),
            frame(0x81, ""),
            frame(0x82, BINARY_200),
            frame(0x8A, new byte[0]),
            ClientFrames.close(1001, "gone".getBytes(UTF_8)));

    private static final List<String> EXPECTED = List.of(
            "ping:70696e67", "text:Hello €!", "text:", "binary:200 bytes", "pong:", "close:1001:gone");

    @Test
    void wholeStreamProducesTheExpectedEvents() {
        assertEquals(EXPECTED, parseInParts(STREAM, STREAM.length));
    }

    @Test
    void everyTwoWaySplitProducesTheSameEvents() {
        for (int cut = 0; cut <= STREAM.length; cut++) {
            assertEquals(EXPECTED, parseInParts(STREAM, cut), "cut at " + cut);
        }
    }

    @Test
    void byteByByteProducesTheSameEvents() {
        RecordingListener listener = new RecordingListener();
        FrameParser parser = new FrameParser(1024);
        for (int i = 0; i < STREAM.length; i++) {
            assertNull(parser.parse(ByteBuffer.wrap(STREAM, i, 1), listener), "byte " + i);
        }
        assertTrue(parser.isFinished());
        assertEquals(EXPECTED, listener.events);
    }

    @Test
    void everySplitOfA64BitLengthHeaderProducesTheSameMessage() {
        byte[] payload = new byte[70_000];
        payload[0] = 1;
        payload[69_999] = 42;
        byte[] wire = frame(0x82, payload);
        for (int cut = 0; cut <= 16; cut++) {  // header is 14 bytes; cuts 14..16 land in the payload
            RecordingListener listener = new RecordingListener();
            FrameParser parser = new FrameParser(1 << 20);
            assertNull(parser.parse(ByteBuffer.wrap(wire, 0, cut), listener));
            assertNull(parser.parse(ByteBuffer.wrap(wire, cut, wire.length - cut), listener));
            assertArrayEquals(payload, listener.payloads.get(0), "cut at " + cut);
        }
    }

    /** Feeds stream[0..cut) then stream[cut..), each as its own ByteBuffer window with a non-zero position. */
    private static List<String> parseInParts(byte[] stream, int cut) {
        RecordingListener listener = new RecordingListener();
        FrameParser parser = new FrameParser(1 << 20);
        assertNull(parser.parse(ByteBuffer.wrap(stream, 0, cut), listener));
        assertNull(parser.parse(ByteBuffer.wrap(stream, cut, stream.length - cut), listener));
        return listener.events;
    }
}

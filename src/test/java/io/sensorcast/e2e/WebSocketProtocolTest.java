package io.sensorcast.e2e;

import static io.sensorcast.testing.Bytes.concat;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.testing.Json;
import io.sensorcast.testing.TestSensors;
import io.sensorcast.testing.TestServer;
import io.sensorcast.testing.WsTestClient.Frame;
import io.sensorcast.testing.WsTestClient;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 6455 on /ws with a raw client that can break the rules: each violation gets the close code
 * RFC 6455 7.4.1 names for it, followed by the end of the TCP connection; the valid control frames
 * get their answers.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class WebSocketProtocolTest {

    private static final int OP_CONT = 0x0, OP_TEXT = 0x1, OP_BINARY = 0x2, OP_CLOSE = 0x8, OP_PING = 0x9,
            OP_PONG = 0xA;
    /** /ws's default message limit (Settings.maxMessageBytes). */
    private static final int MAX_MESSAGE = 8 * 1024;

    /** A name and the exact bytes a client sends after the handshake. */
    private record Violation(String name, byte[] bytes) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Violation v(String name, boolean fin, int rsv, int opcode, byte[] payload, boolean masked) {
        return new Violation(name, WsTestClient.encode(fin, rsv, opcode, payload, masked));
    }

    private static byte[] closeBody(int code) {
        return new byte[] {(byte) (code >> 8), (byte) code};
    }

    static Stream<Arguments> violations() {
        byte[] hi = "hi".getBytes(UTF_8);
        return Stream.of(
                Arguments.of(v("unmasked text frame", true, 0, OP_TEXT, hi, false), 1002),
                Arguments.of(v("RSV1 set", true, 4, OP_TEXT, hi, true), 1002),
                Arguments.of(v("RSV3 set", true, 1, OP_TEXT, hi, true), 1002),
                Arguments.of(v("reserved data opcode 0x3", true, 0, 0x3, hi, true), 1002),
                Arguments.of(v("reserved control opcode 0xB", true, 0, 0xB, hi, true), 1002),
                Arguments.of(v("fragmented ping (FIN clear)", false, 0, OP_PING, hi, true), 1002),
                Arguments.of(v("ping of 126 bytes", true, 0, OP_PING, new byte[126], true), 1002),
                Arguments.of(v("continuation without a message", true, 0, OP_CONT, hi, true), 1002),
                Arguments.of(v("invalid UTF-8 (overlong C0 AF)", true, 0, OP_TEXT,
                        new byte[] {'o', 'k', (byte) 0xC0, (byte) 0xAF}, true), 1007),
                Arguments.of(v("invalid UTF-8 (surrogate ED A0 80)", true, 0, OP_TEXT,
                        new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, true), 1007),
                Arguments.of(new Violation("text split inside a character", concat(
                        WsTestClient.encode(false, 0, OP_TEXT, new byte[] {'a', (byte) 0xE2, (byte) 0x82}, true),
                        WsTestClient.encode(true, 0, OP_CONT, new byte[0], true))), 1007),
                Arguments.of(v("close with reserved code 1005", true, 0, OP_CLOSE, closeBody(1005), true), 1002),
                Arguments.of(v("close with code 999", true, 0, OP_CLOSE, closeBody(999), true), 1002),
                Arguments.of(v("close with a 1-byte body", true, 0, OP_CLOSE, new byte[] {3}, true), 1002),
                Arguments.of(v("text message of the limit + 1", true, 0, OP_TEXT, ascii(MAX_MESSAGE + 1), true), 1009),
                Arguments.of(new Violation("fragments adding up to the limit + 1", concat(
                        WsTestClient.encode(false, 0, OP_TEXT, ascii(MAX_MESSAGE), true),
                        WsTestClient.encode(true, 0, OP_CONT, ascii(1), true))), 1009),
                Arguments.of(v("binary message", true, 0, OP_BINARY, new byte[] {1, 2, 3}, true), 1003));
    }

    @ParameterizedTest(name = "{0} -> close {1}")
    @MethodSource("violations")
    void violationGetsItsCloseCodeThenTheConnectionEnds(Violation violation, int expectedCode) throws Exception {
        try (TestServer server = TestServer.start(List.of());
                WsTestClient ws = WsTestClient.connect(server.port(), "/ws")) {
            assertEquals("hello", Json.object(ws.readText()).get("type"));

            ws.sendRaw(violation.bytes());

            Frame close = ws.readUntilClose();
            assertEquals(expectedCode, close.closeCode(), "reason: " + close.closeReason());
            assertTrue(close.fin());
            ws.setReadTimeout(4000);
            assertTrue(ws.awaitEof(), "the server ends the TCP connection after its close frame");
        }
    }

    @Test
    void messageOfExactlyTheLimitIsAcceptedAndAnsweredNotClosed() throws Exception {
        try (TestServer server = TestServer.start(List.of());
                WsTestClient ws = WsTestClient.connect(server.port(), "/ws")) {
            ws.readText(); // hello
            ws.send(OP_TEXT, ascii(MAX_MESSAGE));
            Map<String, Object> answer = Json.object(ws.readText());
            assertEquals("error", answer.get("type"), "a message at the limit is read, then refused as a command");
        }
    }

    @Test
    void closeIsEchoedWithTheSameCodeAndThenTheServerClosesTcp() throws Exception {
        try (TestServer server = TestServer.start(List.of());
                WsTestClient ws = WsTestClient.connect(server.port(), "/ws")) {
            ws.readText(); // hello
            ws.sendClose(1000, "bye");

            Frame close = ws.readUntilClose();
            assertEquals(OP_CLOSE, close.opcode());
            assertArrayEquals(new byte[] {0x03, (byte) 0xE8}, close.payload(), "close 1000 with no reason");
            ws.setReadTimeout(4000);
            assertTrue(ws.awaitEof(), "after the closing handshake the server closes TCP (RFC 6455 7.1.1)");
        }
    }

    @Test
    void closeWithoutBodyIsEchoedWithoutBody() throws Exception {
        try (TestServer server = TestServer.start(List.of());
                WsTestClient ws = WsTestClient.connect(server.port(), "/ws")) {
            ws.readText();
            ws.send(OP_CLOSE, new byte[0]);

            Frame close = ws.readUntilClose();
            assertEquals(0, close.payload().length, "1005 means 'no code' and is never put on the wire");
            ws.setReadTimeout(4000);
            assertTrue(ws.awaitEof());
        }
    }

    @Test
    void pingIsAnsweredByPongWithTheSamePayload() throws Exception {
        try (TestServer server = TestServer.start(List.of());
                WsTestClient ws = WsTestClient.connect(server.port(), "/ws")) {
            ws.readText();
            byte[] payload = new byte[125];
            Arrays.fill(payload, (byte) 0xA5);
            payload[0] = 'p';

            ws.send(OP_PING, payload);

            Frame pong = ws.readFrame();
            assertEquals(OP_PONG, pong.opcode());
            assertTrue(pong.fin());
            assertArrayEquals(payload, pong.payload());
        }
    }

    @Test
    void pingBetweenFragmentsIsAnsweredAndTheMessageStillArrives() throws Exception {
        try (TestServer server = TestServer.start(List.of());
                WsTestClient ws = WsTestClient.connect(server.port(), "/ws")) {
            ws.readText();
            ws.sendRaw(concat(
                    WsTestClient.encode(false, 0, OP_TEXT, "{\"cmd\":".getBytes(UTF_8), true),
                    WsTestClient.encode(true, 0, OP_PING, "mid".getBytes(UTF_8), true),
                    WsTestClient.encode(true, 0, OP_CONT, "1}".getBytes(UTF_8), true)));

            Frame pong = ws.readFrame();
            assertEquals(OP_PONG, pong.opcode());
            assertEquals("mid", pong.text());
            assertEquals("error", Json.object(ws.readText()).get("type"));
        }
    }

    @Test
    void textCommandGetsAnErrorMessageAndTheSampleStreamGoesOn() throws Exception {
        try (TestServer server = TestServer.start(List.of(TestSensors.sine("sim", "Sine", "", 50)));
                WsTestClient ws = WsTestClient.connect(server.port(), "/ws")) {
            assertEquals("hello", Json.object(ws.readText()).get("type"));

            ws.sendText("{\"type\":\"reboot\"}"); // no such command

            Map<String, Object> error = null;
            long lastSeqBefore = -1;
            for (int i = 0; i < 200 && error == null; i++) {
                Map<String, Object> m = Json.object(ws.readText());
                if ("error".equals(m.get("type"))) {
                    error = m;
                } else {
                    assertEquals("sample", m.get("type"));
                    lastSeqBefore = ((Double) m.get("seq")).longValue();
                }
            }
            assertTrue(error != null, "an error message answers the command");
            assertTrue(error.get("message") instanceof String s && !s.isBlank(), "it says why: " + error);

            Map<String, Object> after = Json.object(ws.readText());
            assertEquals("sample", after.get("type"), "the stream goes on after the error");
            if (lastSeqBefore > 0) {
                assertEquals(lastSeqBefore + 1, ((Double) after.get("seq")).longValue(), "no sample was lost");
            }
        }
    }

    private static byte[] ascii(int length) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) 'a');
        return b;
    }

}

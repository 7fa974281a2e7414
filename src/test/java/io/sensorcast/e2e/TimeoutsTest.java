package io.sensorcast.e2e;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sensorcast.testing.Json;
import io.sensorcast.testing.RawHttp;
import io.sensorcast.testing.TestServer;
import io.sensorcast.testing.WsTestClient;
import io.sensorcast.testing.WsTestClient.Frame;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The connection timers with short settings. The loop checks them in a sweep about once a second,
 * so a 300 ms timeout fires within about 1.3 s; the tests allow 4 s and check it did not fire early.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class TimeoutsTest {

    private static final Duration SHORT = Duration.ofMillis(300);
    private static final int WAIT_MS = 4000;

    @Test
    void halfARequestGets408AndTheConnectionIsClosed() throws Exception {
        var settings = TestServer.settings().handshakeTimeout(SHORT).build();
        try (TestServer server = TestServer.start(settings, List.of());
                RawHttp http = RawHttp.connect(server.port())) {
            long start = System.nanoTime();
            http.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow"); // ... and never the rest
            http.setReadTimeout(WAIT_MS);

            RawHttp.Response r = http.read();
            assertEquals(408, r.status(), r.toString());
            assertEquals("close", r.header("Connection"));
            assertTrue(http.isClosedByServer(), "closed after the 408");
            assertTrue(elapsedMillis(start) >= SHORT.toMillis(), "not before the timeout");
        }
    }

    @Test
    void headerLinesTricklingInDoNotExtendTheRequestDeadline() throws Exception {
        var settings = TestServer.settings().handshakeTimeout(SHORT).build();
        try (TestServer server = TestServer.start(settings, List.of());
                RawHttp http = RawHttp.connect(server.port())) {
            http.setReadTimeout(WAIT_MS);
            http.send("GET / HTTP/1.1\r\nHost: x\r\n");
            long start = System.nanoTime();
            // A new header line every 100 ms, for up to 4 s: the deadline counts from the first byte.
            for (int i = 0; i < 40 && http.socket().getInputStream().available() == 0; i++) {
                try {
                    http.send("X-Slow-" + i + ": y\r\n");
                } catch (java.io.IOException closed) {
                    break;
                }
                Thread.sleep(100);
            }
            RawHttp.Response r = http.read();
            assertEquals(408, r.status(), r.toString());
            assertTrue(elapsedMillis(start) < 3000, "408 within the sweep after the timeout, not when the trickle stops");
        }
    }

    @Test
    void connectionThatSendsNothingIsClosed() throws Exception {
        var settings = TestServer.settings().handshakeTimeout(SHORT).build();
        try (TestServer server = TestServer.start(settings, List.of());
                RawHttp http = RawHttp.connect(server.port())) {
            long start = System.nanoTime();
            http.setReadTimeout(WAIT_MS);

            String received = new String(http.readToEof(), ISO_8859_1);
            // Design: the server answers 408 here too (RFC 9110 15.5.9); closing silently would
            // also do. What must not happen is that the connection stays open.
            assertTrue(received.isEmpty() || received.startsWith("HTTP/1.1 408 "), received);
            assertTrue(elapsedMillis(start) >= SHORT.toMillis(), "not before the timeout");
        }
    }

    @Test
    void requestTrickledInWithinTheTimeoutIsServed() throws Exception {
        var settings = TestServer.settings().handshakeTimeout(Duration.ofSeconds(3)).build();
        try (TestServer server = TestServer.start(settings, List.of());
                RawHttp http = RawHttp.connect(server.port())) {
            for (String part : List.of("GET /heal", "thz HTTP/1.1\r\n", "Host: x\r\n", "\r\n")) {
                http.send(part);
                Thread.sleep(100);
            }
            assertEquals(200, http.read().status());
        }
    }

    @Test
    void idleKeepAliveConnectionIsClosedAfterIdleTimeout() throws Exception {
        var settings = TestServer.settings().idleTimeout(SHORT).build();
        try (TestServer server = TestServer.start(settings, List.of());
                RawHttp http = RawHttp.connect(server.port())) {
            http.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(200, http.read().status());
            long answered = System.nanoTime();
            http.setReadTimeout(WAIT_MS);

            assertTrue(http.isClosedByServer(), "idle for longer than the idle timeout: closed");
            assertTrue(elapsedMillis(answered) >= SHORT.toMillis(), "not before the timeout");
        }
    }

    @Test
    void monitorThatNeverAnswersPingsGetsAPingThenClose1001() throws Exception {
        var settings = TestServer.settings().pingInterval(SHORT).pongTimeout(SHORT).build();
        try (TestServer server = TestServer.start(settings, List.of());
                WsTestClient ws = WsTestClient.connect(server.port(), "/ws")) {
            assertEquals("hello", Json.object(ws.readText()).get("type"));
            ws.setReadTimeout(WAIT_MS);

            Frame ping = ws.readFrame();
            assertEquals(0x9, ping.opcode(), "a ping after the silence");
            Frame close = ws.readFrame();
            assertEquals(0x8, close.opcode(), "then, without a pong, the close");
            assertEquals(1001, close.closeCode(), close.closeReason());
            assertTrue(ws.awaitEof(), "and the end of the TCP connection");
        }
    }

    @Test
    void monitorThatAnswersPingsStaysOpen() throws Exception {
        var settings = TestServer.settings().pingInterval(SHORT).pongTimeout(SHORT).build();
        try (TestServer server = TestServer.start(settings, List.of());
                WsTestClient ws = WsTestClient.connect(server.port(), "/ws")) {
            assertEquals("hello", Json.object(ws.readText()).get("type"));
            ws.setReadTimeout(500);

            int pongs = 0;
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(3500);
            while (System.nanoTime() < until) {
                Frame f;
                try {
                    f = ws.readFrame();
                } catch (SocketTimeoutException quiet) {
                    continue;
                }
                if (f.opcode() == 0x8) {
                    fail("closed although every ping was answered: " + f.closeCode() + " " + f.closeReason());
                }
                assertEquals(0x9, f.opcode(), "only pings on an idle stream");
                ws.send(0xA, f.payload());
                pongs++;
            }
            assertTrue(pongs >= 2, "pinged repeatedly over 3.5 s, answered " + pongs);

            ws.send(0x9, "still there?".getBytes(ISO_8859_1));
            Frame pong = ws.readFrame();
            while (pong.opcode() == 0x9) { // a keep-alive ping may cross ours
                pong = ws.readFrame();
            }
            assertEquals(0xA, pong.opcode());
            assertEquals("still there?", pong.text());
        }
    }

    private static long elapsedMillis(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}

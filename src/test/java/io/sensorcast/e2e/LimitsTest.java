package io.sensorcast.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.testing.LogCapture;
import io.sensorcast.testing.RawHttp;
import io.sensorcast.testing.TestServer;
import io.sensorcast.testing.WsTestClient;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Each configurable limit, crossed twice or more within ten seconds: the client gets the status
 * or close code the README promises, and the log says why once (per reason and ten seconds),
 * never once per peer. The timeouts and the outbound cap are crossed in {@link TimeoutsTest} and
 * {@link FaultsTest}, which check their log lines the same way.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LimitsTest {

    @Test
    void overMaxConnectionsANewConnectionIsClosedAtOnceAndLoggedOnce() throws Exception {
        long mark = LogCapture.mark();
        List<Socket> held = new ArrayList<>();
        try (TestServer server = TestServer.start(TestServer.settings().maxConnections(3).build(), List.of())) {
            for (int i = 0; i < 3; i++) {
                held.add(connect(server.port()));
            }
            awaitConnections(server, 3);
            for (int i = 0; i < 3; i++) {
                try (Socket over = connect(server.port())) {
                    over.setSoTimeout(5000);
                    assertEquals(-1, over.getInputStream().read(), "closed at once, with nothing said");
                }
            }
            assertEquals(3L, (long) server.onLoop(server.service().loop().stats()::rejectedConnections));
            held.remove(0).close();
            awaitConnections(server, 2);
            assertEquals(200, RawHttp.get(server.port(), "/healthz").status(), "under the limit again: served");
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
        assertEquals(1, LogCapture.count(mark, "(http.max_connections)"), log(mark));
    }

    @Test
    void overMaxMonitorsAnUpgradeGets503WithRetryAfterAndIsLoggedOnce() throws Exception {
        long mark = LogCapture.mark();
        try (TestServer server = TestServer.start(TestServer.settings().maxMonitors(2).build(), List.of());
                WsTestClient first = WsTestClient.connect(server.port(), "/ws");
                WsTestClient second = WsTestClient.connect(server.port(), "/ws")) {
            for (int i = 0; i < 3; i++) {
                try (WsTestClient over = WsTestClient.open(server.port(), "/ws", "")) {
                    String head = over.responseHead();
                    assertTrue(head.startsWith("HTTP/1.1 503 "), head);
                    assertTrue(head.contains("\r\nRetry-After: 10\r\n"), head);
                    over.setReadTimeout(5000);
                    assertTrue(over.awaitEof(), "closed after the 503");
                }
            }
            // Plain HTTP is not a monitor: still served.
            assertEquals(200, RawHttp.get(server.port(), "/healthz").status());
            first.close();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (server.onLoop(server.service().hub()::monitorCount) != 1) {
                assertTrue(System.nanoTime() < deadline, "the first monitor never left");
                Thread.sleep(10);
            }
            try (WsTestClient again = WsTestClient.connect(server.port(), "/ws")) {
                assertTrue(again.readText().contains("\"type\":\"hello\""), "room again: upgraded");
            }
        }
        assertEquals(1, LogCapture.count(mark, "(limit ws.max_monitors)"), log(mark));
    }

    @Test
    void overMaxHeaderBytesTheAnswerIs431AndIsLoggedOnce() throws Exception {
        long mark = LogCapture.mark();
        try (TestServer server = TestServer.start(TestServer.settings().maxHeaderBytes(1024).build(), List.of())) {
            for (int i = 0; i < 3; i++) {
                try (RawHttp http = RawHttp.connect(server.port())) {
                    http.send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(2048) + "\r\n\r\n");
                    assertEquals(431, http.read().status());
                }
            }
        }
        assertEquals(1, LogCapture.count(mark, "(http.max_header_bytes)"), log(mark));
    }

    @Test
    void overMaxBodyBytesTheAnswerIs413AndIsLoggedOnce() throws Exception {
        long mark = LogCapture.mark();
        try (TestServer server = TestServer.start(TestServer.settings().maxBodyBytes(1024).build(), List.of())) {
            for (int i = 0; i < 3; i++) {
                try (RawHttp http = RawHttp.connect(server.port())) {
                    http.send("POST /api/channels HTTP/1.1\r\nHost: x\r\nContent-Length: 4096\r\n\r\n");
                    assertEquals(413, http.read().status());
                }
            }
        }
        assertEquals(1, LogCapture.count(mark, "(http.max_body_bytes)"), log(mark));
    }

    @Test
    void overMaxMessageBytesAMonitorIsClosedWith1009AndItIsLoggedOnce() throws Exception {
        long mark = LogCapture.mark();
        try (TestServer server = TestServer.start(TestServer.settings().maxMessageBytes(1024).build(), List.of())) {
            for (int i = 0; i < 3; i++) {
                try (WsTestClient ws = WsTestClient.connect(server.port(), "/ws")) {
                    ws.readText(); // hello
                    ws.sendText("{\"type\":\"subscribe\",\"channels\":[\"" + "x".repeat(2048) + "\"]}");
                    WsTestClient.Frame close = ws.readUntilClose();
                    assertEquals(1009, close.closeCode(), close.closeReason());
                }
            }
        }
        assertEquals(1, LogCapture.count(mark, "closing (1009)"), log(mark));
    }

    private static Socket connect(int port) throws Exception {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        return s;
    }

    private static void awaitConnections(TestServer server, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.onLoop(server.service().loop()::connectionCount) != n) {
            assertTrue(System.nanoTime() < deadline, "connections never reached " + n);
            Thread.sleep(10);
        }
    }

    private static String log(long mark) {
        return String.join("\n", LogCapture.since(mark));
    }
}

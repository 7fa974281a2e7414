package io.sensorcast.e2e;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.testing.Json;
import io.sensorcast.testing.RawHttp;
import io.sensorcast.testing.RawHttp.Response;
import io.sensorcast.testing.TestServer;
import io.sensorcast.testing.WsTestClient;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The opening handshake on /ws (RFC 6455 4.2): what is refused with which status, what is accepted. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class WebSocketHandshakeTest {

    /** RFC 6455 1.3, typed out here rather than taken from the server. */
    private static final String RFC_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final String KEY = "x3JJHMbDL1EzLkh9GBhXDw==";

    private static String handshake(int port, String headers) {
        return "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + headers + "\r\n";
    }

    private static String upgradeHeaders(String version, String key) {
        return "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + (key == null ? "" : "Sec-WebSocket-Key: " + key + "\r\n")
                + (version == null ? "" : "Sec-WebSocket-Version: " + version + "\r\n");
    }

    private static Response send(int port, String request) throws Exception {
        try (RawHttp http = RawHttp.connect(port)) {
            http.send(request);
            return http.read();
        }
    }

    private static String expectedAccept(String key) throws Exception {
        byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + RFC_GUID).getBytes(ISO_8859_1));
        return Base64.getEncoder().encodeToString(sha1);
    }

    @Test
    void acceptHeaderIsBase64OfSha1OfKeyAndRfcGuid() throws Exception {
        try (TestServer server = TestServer.start(List.of());
                RawHttp http = RawHttp.connect(server.port())) {
            http.send(handshake(server.port(), upgradeHeaders("13", KEY)));
            Response r = http.read();

            assertEquals("HTTP/1.1 101 Switching Protocols", r.statusLine());
            assertEquals("websocket", r.header("Upgrade").toLowerCase());
            assertEquals("upgrade", r.header("Connection").toLowerCase());
            assertEquals(expectedAccept(KEY), r.header("Sec-WebSocket-Accept"));
            // Known answer from RFC 6455 1.3, so that the computation above is checked too.
            assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", expectedAccept("dGhlIHNhbXBsZSBub25jZQ=="));
            assertNull(r.header("Sec-WebSocket-Protocol"), "no subprotocol was asked for");
            assertNull(r.header("Sec-WebSocket-Extensions"), "no extension is negotiated");
        }
    }

    @Test
    void wrongVersionGets426NamingVersion13() throws Exception {
        try (TestServer server = TestServer.start(List.of())) {
            Response r = send(server.port(), handshake(server.port(), upgradeHeaders("8", KEY)));
            assertEquals(426, r.status(), r.toString());
            assertEquals("13", r.header("Sec-WebSocket-Version"));
        }
    }

    @Test
    void missingVersionGets426NamingVersion13() throws Exception {
        try (TestServer server = TestServer.start(List.of())) {
            Response r = send(server.port(), handshake(server.port(), upgradeHeaders(null, KEY)));
            assertEquals(426, r.status(), r.toString());
            assertEquals("13", r.header("Sec-WebSocket-Version"));
        }
    }

    @Test
    void missingKeyGets400() throws Exception {
        try (TestServer server = TestServer.start(List.of())) {
            Response r = send(server.port(), handshake(server.port(), upgradeHeaders("13", null)));
            assertEquals(400, r.status(), r.toString());
            assertTrue(r.text().contains("Sec-WebSocket-Key"), r.text());
        }
    }

    @Test
    void keyThatIsNotSixteenBytesOfBase64Gets400() throws Exception {
        try (TestServer server = TestServer.start(List.of())) {
            Response r = send(server.port(), handshake(server.port(), upgradeHeaders("13", "c2hvcnQ=")));
            assertEquals(400, r.status(), r.toString());
        }
    }

    @Test
    void plainGetOfWsWithoutUpgradeGets426() throws Exception {
        try (TestServer server = TestServer.start(List.of())) {
            Response r = RawHttp.get(server.port(), "/ws");
            assertEquals(426, r.status(), r.toString());
            assertEquals("websocket", r.header("Upgrade"));
        }
    }

    @Test
    void originOfAnotherSiteGets403() throws Exception {
        try (TestServer server = TestServer.start(List.of());
                WsTestClient ws = WsTestClient.open(server.port(), "/ws", "Origin: http://evil.example\r\n")) {
            assertTrue(ws.responseHead().startsWith("HTTP/1.1 403 "), ws.responseHead());
        }
    }

    @Test
    void originOnSameHostButAnotherPortGets403() throws Exception {
        try (TestServer server = TestServer.start(List.of());
                WsTestClient ws = WsTestClient.open(server.port(), "/ws",
                        "Origin: http://127.0.0.1:" + (server.port() == 1 ? 2 : server.port() - 1) + "\r\n")) {
            assertTrue(ws.responseHead().startsWith("HTTP/1.1 403 "), ws.responseHead());
        }
    }

    @Test
    void sameOriginAsHostIsAccepted() throws Exception {
        try (TestServer server = TestServer.start(List.of());
                WsTestClient ws = WsTestClient.open(server.port(), "/ws",
                        "Origin: http://127.0.0.1:" + server.port() + "\r\n")) {
            assertTrue(ws.responseHead().startsWith("HTTP/1.1 101 "), ws.responseHead());
            assertEquals("hello", Json.object(ws.readText()).get("type"));
        }
    }

    @Test
    void noOriginIsAccepted() throws Exception {
        try (TestServer server = TestServer.start(List.of());
                WsTestClient ws = WsTestClient.open(server.port(), "/ws", "")) {
            assertTrue(ws.responseHead().startsWith("HTTP/1.1 101 "), ws.responseHead());
            assertEquals("hello", Json.object(ws.readText()).get("type"));
        }
    }

    @Test
    void originListedInAllowedOriginsIsAcceptedAndOthersStillRefused() throws Exception {
        var settings = TestServer.settings().allowedOrigins(List.of("http://grafana.lan:3000")).build();
        try (TestServer server = TestServer.start(settings, List.of())) {
            try (WsTestClient ws = WsTestClient.open(server.port(), "/ws", "Origin: http://grafana.lan:3000\r\n")) {
                assertTrue(ws.responseHead().startsWith("HTTP/1.1 101 "), ws.responseHead());
            }
            try (WsTestClient ws = WsTestClient.open(server.port(), "/ws", "Origin: http://grafana.lan:3001\r\n")) {
                assertTrue(ws.responseHead().startsWith("HTTP/1.1 403 "), ws.responseHead());
            }
        }
    }

    @Test
    void framesSentRightBehindTheHandshakeInTheSameWriteAreRead() throws Exception {
        try (TestServer server = TestServer.start(List.of());
                RawHttp http = RawHttp.connect(server.port())) {
            byte[] request = handshake(server.port(), upgradeHeaders("13", KEY)).getBytes(ISO_8859_1);
            byte[] ping = WsTestClient.encode(true, 0, 0x9, "early".getBytes(ISO_8859_1), true);
            byte[] both = new byte[request.length + ping.length];
            System.arraycopy(request, 0, both, 0, request.length);
            System.arraycopy(ping, 0, both, request.length, ping.length);

            http.send(both);

            assertEquals(101, http.read().status());
            var in = http.socket().getInputStream();
            byte[] hello = readFrame(in);
            assertEquals(0x81, hello[0] & 0xFF, "the hello, a final text frame, comes first");
            byte[] pong = readFrame(in);
            assertEquals(0x8A, pong[0] & 0xFF, "then the pong for the early ping");
            assertEquals("early", new String(pong, 2, pong.length - 2, ISO_8859_1));
        }
    }

    /** One unmasked server frame of under 64 KiB, header included. */
    private static byte[] readFrame(java.io.InputStream in) throws Exception {
        byte[] h = in.readNBytes(2);
        int len = h[1] & 0x7F;
        byte[] ext = new byte[0];
        if (len == 126) {
            ext = in.readNBytes(2);
            len = (ext[0] & 0xFF) << 8 | (ext[1] & 0xFF);
        }
        byte[] payload = in.readNBytes(len);
        byte[] frame = new byte[2 + payload.length];
        frame[0] = h[0];
        frame[1] = h[1];
        System.arraycopy(payload, 0, frame, 2, payload.length);
        return frame;
    }
}

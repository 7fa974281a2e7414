package io.sensorcast.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.testing.RawHttp;
import io.sensorcast.testing.RawHttp.Response;
import io.sensorcast.testing.TestServer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * HTTP/1.1 framing and connection handling over a raw socket (RFC 9112): pipelining, persistence,
 * limits and errors. Every error that ends the connection must reach the client whole before the
 * server closes it.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class HttpConnectionTest {

    private static String get(int port, String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n";
    }

    @Test
    void threePipelinedGetsInOneWriteAreAnsweredInOrder() throws Exception {
        try (TestServer server = TestServer.start(List.of());
                RawHttp http = RawHttp.connect(server.port())) {
            int p = server.port();
            http.send(get(p, "/healthz") + get(p, "/no-such-page") + get(p, "/api/channels"));

            Response first = http.read();
            Response second = http.read();
            Response third = http.read();
            assertEquals(200, first.status());
            assertTrue(first.text().contains("\"status\""), first.text());
            assertEquals(404, second.status());
            assertEquals("not found: /no-such-page\n", second.text());
            assertEquals(200, third.status());
            assertEquals("[]", third.text(), "no sensors, no channels");
        }
    }

    @Test
    void requestsPipelinedPastTheOutboundCapAreAllAnsweredInOrder() throws Exception {
        // 100 dashboard responses (~2.5 KiB each) against a 16 KiB outbound cap: the server must
        // stop reading while the backlog is full and go on with the rest once the client reads.
        var settings = TestServer.settings().outboundCapBytes(16 * 1024).build();
        try (TestServer server = TestServer.start(settings, List.of());
                RawHttp http = RawHttp.connect(server.port())) {
            StringBuilder pipeline = new StringBuilder();
            for (int i = 0; i < 100; i++) {
                pipeline.append(get(server.port(), "/?n=" + i));
            }
            pipeline.append(get(server.port(), "/api/channels"));
            http.send(pipeline.toString());

            for (int i = 0; i < 100; i++) {
                Response r;
                try {
                    r = http.read();
                } catch (java.net.SocketTimeoutException e) {
                    throw new AssertionError("no response " + i + " of 100 within 5 s", e);
                }
                assertEquals(200, r.status(), "response " + i);
                assertEquals("text/html; charset=utf-8", r.header("Content-Type"), "response " + i);
            }
            assertEquals("[]", http.read().text(), "the last request is answered last");
        }
    }

    @Test
    void upgradeQueuedBehindPipelinedRequestsStillGetsItsHello() throws Exception {
        var settings = TestServer.settings().outboundCapBytes(16 * 1024).build();
        try (TestServer server = TestServer.start(settings, List.of());
                RawHttp http = RawHttp.connect(server.port())) {
            StringBuilder pipeline = new StringBuilder();
            for (int i = 0; i < 20; i++) {
                pipeline.append(get(server.port(), "/?n=" + i));
            }
            pipeline.append("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
            http.send(pipeline.toString());

            for (int i = 0; i < 20; i++) {
                assertEquals(200, http.read().status(), "response " + i);
            }
            assertEquals(101, http.read().status());
            byte[] head = http.socket().getInputStream().readNBytes(2);
            assertEquals(0x81, head[0] & 0xFF, "the hello (a final text frame) follows the 101 at once");
        }
    }

    @Test
    void aClientThatHalfClosesAfterPipelinedRequestsStillGetsEveryAnswer() throws Exception {
        // 200 dashboard responses (~2.5 KiB each) overflow the 16 KiB cap, so most of them are
        // still to be written when the server reads the client's FIN.
        var settings = TestServer.settings().outboundCapBytes(16 * 1024).build();
        try (TestServer server = TestServer.start(settings, List.of());
                RawHttp http = RawHttp.connect(server.port())) {
            StringBuilder pipeline = new StringBuilder();
            for (int i = 0; i < 200; i++) {
                pipeline.append(get(server.port(), "/?n=" + i));
            }
            http.send(pipeline.toString());
            http.socket().shutdownOutput();

            for (int i = 0; i < 200; i++) {
                assertEquals(200, http.read().status(), "response " + i + " of 200");
            }
            assertTrue(http.isClosedByServer(), "then the server closes");
        }
    }

    @Test
    void keepAliveConnectionServesOneRequestAfterAnother() throws Exception {
        try (TestServer server = TestServer.start(List.of());
                RawHttp http = RawHttp.connect(server.port())) {
            for (int i = 0; i < 3; i++) {
                http.send(get(server.port(), "/healthz"));
                Response r = http.read();
                assertEquals(200, r.status(), "request " + i + " on the same connection");
                assertNull(r.header("Connection"), "HTTP/1.1 persists unless someone says close");
            }
        }
    }

    @Test
    void http10RequestIsAnsweredWithConnectionCloseAndTheConnectionEnds() throws Exception {
        try (TestServer server = TestServer.start(List.of());
                RawHttp http = RawHttp.connect(server.port())) {
            http.send("GET /healthz HTTP/1.0\r\n\r\n");
            Response r = http.read();
            assertEquals(200, r.status());
            assertEquals("close", r.header("Connection"));
            assertTrue(http.isClosedByServer(), "HTTP/1.0 without keep-alive: closed after the response");
        }
    }

    @Test
    void connectionCloseHeaderEndsTheConnectionAfterTheResponse() throws Exception {
        try (TestServer server = TestServer.start(List.of());
                RawHttp http = RawHttp.connect(server.port())) {
            http.send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertEquals(200, http.read().status());
            assertTrue(http.isClosedByServer());
        }
    }

    @Test
    void headerSectionOver8KiBGets431AndClose() throws Exception {
        try (TestServer server = TestServer.start(List.of());
                RawHttp http = RawHttp.connect(server.port())) {
            String big = "X-Filler: " + "a".repeat(8 * 1024) + "\r\n";
            http.send("GET / HTTP/1.1\r\nHost: x\r\n" + big + "\r\n");
            Response r = http.read();
            assertEquals(431, r.status(), r.toString());
            assertEquals("close", r.header("Connection"));
            assertTrue(http.isClosedByServer());
        }
    }

    @Test
    void headerSectionOfExactly8KiBIsAccepted() throws Exception {
        try (TestServer server = TestServer.start(List.of());
                RawHttp http = RawHttp.connect(server.port())) {
            String start = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Filler: ";
            String end = "\r\n\r\n";
            String request = start + "a".repeat(8 * 1024 - start.length() - end.length()) + end;
            assertEquals(8 * 1024, request.length());
            http.send(request);
            assertEquals(200, http.read().status());
        }
    }

    @Test
    void contentLengthOverTheBodyLimitGets413BeforeAnyBodyIsSent() throws Exception {
        try (TestServer server = TestServer.start(List.of());
                RawHttp http = RawHttp.connect(server.port())) {
            http.send("POST /api/channels HTTP/1.1\r\nHost: x\r\nContent-Length: " + (64 * 1024 + 1) + "\r\n\r\n");
            Response r = http.read();
            assertEquals(413, r.status(), r.toString());
            assertEquals("close", r.header("Connection"));
            assertTrue(http.isClosedByServer());
        }
    }

    @Test
    void malformedRequestLineGets400WithAShortReason() throws Exception {
        try (TestServer server = TestServer.start(List.of());
                RawHttp http = RawHttp.connect(server.port())) {
            http.send("GET/ HTTP/1.1\r\nHost: x\r\n\r\n");
            Response r = http.read();
            assertEquals(400, r.status());
            assertEquals("text/plain; charset=utf-8", r.header("Content-Type"));
            assertEquals("malformed request line\n", r.text());
            assertTrue(http.isClosedByServer());
        }
    }

    @Test
    void requestWithoutHostGets400() throws Exception {
        try (TestServer server = TestServer.start(List.of());
                RawHttp http = RawHttp.connect(server.port())) {
            http.send("GET /healthz HTTP/1.1\r\n\r\n");
            Response r = http.read();
            assertEquals(400, r.status());
            assertEquals("missing Host\n", r.text());
        }
    }

    @Test
    void unknownPathGets404() throws Exception {
        try (TestServer server = TestServer.start(List.of())) {
            Response r = RawHttp.get(server.port(), "/nothing/here");
            assertEquals(404, r.status());
            assertEquals("not found: /nothing/here\n", r.text());
        }
    }

    @Test
    void postToHealthzGets405WithAllowGetHead() throws Exception {
        try (TestServer server = TestServer.start(List.of());
                RawHttp http = RawHttp.connect(server.port())) {
            http.send("POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}");
            Response r = http.read();
            assertEquals(405, r.status());
            assertEquals("GET, HEAD", r.header("Allow"));
            // The body was read as part of the request: the connection is still in step.
            http.send(get(server.port(), "/healthz"));
            assertEquals(200, http.read().status());
        }
    }

    @Test
    void headHasTheContentLengthOfGetButNoBody() throws Exception {
        try (TestServer server = TestServer.start(List.of());
                RawHttp http = RawHttp.connect(server.port())) {
            http.send(get(server.port(), "/"));
            Response full = http.read();
            http.send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n");
            Response head = http.readHead();

            assertEquals(200, head.status());
            assertEquals(String.valueOf(full.body().length), head.header("Content-Length"));
            assertEquals(full.header("ETag"), head.header("ETag"));
            // Had a body followed the HEAD response, this would read it instead of a status line.
            http.send(get(server.port(), "/healthz"));
            Response next = http.read();
            assertEquals(200, next.status());
            assertTrue(next.text().startsWith("{"), next.text());
        }
    }

    @Test
    void bodyBytesOfAPostAreNotReadAsTheNextRequest() throws Exception {
        try (TestServer server = TestServer.start(List.of());
                RawHttp http = RawHttp.connect(server.port())) {
            String smuggled = get(server.port(), "/healthz");
            http.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " + smuggled.length() + "\r\n\r\n" + smuggled
                    + get(server.port(), "/api/channels"));
            assertEquals(405, http.read().status(), "POST / is refused");
            Response second = http.read();
            assertEquals(200, second.status());
            assertArrayEquals("[]".getBytes(), second.body(), "the second answer is /api/channels, not /healthz");
        }
    }
}

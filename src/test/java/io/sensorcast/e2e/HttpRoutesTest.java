package io.sensorcast.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.testing.Json;
import io.sensorcast.testing.RawHttp;
import io.sensorcast.testing.RawHttp.Response;
import io.sensorcast.testing.TestSensors;
import io.sensorcast.testing.TestServer;
import io.sensorcast.testing.WsTestClient;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the routes answer: the packaged dashboard, /api/channels and /healthz; nothing else from disk. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class HttpRoutesTest {

    @Test
    void rootServesThePackagedDashboardWithEtagAndNoCache() throws Exception {
        byte[] packaged;
        try (InputStream in = getClass().getResourceAsStream("/web/index.html")) {
            packaged = in.readAllBytes();
        }
        try (TestServer server = TestServer.start(List.of())) {
            Response r = RawHttp.get(server.port(), "/");
            assertEquals(200, r.status());
            assertEquals("text/html; charset=utf-8", r.header("Content-Type"));
            assertEquals("no-cache", r.header("Cache-Control"));
            assertTrue(r.header("ETag").matches("\"[0-9a-f]{24}\""), "a strong ETag: " + r.header("ETag"));
            assertEquals(new String(packaged, "UTF-8"), r.text());
        }
    }

    @Test
    void ifNoneMatchWithTheEtagGets304WithoutBody() throws Exception {
        try (TestServer server = TestServer.start(List.of());
                RawHttp http = RawHttp.connect(server.port())) {
            String etag = RawHttp.get(server.port(), "/").header("ETag");

            http.send("GET / HTTP/1.1\r\nHost: x\r\nIf-None-Match: " + etag + "\r\n\r\n");
            Response r = http.read();
            assertEquals("HTTP/1.1 304 Not Modified", r.statusLine());
            assertEquals(etag, r.header("ETag"));
            assertNull(r.header("Content-Length"), "304 carries no body and no length (RFC 9110 8.6)");
            // The next response on the connection starts right after the 304's head.
            http.send("GET / HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"other\"\r\n\r\n");
            assertEquals(200, http.read().status(), "a different tag gets the file");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "/../pom.xml",
        "/%2e%2e/io/sensorcast/cli/Main.class",
        "/..%2fpom.xml",
        "/%2e%2e%2f%2e%2e%2fpom.xml",
        "/..\\pom.xml",
        "//etc/passwd",
        "/web/index.html",
        "/io/sensorcast/version.txt",
        "/io/sensorcast/cli/Main.class",
        "/tinylog.properties",
        "/./index.html",
        "/index.html/",
        "/%00index.html",
    })
    void pathTraversalAndClasspathNamesNeverServeAFile(String target) throws Exception {
        try (TestServer server = TestServer.start(List.of());
                RawHttp http = RawHttp.connect(server.port())) {
            http.send("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n");
            Response r = http.read();
            assertTrue(r.status() == 404 || r.status() == 400, target + " -> " + r);
            assertEquals("text/plain; charset=utf-8", r.header("Content-Type"));
            assertFalse(r.text().contains("<project") || r.text().contains("root:") || r.text().contains("writer"),
                    "no file content in the body: " + r.text());
            assertTrue(r.body().length < 200, "a short error text, not a file: " + r.text());
        }
    }

    @Test
    void apiChannelsListsEveryChannelWithIdNameUnitStateAndLatest() throws Exception {
        try (TestServer server = TestServer.start(List.of(
                TestSensors.constant("door.open", "Front door", "", 1, Duration.ofMillis(20)),
                TestSensors.constant("air.temperature", "Air", "°C", 21.5, Duration.ofHours(1)),
                TestSensors.failing("bus.probe", "cannot read /dev/i2c-1: No such device", Duration.ofMillis(20))))) {

            List<?> channels = awaitChannels(server.port(), list -> {
                Map<?, ?> door = (Map<?, ?>) list.get(0);
                Map<?, ?> bus = (Map<?, ?>) list.get(2);
                return door.get("latest") != null && "error".equals(bus.get("state"));
            });
            Response r = RawHttp.get(server.port(), "/api/channels");
            assertEquals("application/json", r.header("Content-Type"));
            assertEquals("no-store", r.header("Cache-Control"));

            assertEquals(3, channels.size(), channels.toString());
            Map<?, ?> door = (Map<?, ?>) channels.get(0);
            assertEquals("door.open", door.get("id"));
            assertEquals("Front door", door.get("name"));
            assertEquals("", door.get("unit"));
            assertEquals("ok", door.get("state"));
            Map<?, ?> latest = (Map<?, ?>) door.get("latest");
            assertEquals(1.0, latest.get("v"));
            assertTrue((Double) latest.get("seq") >= 1, latest.toString());
            assertTrue(Math.abs((Double) latest.get("t") - System.currentTimeMillis()) < 60_000, latest.toString());

            Map<?, ?> air = (Map<?, ?>) channels.get(1);
            assertEquals("air.temperature", air.get("id"));
            assertEquals("°C", air.get("unit"));
            assertEquals("ok", air.get("state"));

            Map<?, ?> bus = (Map<?, ?>) channels.get(2);
            assertEquals("bus.probe", bus.get("id"));
            assertEquals("error", bus.get("state"));
            assertEquals("cannot read /dev/i2c-1: No such device", bus.get("message"));
            assertTrue(bus.containsKey("latest") && bus.get("latest") == null, "never read: latest is null");
        }
    }

    @Test
    void healthzSaysOkAndCountsMonitorsAndChannelsByState() throws Exception {
        try (TestServer server = TestServer.start(List.of(
                TestSensors.constant("door.open", "Door", "", 1, Duration.ofMillis(50)),
                TestSensors.failing("bus.probe", "no device", Duration.ofMillis(20))))) {
            int port = server.port();
            Map<String, Object> h = awaitHealth(port, m -> ((Map<?, ?>) m.get("channels")).get("error").equals(1.0));
            assertEquals("ok", h.get("status"));
            assertEquals(0.0, h.get("monitors"));
            assertEquals(Map.of("ok", 1.0, "stale", 0.0, "error", 1.0), h.get("channels"));

            try (WsTestClient monitor = WsTestClient.connect(port, "/ws");
                    WsTestClient second = WsTestClient.connect(port, "/ws")) {
                monitor.readText();
                second.readText(); // both hellos are out: both are in the hub
                assertEquals(2.0, Json.object(RawHttp.get(port, "/healthz").text()).get("monitors"));

                second.sendClose(1000, "");
                second.readUntilClose();
                assertTrue(second.awaitEof());
                second.close(); // as a client does once the server has closed (RFC 6455 7.1.1)
                assertEquals(1.0, awaitHealth(port, m -> m.get("monitors").equals(1.0)).get("monitors"));
            }
            assertEquals(0.0, awaitHealth(port, m -> m.get("monitors").equals(0.0)).get("monitors"),
                    "a monitor that vanishes without a close frame is removed too");
        }
    }

    /** Polls /healthz (at most 5 s) until {@code done} holds; returns the last body. */
    private static Map<String, Object> awaitHealth(int port, java.util.function.Predicate<Map<String, Object>> done)
            throws Exception {
        Map<String, Object> m = null;
        for (int i = 0; i < 100; i++) {
            Response r = RawHttp.get(port, "/healthz");
            assertEquals(200, r.status(), r.text());
            assertEquals("application/json", r.header("Content-Type"));
            m = Json.object(r.text());
            if (done.test(m)) {
                return m;
            }
            Thread.sleep(50);
        }
        return m;
    }

    private static List<?> awaitChannels(int port, java.util.function.Predicate<List<?>> done) throws Exception {
        List<?> list = null;
        for (int i = 0; i < 100; i++) {
            Response r = RawHttp.get(port, "/api/channels");
            assertEquals(200, r.status());
            list = (List<?>) Json.parse(r.text());
            if (done.test(list)) {
                return list;
            }
            Thread.sleep(50);
        }
        assertNotNull(list);
        return list;
    }
}

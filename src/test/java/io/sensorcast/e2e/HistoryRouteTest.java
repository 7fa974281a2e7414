package io.sensorcast.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.testing.Json;
import io.sensorcast.testing.RawHttp;
import io.sensorcast.testing.RawHttp.Response;
import io.sensorcast.testing.TestSensors;
import io.sensorcast.testing.TestServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** /api/channels/{id}/history over a real socket, and the uPlot files from the WebJar. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class HistoryRouteTest {

    @Test
    void historyServesColumnsForRawAndMinuteWindows() throws Exception {
        try (TestServer server = TestServer.start(List.of(TestSensors.sine("wave", "Wave", "V", 100)))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            Map<String, Object> raw;
            do { // bounded wait for a few samples to land in the ring
                Thread.sleep(50);
                raw = Json.object(RawHttp.get(server.port(), "/api/channels/wave.sine/history?window=5m").text());
            } while (((List<?>) raw.get("t")).size() < 10 && System.nanoTime() < deadline);
            assertEquals("wave.sine", raw.get("channel"));
            assertEquals("5m", raw.get("window"));
            assertEquals("raw", raw.get("resolution"));
            List<?> t = (List<?>) raw.get("t");
            assertTrue(t.size() >= 10, "samples in the ring: " + t.size());
            assertEquals(t.size(), ((List<?>) raw.get("v")).size());

            double since = (Double) t.get(t.size() - 3);
            Map<String, Object> gap = Json.object(RawHttp.get(server.port(),
                    "/api/channels/wave.sine/history?window=5m&since=" + since).text());
            List<?> newer = (List<?>) gap.get("t");
            assertTrue(newer.size() >= 2 && (Double) newer.get(0) > since, "only points after since: " + newer);

            Map<String, Object> few = Json.object(RawHttp.get(server.port(),
                    "/api/channels/wave.sine/history?window=1h&points=4").text());
            assertTrue(((List<?>) few.get("t")).size() <= 4, "decimated to 4: " + few);

            Response minutes = RawHttp.get(server.port(), "/api/channels/wave.sine/history?window=24h");
            assertEquals("application/json", minutes.header("Content-Type"));
            Map<String, Object> m = Json.object(minutes.text());
            assertEquals("minute", m.get("resolution"));
            assertEquals(1, ((List<?>) m.get("t")).size(), "the minute being filled: " + m);
            for (String k : List.of("min", "avg", "max")) {
                assertEquals(1, ((List<?>) m.get(k)).size(), k);
            }
        }
    }

    @Test
    void unknownChannelIs404AndBadWindowIs400WithJsonErrors() throws Exception {
        try (TestServer server = TestServer.start(List.of(TestSensors.sine("wave", "Wave", "V", 1)))) {
            Response missing = RawHttp.get(server.port(), "/api/channels/nope/history?window=1h");
            assertEquals(404, missing.status());
            assertTrue(((String) Json.object(missing.text()).get("error")).contains("nope"));
            Response bad = RawHttp.get(server.port(), "/api/channels/wave.sine/history?window=2h");
            assertEquals(400, bad.status());
            assertTrue(((String) Json.object(bad.text()).get("error")).contains("window"));
            assertEquals(404, RawHttp.get(server.port(), "/api/channels/wave.sine/other").status());
        }
    }

    @Test
    void onlyTheTwoUplotFilesOfTheWebJarAreServed() throws Exception {
        try (TestServer server = TestServer.start(List.of())) {
            Response js = RawHttp.get(server.port(), "/vendor/uPlot.iife.min.js");
            assertEquals(200, js.status());
            assertEquals("text/javascript; charset=utf-8", js.header("Content-Type"));
            assertEquals("no-cache", js.header("Cache-Control"));
            assertTrue(js.header("ETag").matches("\"[0-9a-f]{24}\""), "a strong ETag: " + js.header("ETag"));
            assertTrue(js.text().contains("uPlot"));
            assertEquals(200, RawHttp.get(server.port(), "/vendor/uPlot.min.css").status());
            assertEquals(404, RawHttp.get(server.port(), "/vendor/uPlot.esm.js").status());
            assertEquals(404, RawHttp.get(server.port(), "/META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.esm.js").status());
        }
    }
}

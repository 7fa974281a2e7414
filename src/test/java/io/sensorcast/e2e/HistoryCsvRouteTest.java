package io.sensorcast.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.hub.ChannelInfo;
import io.sensorcast.hub.Hub;
import io.sensorcast.testing.Csv;
import io.sensorcast.testing.Json;
import io.sensorcast.testing.RawHttp;
import io.sensorcast.testing.RawHttp.Response;
import io.sensorcast.testing.TestServer;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** /api/channels/{id}/history.csv and /api/history.csv over a real socket. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HistoryCsvRouteTest {

    private static final long MINUTE = 60_000_000L;

    /** A server with channels of its own (no sensor threads) whose history the test writes. */
    private static TestServer server(String token, String... names) throws Exception {
        TestServer s = TestServer.start(TestServer.settings().accessToken(token).build(), List.of());
        s.onLoop(() -> {
            Hub hub = s.service().hub();
            for (int i = 0; i < names.length; i++) {
                // Sampled once a minute (as fill does): a raw ring of an hour is 61 points, and the
                // heap holds little more than the minutes.
                hub.register(new ChannelInfo("ch" + i, names[i], "°C"), "dev", java.time.Duration.ofMinutes(1));
            }
            return null;
        });
        return s;
    }

    /** Samples {@code count} minutes apart, the newest at the current minute, on every channel given. */
    private static void fill(TestServer s, int channels, int count) throws Exception {
        long nowMinute = Math.floorDiv(System.currentTimeMillis() * 1000, MINUTE);
        for (int c = 0; c < channels; c++) {
            String id = "ch" + c;
            s.onLoop(() -> {
                var h = s.service().hub().channel(id).history();
                for (int k = count - 1; k >= 0; k--) {
                    h.add((nowMinute - k) * MINUTE + 1_000_000L, k % 100);
                }
                return null;
            });
        }
    }

    @Test
    void oneChannelAsCsvWithItsHeadersAndRows() throws Exception {
        try (TestServer s = server("", "Shed, \"north\" wall")) {
            fill(s, 1, 3);
            Response r = RawHttp.get(s.port(), "/api/channels/ch0/history.csv?window=1h");
            assertEquals(200, r.status());
            assertEquals("text/csv; charset=utf-8; header=present", r.header("Content-Type"));
            assertEquals("attachment; filename=\"test-device_ch0_1h.csv\"", r.header("Content-Disposition"));
            assertEquals("chunked", r.header("Transfer-Encoding"));
            assertNull(r.header("Content-Length"));
            List<List<String>> rows = Csv.parse(r.text());
            assertEquals(List.of("channel", "name", "unit", "time", "epoch_ms", "value"), rows.get(0));
            assertEquals(4, rows.size(), "three raw points: " + rows);
            assertEquals(List.of("ch0", "Shed, \"north\" wall", "°C"), rows.get(1).subList(0, 3));
            assertEquals("2", rows.get(1).get(5));

            Response minutes = RawHttp.get(s.port(), "/api/channels/ch0/history.csv?window=7d");
            List<List<String>> m = Csv.parse(minutes.text());
            assertEquals(List.of("channel", "name", "unit", "time", "epoch_ms", "min", "avg", "max", "count"), m.get(0));
            assertEquals(4, m.size(), "three minutes: " + m);
            assertTrue(m.get(1).get(3).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:00Z"), m.get(1).get(3));
        }
    }

    @Test
    void errorsAreTheJsonHistorysAndTheTokenIsNeeded() throws Exception {
        try (TestServer s = server("csv-token-0123456789", "A")) {
            assertEquals(401, RawHttp.get(s.port(), "/api/channels/ch0/history.csv?window=1h").status());
            assertEquals(401, RawHttp.get(s.port(), "/api/history.csv?window=1h").status());
            String auth = "Authorization: Bearer csv-token-0123456789\r\n";
            Response missing = get(s, "/api/channels/nope/history.csv?window=1h", auth);
            assertEquals(404, missing.status());
            assertEquals("no channel 'nope'", Json.object(missing.text()).get("error"));
            Response bad = get(s, "/api/history.csv?window=2h", auth);
            assertEquals(400, bad.status());
            assertEquals("window must be 5m, 1h, 24h or 7d, was '2h'", Json.object(bad.text()).get("error"));
            Response none = get(s, "/api/history.csv", auth);
            assertEquals(400, none.status());
            Response ok = get(s, "/api/history.csv?window=24h", auth);
            assertEquals(200, ok.status());
            assertEquals("attachment; filename=\"test-device_all_24h.csv\"", ok.header("Content-Disposition"));
        }
    }

    private static Response get(TestServer s, String target, String headers) throws Exception {
        try (RawHttp c = RawHttp.connect(s.port())) {
            c.send("GET " + target + " HTTP/1.1\r\nHost: x\r\n" + headers + "\r\n");
            return c.read();
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredAfterTheStreamAndHttp10GetsTheBodyToTheClose() throws Exception {
        try (TestServer s = server("", "A", "B")) {
            fill(s, 2, 3000); // 6,000 rows, many parts
            try (RawHttp c = RawHttp.connect(s.port())) {
                c.send("GET /api/history.csv?window=7d HTTP/1.1\r\nHost: x\r\n\r\n"
                        + "HEAD /api/history.csv?window=7d HTTP/1.1\r\nHost: x\r\n\r\n"
                        + "GET /api/channels HTTP/1.1\r\nHost: x\r\n\r\n");
                Response csv = c.read();
                List<List<String>> rows = Csv.parse(csv.text());
                assertEquals(1 + 2 * 3000, rows.size());
                assertEquals("ch1", rows.get(rows.size() - 1).get(0));
                Response head = c.readHead();
                assertEquals(200, head.status());
                assertEquals("chunked", head.header("Transfer-Encoding"));
                Response next = c.read();
                assertEquals("application/json", next.header("Content-Type"), "the third answer: " + next);
            }
            try (RawHttp c = RawHttp.connect(s.port())) {
                c.send("GET /api/channels/ch1/history.csv?window=7d HTTP/1.0\r\n\r\n");
                Response head = c.readResponseHead();
                assertNull(head.header("Transfer-Encoding"));
                assertEquals("close", head.header("Connection"));
                String body = new String(c.readToEof(), StandardCharsets.UTF_8);
                assertEquals(1 + 3000, Csv.parse(body).size());
            }
        }
    }

    /**
     * 200 channels and 7 days: about 155 MB of CSV from a server whose heap (the test's, -Xmx64m)
     * already holds their 32 MB of minutes. It can only get through in parts.
     */
    @Test
    void aWeekOf200ChannelsStreamsThroughA64MiBHeap() throws Exception {
        String[] names = new String[200];
        java.util.Arrays.fill(names, "Greenhouse temperature");
        try (TestServer s = server("", names)) {
            fill(s, 200, 10_080);
            long[] lines = new long[1];
            long[] bytes = new long[1];
            OutputStream counter = new OutputStream() {
                @Override
                public void write(int b) {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    for (int i = off; i < off + len; i++) {
                        lines[0] += b[i] == '\n' ? 1 : 0;
                    }
                    bytes[0] += len;
                }
            };
            Runtime rt = Runtime.getRuntime();
            long start = System.nanoTime();
            try (RawHttp c = RawHttp.connect(s.port())) {
                c.send("GET /api/history.csv?window=7d HTTP/1.1\r\nHost: x\r\n\r\n");
                assertEquals(200, c.readResponseHead().status());
                c.readChunks(counter, 1L << 32);
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertEquals(1 + 200 * 10_080, lines[0], "a header and a row per minute per channel");
            assertTrue(bytes[0] > rt.maxMemory(), "more CSV than the whole heap: " + bytes[0]);
            System.out.println("7d of 200 channels: " + bytes[0] + " bytes of CSV in " + ms + " ms, heap max "
                    + rt.maxMemory() + ", in use after " + (rt.totalMemory() - rt.freeMemory()));
        }
    }
}

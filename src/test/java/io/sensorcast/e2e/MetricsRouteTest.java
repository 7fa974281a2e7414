package io.sensorcast.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sensorcast.hub.ChannelInfo;
import io.sensorcast.hub.ChannelState;
import io.sensorcast.hub.Hub;
import io.sensorcast.hub.Sample;
import io.sensorcast.hub.StatusChange;
import io.sensorcast.testing.RawHttp;
import io.sensorcast.testing.TestSensors;
import io.sensorcast.testing.TestServer;
import io.sensorcast.testing.WsTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code GET /metrics}, read with a parser of its own (not the producer's code): the text
 * exposition format 0.0.4, the names and types, counters that move, escaping, the histogram.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MetricsRouteTest {

    /** The unit label a config may give: a quote, a backslash and a line feed. */
    private static final String ODD_UNIT = "a\"b\\c\nd";
    private static final String ODD_DEVICE = "dev\"ice\\1";

    // ---- an independent parser of the text format -------------------------------------------------

    record Series(String name, Map<String, String> labels, double value) {}

    static final class Exposition {
        final Map<String, String> help = new LinkedHashMap<>();
        final Map<String, String> type = new LinkedHashMap<>();
        final List<Series> series = new ArrayList<>();

        List<Series> named(String name) {
            return series.stream().filter(s -> s.name.equals(name)).toList();
        }

        double value(String name, String... labels) {
            Map<String, String> want = new HashMap<>();
            for (int i = 0; i < labels.length; i += 2) {
                want.put(labels[i], labels[i + 1]);
            }
            List<Series> found = series.stream()
                    .filter(s -> s.name.equals(name) && s.labels.entrySet().containsAll(want.entrySet())).toList();
            assertEquals(1, found.size(), name + " " + want + ": " + found);
            return found.get(0).value;
        }
    }

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    static Exposition parse(String text) {
        assertTrue(text.endsWith("\n"), "the last line ends with a line feed");
        Exposition e = new Exposition();
        Set<String> typed = new java.util.HashSet<>();
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("# HELP ")) {
                String rest = line.substring(7);
                int sp = rest.indexOf(' ');
                String name = rest.substring(0, sp);
                assertTrue(NAME.matcher(name).matches(), line);
                assertEquals(null, e.help.put(name, unescape(rest.substring(sp + 1), false)), "one HELP per family: " + line);
            } else if (line.startsWith("# TYPE ")) {
                String[] p = line.substring(7).split(" ");
                assertEquals(2, p.length, line);
                assertTrue(Set.of("counter", "gauge", "histogram", "summary", "untyped").contains(p[1]), line);
                assertTrue(typed.add(p[0]), "one TYPE per family: " + line);
                e.type.put(p[0], p[1]);
            } else if (line.startsWith("#")) {
                continue;
            } else {
                e.series.add(sample(line));
            }
        }
        return e;
    }

    private static Series sample(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        assertTrue(NAME.matcher(name).matches(), "metric name in: " + line);
        Map<String, String> labels = new LinkedHashMap<>();
        if (line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String label = line.substring(i, eq);
                assertTrue(LABEL_NAME.matcher(label).matches(), "label name '" + label + "' in: " + line);
                assertEquals('"', line.charAt(eq + 1), line);
                StringBuilder v = new StringBuilder();
                int j = eq + 2;
                for (;; j++) {
                    char c = line.charAt(j);
                    if (c == '"') {
                        break;
                    }
                    if (c == '\\') {
                        char n = line.charAt(++j);
                        switch (n) {
                            case 'n' -> v.append('\n');
                            case '\\' -> v.append('\\');
                            case '"' -> v.append('"');
                            default -> fail("bad escape \\" + n + " in: " + line);
                        }
                    } else {
                        v.append(c);
                    }
                }
                assertEquals(null, labels.put(label, v.toString()), "label repeated: " + line);
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            i++;
        }
        assertEquals(' ', line.charAt(i), line);
        String[] rest = line.substring(i + 1).split(" ");
        assertTrue(rest.length == 1 || rest.length == 2, line);
        String v = rest[0];
        double value = switch (v) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(v);
        };
        return new Series(name, labels, value);
    }

    private static String unescape(String s, boolean quotes) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                char n = s.charAt(++i);
                b.append(n == 'n' ? '\n' : n);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    // ---- the tests -------------------------------------------------------------------------------------

    private static Exposition scrape(TestServer server) throws Exception {
        RawHttp.Response r = RawHttp.get(server.port(), "/metrics");
        assertEquals(200, r.status());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", r.header("Content-Type"));
        return parse(r.text());
    }

    private static TestServer server() throws Exception {
        TestServer server = TestServer.start(TestServer.settings()
                .outboundCapBytes(4096)
                .pingInterval(Duration.ofMinutes(10))
                .build(), List.of());
        server.onLoop(() -> {
            Hub hub = server.service().hub();
            hub.register(new ChannelInfo("t.odd", "Odd", ODD_UNIT), ODD_DEVICE, null);
            hub.register(new ChannelInfo("t.temp", "Temperature", "°C"), "t", null);
            return null;
        });
        return server;
    }

    @Test
    void everyFamilyHasHelpAndTypeAndConventionalNames() throws Exception {
        try (TestServer server = server()) {
            Exposition e = scrape(server);
            Map<String, String> expected = new LinkedHashMap<>();
            expected.put("sensorcast_monitors_connected", "gauge");
            expected.put("sensorcast_connections_open", "gauge");
            expected.put("sensorcast_sample_frames_queued_total", "counter");
            expected.put("sensorcast_sample_frames_sent_total", "counter");
            expected.put("sensorcast_sample_frames_dropped_total", "counter");
            expected.put("sensorcast_state_frames_replaced_total", "counter");
            expected.put("sensorcast_sent_bytes_total", "counter");
            expected.put("sensorcast_inbox_depth", "gauge");
            expected.put("sensorcast_inbox_refused_total", "counter");
            expected.put("sensorcast_loop_iteration_seconds", "histogram");
            expected.put("sensorcast_channel_value", "gauge");
            expected.put("sensorcast_channel_state", "gauge");
            expected.put("sensorcast_channel_samples_total", "counter");
            expected.put("sensorcast_sensor_errors_total", "counter");
            expected.put("sensorcast_jvm_heap_used_bytes", "gauge");
            expected.put("sensorcast_jvm_heap_committed_bytes", "gauge");
            expected.put("sensorcast_jvm_heap_max_bytes", "gauge");
            expected.put("sensorcast_jvm_metaspace_used_bytes", "gauge");
            expected.put("sensorcast_jvm_metaspace_committed_bytes", "gauge");
            expected.put("sensorcast_jvm_gc_collections_total", "counter");
            expected.put("sensorcast_jvm_gc_collection_seconds_total", "counter");
            expected.forEach((name, type) -> assertEquals(type, e.type.get(name), "TYPE of " + name));

            for (String family : e.type.keySet()) {
                assertTrue(family.startsWith("sensorcast_"), family);
                assertFalse(e.help.getOrDefault(family, "").isBlank(), "HELP of " + family);
                if (e.type.get(family).equals("counter")) {
                    assertTrue(family.endsWith("_total"), "a counter ends in _total: " + family);
                }
            }
            for (Series s : e.series) {
                String family = e.type.containsKey(s.name) ? s.name : s.name.replaceFirst("_(bucket|sum|count)$", "");
                assertNotNull(e.type.get(family), "series without TYPE: " + s.name);
                if (!family.equals(s.name)) {
                    assertEquals("histogram", e.type.get(family), s.name);
                }
            }
            // Each channel has one series per state: the "state set" pattern.
            assertEquals(1, e.value("sensorcast_channel_state", "channel", "t.temp", "state", "ok"));
            assertEquals(0, e.value("sensorcast_channel_state", "channel", "t.temp", "state", "stale"));
            assertEquals(0, e.value("sensorcast_channel_state", "channel", "t.temp", "state", "error"));
            assertTrue(e.named("sensorcast_channel_value").isEmpty(), "no value before the first sample");
            assertTrue(e.value("sensorcast_jvm_heap_used_bytes") > 0);
            // The server's own classes alone take megabytes of metadata; committed covers used.
            assertTrue(e.value("sensorcast_jvm_metaspace_used_bytes") > 1_000_000, () -> "" + e.value("sensorcast_jvm_metaspace_used_bytes"));
            assertTrue(e.value("sensorcast_jvm_metaspace_committed_bytes") >= e.value("sensorcast_jvm_metaspace_used_bytes"));
            assertEquals(64L * 1024 * 1024, e.value("sensorcast_jvm_heap_max_bytes"), 8L * 1024 * 1024,
                    "the test JVM's -Xmx64m");
        }
    }

    @Test
    void countersMoveAfterSamplesMonitorsDropsAndErrors() throws Exception {
        try (TestServer server = server()) {
            Exposition before = scrape(server);
            assertEquals(0, before.value("sensorcast_monitors_connected"));
            assertEquals(0, before.value("sensorcast_channel_samples_total", "channel", "t.temp"));
            assertEquals(0, before.value("sensorcast_sensor_errors_total", "device", "t"));
            assertEquals(0, before.value("sensorcast_sample_frames_dropped_total"));
            assertEquals(0, before.value("sensorcast_state_frames_replaced_total"));

            try (WsTestClient monitor = WsTestClient.connect(server.port(), "/ws")) {
                // 1000 samples in one loop task: far over the 4 KiB outbound cap before any write.
                server.onLoop(() -> {
                    Hub hub = server.service().hub();
                    for (int i = 1; i <= 1000; i++) {
                        hub.onSample(new Sample("t.temp", i, System.currentTimeMillis() * 1000, 20 + i / 1000.0));
                    }
                    hub.onStatus(new StatusChange("t.odd", ChannelState.ERROR, "bus busy"));
                    hub.onStatus(new StatusChange("t.odd", ChannelState.ERROR, "bus still busy")); // not a new error
                    hub.onStatus(new StatusChange("t.odd", ChannelState.OK, ""));
                    hub.onStatus(new StatusChange("t.odd", ChannelState.ERROR, "bus busy again"));
                    return null;
                });
                Exposition after = scrape(server);
                assertEquals(1, after.value("sensorcast_monitors_connected"));
                assertTrue(after.value("sensorcast_connections_open") >= 1);
                assertEquals(1000, after.value("sensorcast_channel_samples_total", "channel", "t.temp"));
                assertEquals(21.0, after.value("sensorcast_channel_value", "channel", "t.temp", "unit", "°C"));
                assertEquals(1000, after.value("sensorcast_sample_frames_queued_total")
                        - before.value("sensorcast_sample_frames_queued_total"));
                assertTrue(after.value("sensorcast_sample_frames_dropped_total") > 0, "the slow monitor lost samples");
                assertTrue(after.value("sensorcast_sample_frames_sent_total") > 0, "the rest went out");
                assertTrue(after.value("sensorcast_sent_bytes_total") > before.value("sensorcast_sent_bytes_total"));
                assertEquals(2, after.value("sensorcast_sensor_errors_total", "device", ODD_DEVICE),
                        "two transitions into error; a new message while in error is not one");
                assertEquals(1, after.value("sensorcast_channel_state", "channel", "t.odd", "state", "error"));
                assertEquals(0, after.value("sensorcast_channel_state", "channel", "t.odd", "state", "ok"));
                assertEquals(3, after.value("sensorcast_state_frames_replaced_total"),
                        "four statuses of t.odd queued in one iteration: the monitor is sent the last");
            }
        }
    }

    @Test
    void labelValuesAreEscaped() throws Exception {
        try (TestServer server = server()) {
            server.onLoop(() -> {
                server.service().hub().onSample(new Sample("t.odd", 1, System.currentTimeMillis() * 1000, -1.5));
                return null;
            });
            String text = RawHttp.get(server.port(), "/metrics").text();
            assertTrue(text.contains("sensorcast_channel_value{channel=\"t.odd\",unit=\"a\\\"b\\\\c\\nd\"} -1.5\n"), text);
            assertTrue(text.contains("sensorcast_sensor_errors_total{device=\"dev\\\"ice\\\\1\"} 0\n"), text);
            Exposition e = parse(text);
            assertEquals(-1.5, e.value("sensorcast_channel_value", "channel", "t.odd", "unit", ODD_UNIT));
            assertEquals(0, e.value("sensorcast_sensor_errors_total", "device", ODD_DEVICE));
        }
    }

    @Test
    void histogramBucketsAreCumulativeAndInfEqualsCount() throws Exception {
        try (TestServer server = server()) {
            for (int i = 0; i < 5; i++) {
                RawHttp.get(server.port(), "/healthz"); // iterations to count
            }
            Exposition e = scrape(server);
            List<Series> buckets = e.named("sensorcast_loop_iteration_seconds_bucket");
            assertTrue(buckets.size() >= 5, "buckets: " + buckets);
            double previousLe = Double.NEGATIVE_INFINITY;
            double previousCount = 0;
            for (Series b : buckets) {
                String le = b.labels.get("le");
                assertNotNull(le, "every bucket has le");
                double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
                assertTrue(bound > previousLe, "le ascending: " + buckets);
                assertTrue(b.value >= previousCount, "cumulative: " + buckets);
                previousLe = bound;
                previousCount = b.value;
            }
            assertEquals("+Inf", buckets.get(buckets.size() - 1).labels.get("le"), "the last bucket is +Inf");
            double count = e.value("sensorcast_loop_iteration_seconds_count");
            assertEquals(count, buckets.get(buckets.size() - 1).value);
            assertTrue(count >= 5, "iterations recorded: " + count);
            double sum = e.value("sensorcast_loop_iteration_seconds_sum");
            assertTrue(sum > 0 && sum < count, "sum in seconds: " + sum);
        }
    }

    @Test
    void realSensorThreadsMoveTheSampleAndErrorCounters() throws Exception {
        try (TestServer server = TestServer.start(List.of(
                TestSensors.constant("steady.level", "Level", "cm", 42.5, Duration.ofMillis(20)),
                TestSensors.failing("broken.temp", "no device at 0x76", Duration.ofMillis(20))))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            Exposition e;
            do {
                Thread.sleep(50);
                e = scrape(server);
            } while ((e.value("sensorcast_channel_samples_total", "channel", "steady.level") < 5
                    || e.value("sensorcast_sensor_errors_total", "device", "broken") < 1)
                    && System.nanoTime() < deadline);
            assertTrue(e.value("sensorcast_channel_samples_total", "channel", "steady.level") >= 5);
            assertEquals(42.5, e.value("sensorcast_channel_value", "channel", "steady.level", "unit", "cm"));
            assertEquals(0, e.value("sensorcast_sensor_errors_total", "device", "steady"));
            assertEquals(1, e.value("sensorcast_sensor_errors_total", "device", "broken"),
                    "one transition into error, however many failed reads since");
            assertEquals(1, e.value("sensorcast_channel_state", "channel", "broken.temp", "state", "error"));
            assertEquals(0, e.value("sensorcast_channel_samples_total", "channel", "broken.temp"));
        }
    }
}

package io.sensorcast.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.testing.Json;
import io.sensorcast.testing.Ports;
import io.sensorcast.testing.RawHttp;
import io.sensorcast.testing.WsTestClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The smallest heap the README names for a board short of memory: the built-in configuration (its
 * default devices) serves 10 monitors and every history window of every channel in it. The
 * history is allocated whole when a channel appears, so what fits now fits after a week. The
 * unit's -Xmx64m stays the setting everything else is tested with.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SmallHeapTest {

    /** Said in the README ("A smaller heap"): keep the two in step. */
    static final String SMALL_HEAP = "-Xmx24m";
    private static final int MONITORS = 10;
    private static final int SAMPLES_EACH = 3;

    @TempDir
    Path dir;

    /** The README's drop-in is the unit's ExecStart with this heap and nothing else changed. */
    @Test
    void theReadmesDropInIsTheUnitsCommandWithTheSmallHeap() throws IOException {
        String unit = Files.readAllLines(Path.of("systemd/sensorcast.service")).stream()
                .filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow();
        List<String> readme = Files.readAllLines(Path.of("README.md")).stream()
                .map(String::strip)
                .filter(l -> l.startsWith("ExecStart=/")).toList();
        assertEquals(List.of(unit.replace("-Xmx64m", SMALL_HEAP)), readme);
        assertTrue(unit.contains("-Xmx64m"), unit);
    }

    @Test
    void theDefaultDevicesServeTenMonitorsAndTheirHistoryInTheSmallHeap() throws Exception {
        int port = Ports.freeLoopbackPort();
        Path config = dir.resolve("sensorcast.conf");
        Files.writeString(config, "# empty: built-in defaults\n");
        Process p = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                SMALL_HEAP, "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), "io.sensorcast.cli.Main",
                "--bind", "127.0.0.1", "--port", String.valueOf(port), "--config", config.toString())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(dir.resolve("out.txt").toFile())
                .redirectErrorStream(true)
                .start();
        List<WsTestClient> monitors = new ArrayList<>();
        try {
            awaitHealthy(p, port);
            for (int i = 0; i < MONITORS; i++) {
                WsTestClient m;
                try {
                    m = WsTestClient.connect(port, "/ws");
                } catch (IOException e) {
                    throw new AssertionError("monitor " + (i + 1) + ": " + e.getMessage() + "; the server said: " + output(), e);
                }
                monitors.add(m);
                m.setReadTimeout(15_000);
                assertEquals("hello", Json.object(m.readText()).get("type"));
            }
            List<String> ids = channelIds(port);
            assertTrue(!ids.isEmpty(), "the default devices have channels");
            for (String id : ids) {
                for (String window : List.of("5m", "1h", "24h", "7d")) {
                    RawHttp.Response r = RawHttp.get(port, "/api/channels/" + id + "/history?window=" + window);
                    assertEquals(200, r.status(), id + " " + window + ": " + r.text());
                }
            }
            for (WsTestClient m : monitors) {
                int samples = 0;
                for (int frames = 0; samples < SAMPLES_EACH && frames < 10_000; frames++) {
                    if ("sample".equals(Json.object(m.readText()).get("type"))) {
                        samples++;
                    }
                }
                assertEquals(SAMPLES_EACH, samples);
            }
            assertTrue(p.isAlive(), "out of memory in " + SMALL_HEAP + "? " + output());
            assertEquals(200, RawHttp.get(port, "/healthz").status(), output());
        } finally {
            for (WsTestClient m : monitors) {
                m.close();
            }
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> channelIds(int port) throws IOException {
        RawHttp.Response r = RawHttp.get(port, "/api/channels");
        assertEquals(200, r.status(), r.text());
        List<String> ids = new ArrayList<>();
        for (Object c : (List<Object>) Json.parse(r.text())) {
            ids.add((String) ((Map<String, Object>) c).get("id"));
        }
        return ids;
    }

    private void awaitHealthy(Process p, int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            assertTrue(p.isAlive(), "the server exited: " + output());
            try {
                if (RawHttp.get(port, "/healthz").status() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            assertTrue(System.nanoTime() < deadline, "not healthy within 20 s: " + output());
            Thread.sleep(50);
        }
    }

    private String output() throws IOException {
        return Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8);
    }

}

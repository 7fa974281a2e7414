package io.sensorcast.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sensorcast.history.SegmentFormat;
import io.sensorcast.testing.Json;
import io.sensorcast.testing.Ports;
import io.sensorcast.testing.RawHttp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Power cuts: the real server in its own JVM, killed with SIGKILL at 20 random moments and halted
 * in the middle of a flush by its fault hook (half a block on disk), restarted each time on the
 * same history directory. After every restart the server is healthy and the history API serves
 * every minute that was on disk (a complete block) before the cut, with its value.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class HistoryPowerCutTest {

    private static final String CHANNEL = "wave.sine";
    private static final int CUTS = 20;

    @TempDir
    Path dir;

    private Path history;
    private Path log;

    private Process start(int port, boolean haltInFirstFlush) throws IOException {
        Path config = dir.resolve("sensorcast.conf");
        Files.writeString(config, String.join("\n",
                "http.bind = 127.0.0.1",
                "http.port = " + port,
                "history.dir = " + history,
                "history.flush_interval = 1s",
                "device.wave.type = sim",
                "device.wave.interval = 100ms", ""));
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        if (haltInFirstFlush) {
            cmd.add("-D" + io.sensorcast.history.HistoryWriter.HALT_PROPERTY + "=1");
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.sensorcast.cli.Main", "--config", config.toString()));
        return new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    /** The channel's minutes in complete blocks on disk now: epoch minute → average. */
    private Map<Integer, Float> onDisk() throws IOException {
        Map<Integer, Float> minutes = new TreeMap<>();
        try (var files = Files.list(history)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (!p.getFileName().toString().endsWith(".seg")) {
                    continue;
                }
                byte[] bytes = Files.readAllBytes(p);
                if (SegmentFormat.header(bytes) != SegmentFormat.HeaderStatus.OK) {
                    continue;
                }
                SegmentFormat.scan(bytes, new SegmentFormat.Sink() {
                    @Override
                    public void minute(String channel, int minute, float min, float avg, float max, int count) {
                        if (channel.equals(CHANNEL)) {
                            minutes.put(minute, avg);
                        }
                    }

                    @Override
                    public void raw(String channel, long epochMicros, float value) { }
                });
            }
        }
        return minutes;
    }

    /** What the history API serves for the last 24 h: minute start (epoch minute) → average. */
    private static Map<Integer, Float> served(int port) throws IOException {
        RawHttp.Response r = RawHttp.get(port, "/api/channels/" + CHANNEL + "/history?window=24h&points=10000");
        assertEquals(200, r.status(), r.text());
        Map<String, Object> body = Json.object(r.text());
        List<?> t = (List<?>) body.get("t");
        List<?> avg = (List<?>) body.get("avg");
        Map<Integer, Float> out = new TreeMap<>();
        for (int i = 0; i < t.size(); i++) {
            out.put((int) (((Number) t.get(i)).longValue() / 60_000), ((Number) avg.get(i)).floatValue());
        }
        return out;
    }

    private void awaitHealthy(Process p, int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                fail("server exited with " + p.exitValue() + "; log: " + Files.readString(log));
            }
            try {
                if (RawHttp.get(port, "/healthz").status() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        fail("no healthy /healthz on port " + port + " within 30 s; log: " + Files.readString(log));
    }

    /** Two hours of minutes that ended ten minutes ago, as an earlier run would have left them. */
    private void seed() throws IOException {
        int now = (int) (System.currentTimeMillis() / 60_000);
        List<SegmentFormat.Minute> minutes = new ArrayList<>();
        for (int m = now - 130; m < now - 10; m++) {
            minutes.add(new SegmentFormat.Minute(CHANNEL, m, m % 7, m % 7 + 0.5f, m % 7 + 1, 600));
        }
        String day = LocalDate.ofEpochDay(Math.floorDiv(now - 11, 1440)).toString();
        Path seg = history.resolve(day + ".seg");
        byte[] block = SegmentFormat.minutesBlock(minutes);
        byte[] file = new byte[SegmentFormat.HEADER_BYTES + block.length];
        System.arraycopy(SegmentFormat.header(), 0, file, 0, SegmentFormat.HEADER_BYTES);
        System.arraycopy(block, 0, file, SegmentFormat.HEADER_BYTES, block.length);
        Files.write(seg, file);
    }

    @Test
    void everyMinuteOnDiskBeforeACutIsServedAfterTheRestart() throws Exception {
        history = dir.resolve("history");
        log = dir.resolve("server.log");
        Files.createDirectories(history);
        seed();
        Random random = new Random();
        int port = Ports.freeLoopbackPort();
        Map<Integer, Float> before = onDisk();
        assertEquals(120, before.size());
        int halted = 0;
        for (int cut = 0; cut < CUTS || halted == 0; cut++) {
            assertTrue(cut < CUTS + 3, "bounded: at most three more cycles to see a halt in a flush");
            // In the last seconds of a minute, or after the last random cut: a flush with the minute
            // that is about to end will come, and the fault hook halts the JVM in its middle.
            long msLeftInMinute = 60_000 - System.currentTimeMillis() % 60_000;
            boolean haltCycle = halted == 0 && (msLeftInMinute < 15_000 || cut >= CUTS);
            Process p = start(port, haltCycle);
            try {
                awaitHealthy(p, port);
                Map<Integer, Float> served = served(port);
                for (Map.Entry<Integer, Float> e : before.entrySet()) {
                    assertEquals(e.getValue(), served.get(e.getKey()),
                            "cut " + cut + ": minute " + e.getKey() + " was on disk before the cut; log: " + Files.readString(log));
                }
                if (haltCycle) {
                    assertTrue(p.waitFor(75, TimeUnit.SECONDS), "the fault hook halts the server in its first flush");
                    assertEquals(99, p.exitValue());
                    halted++;
                } else {
                    Thread.sleep(random.nextInt(2500));
                }
                before = onDisk(); // whole blocks only: a block cut short is not on disk yet
            } finally {
                p.destroyForcibly(); // SIGKILL
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
        // The last start reads what the halted flush left: its half block is cut off and said so.
        Process p = start(port, false);
        try {
            awaitHealthy(p, port);
            Map<Integer, Float> served = served(port);
            for (Map.Entry<Integer, Float> e : before.entrySet()) {
                assertEquals(e.getValue(), served.get(e.getKey()), "minute " + e.getKey());
            }
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        String all = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(all.contains("to the end (a stop in the middle of a write); cut off there"), all);
        assertFalse(all.contains("Exception"), "no stack trace: " + all);
        assertFalse(all.contains("ERROR"), all);
    }
}

package io.sensorcast.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The long run: sensorcast alone, 100 monitors that come and go all the time (each lives 1 to
 * 10 s), a simulated channel at a few hundred samples per second, and a sysfs device whose file
 * the soak keeps turning into a number, garbage, and nothing, so the device fails and recovers
 * over and over. At intervals it prints what would grow if something leaked, and at the end it
 * says whether heap after GC, threads and open file descriptors stayed flat.
 *
 * <p>Heap after GC is measured honestly but not for free: {@code jcmd <pid> GC.run} (a full
 * collection, with the serial collector) and then sensorcast's own
 * {@code sensorcast_jvm_heap_used_bytes} from /metrics right after.
 */
final class Soak {

    static final int MONITORS = 100;
    static final int SIM_RATE = 300;
    /** Flat: the last third may exceed the first third by this much and no more. */
    static final double HEAP_TOLERANCE_RATIO = 1.25;
    static final double HEAP_TOLERANCE_MIB = 2;
    static final double THREAD_TOLERANCE = 2;
    static final double FD_TOLERANCE = 20;

    private final Options options;
    private final Path productJar;
    private final Path work;

    Soak(Options options, Path benchJar, Path work) {
        this.options = options;
        this.productJar = options.productJar;
        this.work = work;
    }

    /** One line of the soak's log. */
    record Reading(double elapsedSeconds, double heapAfterGcMiB, int threads, int fds, double rssMiB,
                   int monitors, long upgrades, double samplesPerSecond, long sensorErrors, long statusErrors) {}

    int run() throws IOException, InterruptedException {
        Duration length = options.soak;
        long intervalSeconds = length.compareTo(Duration.ofMinutes(10)) >= 0 ? 30 : 5;
        int port = CellRunner.freePort();
        Path flaky = work.resolve("flaky-value");
        Path config = work.resolve("soak.conf");
        Files.writeString(config, ServerKind.sensorcastConfig(port, SIM_RATE,
                "[device.flaky]\ntype = sysfs\npath = " + flaky + "\ninterval = 500ms\ntimeout = 2s\n"));
        Files.createDirectories(options.out.resolve("logs"));
        Path log = options.out.resolve("logs").resolve("soak-sensorcast.log");
        System.out.printf(Locale.ROOT, "soak: sensorcast for %s, %d churning monitors (1-10 s each), sim at %d/s, "
                + "a sysfs device failing and recovering every 30 s; a line every %d s%n", length, MONITORS, SIM_RATE, intervalSeconds);
        System.out.println("heap: used after a full GC (jcmd GC.run, then /metrics); RSS from /proc; connects: upgrades"
                + " so far; sensor err: sensorcast_sensor_errors_total; error msgs: status error messages monitors got");
        ServerProcess server = ServerProcess.start(
                ServerKind.SENSORCAST.arguments(productJar, null, config, port, SIM_RATE), port, log);
        LoadClient client = null;
        List<Reading> readings = new ArrayList<>();
        boolean died = false;
        try {
            if (!server.awaitPort(20_000)) {
                System.out.println("soak: sensorcast did not start (see " + log + ")");
                return 1;
            }
            client = new LoadClient(new InetSocketAddress("127.0.0.1", port), MONITORS, 1, 1_000, 10_000);
            client.start();
            client.beginMeasuring();
            System.out.printf(Locale.ROOT, "%8s %10s %7s %5s %8s %8s %9s %10s %10s %10s%n",
                    "elapsed", "heap MiB", "threads", "fds", "RSS MiB", "monitors", "connects", "samples/s", "sensor err", "error msgs");
            long start = System.nanoTime();
            long end = start + length.toNanos();
            long nextReading = start + TimeUnit.SECONDS.toNanos(intervalSeconds);
            long lastSamples = 0;
            long lastAt = start;
            while (System.nanoTime() < end) {
                if (!server.alive()) {
                    died = true;
                    break;
                }
                flip(flaky, (System.nanoTime() - start) / 1_000_000_000L);
                Thread.sleep(1_000);
                long now = System.nanoTime();
                if (now >= nextReading) {
                    nextReading += TimeUnit.SECONDS.toNanos(intervalSeconds);
                    long samples = client.samplesSoFar();
                    Reading r = read(server, port, (now - start) / 1e9, client.connected(), client.upgradesSoFar(),
                            (samples - lastSamples) / ((now - lastAt) / 1e9), client.statusErrorsSoFar());
                    lastSamples = samples;
                    lastAt = now;
                    if (r != null) {
                        readings.add(r);
                        print(r);
                    }
                }
            }
        } finally {
            if (client != null) {
                client.stop();
            }
            if (server.alive()) {
                server.stop();
            } else {
                died = true;
                server.stop();
            }
        }
        return verdict(readings, died, server, log);
    }

    /**
     * Cycles the sysfs file over 30 s: a number for 20 s, garbage for 5 s, gone for 5 s. The
     * number stays long enough for the device's doubling back-off to find it and recover.
     */
    private static void flip(Path file, long second) throws IOException {
        long phase = second % 30;
        if (phase < 20) {
            Files.writeString(file, "21500\n");
        } else if (phase < 25) {
            Files.writeString(file, "not a number\n");
        } else {
            Files.deleteIfExists(file);
        }
    }

    private Reading read(ServerProcess server, int port, double elapsed, int monitors, long upgrades, double samplesPerSecond,
                         long statusErrors) throws InterruptedException {
        fullGc(server.pid());
        String metrics = MetricsScrape.fetch(port);
        ProcessSnapshot p = server.snapshot();
        if (metrics == null || p == null) {
            System.out.printf(Locale.ROOT, "%7.0fs  (no reading: %s)%n", elapsed, metrics == null ? "/metrics did not answer" : "process gone");
            return null;
        }
        double heap = MetricsScrape.sum(metrics, "sensorcast_jvm_heap_used_bytes") / (1024.0 * 1024.0);
        long sensorErrors = (long) MetricsScrape.sum(metrics, "sensorcast_sensor_errors_total");
        return new Reading(elapsed, heap, p.threads(), p.fds(), p.rssKiB() / 1024.0, monitors, upgrades, samplesPerSecond,
                sensorErrors, statusErrors);
    }

    private static void print(Reading r) {
        System.out.printf(Locale.ROOT, "%7.0fs %10.2f %7d %5d %8.1f %8d %9d %10.0f %10d %10d%n",
                r.elapsedSeconds(), r.heapAfterGcMiB(), r.threads(), r.fds(), r.rssMiB(), r.monitors(), r.upgrades(),
                r.samplesPerSecond(), r.sensorErrors(), r.statusErrors());
    }

    private static void fullGc(long pid) throws InterruptedException {
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(pid), "GC.run")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!jcmd.waitFor(20, TimeUnit.SECONDS)) {
                jcmd.destroyForcibly();
            }
        } catch (IOException e) {
            System.out.println("soak: jcmd failed (" + e.getMessage() + "): heap is then not after GC");
        }
    }

    /** Flat or not: the last third against the first third, with the tolerances above. */
    private static int verdict(List<Reading> readings, boolean died, ServerProcess server, Path log) throws IOException {
        System.out.println();
        long errorLines = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                .filter(l -> l.startsWith("ERROR") || l.contains("Exception")).count();
        System.out.println("server log: " + errorLines + " ERROR or exception lines (" + log + ")");
        if (died) {
            System.out.println("soak: FAILED, sensorcast exited during the soak" + (server.trouble() == null ? "" : ": " + server.trouble()));
            return 1;
        }
        if (readings.size() < 3) {
            System.out.println("soak: too short to judge (" + readings.size() + " readings; give at least 3 intervals)");
            return readings.isEmpty() ? 1 : 0;
        }
        int third = readings.size() / 3;
        List<Reading> first = readings.subList(0, third);
        List<Reading> last = readings.subList(readings.size() - third, readings.size());
        boolean ok = true;
        ok &= flat("heap after GC (MiB)", avg(first, Reading::heapAfterGcMiB), avg(last, Reading::heapAfterGcMiB),
                avg(first, Reading::heapAfterGcMiB) * HEAP_TOLERANCE_RATIO + HEAP_TOLERANCE_MIB);
        ok &= flat("threads", avg(first, r -> r.threads()), avg(last, r -> r.threads()),
                avg(first, r -> r.threads()) + THREAD_TOLERANCE);
        ok &= flat("open fds", avg(first, r -> r.fds()), avg(last, r -> r.fds()),
                avg(first, r -> r.fds()) + FD_TOLERANCE);
        boolean delivered = readings.stream().allMatch(r -> r.samplesPerSecond() > 0);
        if (!delivered) {
            System.out.println("soak: an interval delivered no sample at all");
        }
        long errors = readings.get(readings.size() - 1).sensorErrors();
        long recoveries = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                .filter(l -> l.contains("flaky: reading again")).count();
        System.out.println("failing device: went into error " + errors + " times, recovered " + recoveries
                + " times (the soak breaks it every 30 s)");
        ok &= delivered;
        System.out.println(ok ? "soak: flat" : "soak: FAILED");
        return ok ? 0 : 1;
    }

    private static boolean flat(String what, double first, double last, double limit) {
        boolean ok = last <= limit;
        System.out.printf(Locale.ROOT, "%-20s first third %8.2f, last third %8.2f (limit %.2f): %s%n",
                what, first, last, limit, ok ? "flat" : "GREW");
        return ok;
    }

    private static double avg(List<Reading> rs, java.util.function.ToDoubleFunction<Reading> f) {
        return rs.stream().mapToDouble(f).average().orElse(0);
    }
}

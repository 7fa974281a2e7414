package io.sensorcast.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs one cell: starts the server, connects the monitors, warms up, measures a window, and
 * stops everything. Every wait has a bound, so a server that hangs or falls over costs one
 * cell's time and is reported, never a stuck benchmark.
 */
final class CellRunner {

    private static final long START_TIMEOUT_MILLIS = 20_000;

    private final Path productJar;
    private final Path benchJar;
    private final Path workDir;
    private final Path logDir;
    private final int clientThreads;
    private final boolean jfr;
    private int cellNumber;

    /** Config files go to workDir (temporary), each server's output to logDir. */
    CellRunner(Path productJar, Path benchJar, Path workDir, Path logDir, int clientThreads, boolean jfr) {
        this.jfr = jfr;
        this.productJar = productJar;
        this.benchJar = benchJar;
        this.workDir = workDir;
        this.logDir = logDir;
        this.clientThreads = clientThreads;
    }

    /**
     * Something a cell measures beside the server over the same window: the MQTT cell's broker and
     * subscriber. {@code begin} and {@code end} run at the window's two ends, next to the server's
     * snapshots; {@code end} gets the server's /metrics of both ends (null for a peer).
     */
    interface Beside {
        void begin();

        void end(CellResult r, String metrics0, String metrics1, double scrapeSeconds) throws InterruptedException;
    }

    CellResult run(ServerKind kind, CellSpec spec) throws IOException, InterruptedException {
        return run(kind, spec, "", null);
    }

    /** With {@code serverKeys} in sensorcast's configuration (e.g. mqtt.*), and {@code beside} measured too (may be null). */
    CellResult run(ServerKind kind, CellSpec spec, String serverKeys, Beside beside) throws IOException, InterruptedException {
        int port = freePort();
        String name = String.format("%03d-%s-%s-%s", ++cellNumber, kind.id, spec.scenario(), (long) spec.rate());
        Path config = workDir.resolve(name + ".conf");
        if (kind == ServerKind.SENSORCAST) {
            Files.writeString(config, ServerKind.sensorcastConfig(port, spec.rate(), serverKeys, ""));
        }
        Path recording = logDir.resolve(name + ".jfr");
        List<String> extra = jfr && kind == ServerKind.SENSORCAST
                ? List.of("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + recording)
                : List.of();
        ServerProcess server = ServerProcess.start(extra,
                kind.arguments(productJar, benchJar, config, port, spec.rate()), port,
                logDir.resolve(name + ".log"));
        java.time.Instant windowStart = null;
        java.time.Instant windowEnd = null;
        CellResult result = null;
        LoadClient client = null;
        try {
            if (!server.awaitPort(START_TIMEOUT_MILLIS)) {
                CellResult r = CellResult.failed(kind.id, spec, server.alive()
                        ? "did not listen within " + START_TIMEOUT_MILLIS / 1000 + " s" : "did not start (see " + server.log().getFileName() + ")");
                r.crashed = !server.alive();
                return r;
            }
            double startMillis = server.acceptedAfterMillis();
            client = new LoadClient(new InetSocketAddress("127.0.0.1", port), spec.monitors(), clientThreads);
            client.start();
            long connectBound = 10_000 + spec.monitors() * 30L;
            if (!client.awaitConnected(connectBound)) {
                int n = client.connected();
                client.stop();
                client = null;
                CellResult r = CellResult.failed(kind.id, spec, "connected " + n + "/" + spec.monitors());
                r.crashed = !server.alive();
                return r;
            }
            sleepWhileAlive(server, spec.warmupSeconds());
            long scrape0 = System.nanoTime();
            String metrics0 = kind == ServerKind.SENSORCAST ? MetricsScrape.fetch(port) : null;
            ProcessSnapshot p0 = server.snapshot();
            MachineLoad m0 = MachineLoad.now();
            windowStart = java.time.Instant.now();
            if (beside != null) {
                beside.begin();
            }
            client.beginMeasuring();
            sleepWhileAlive(server, spec.seconds());
            client.endMeasuring();
            windowEnd = java.time.Instant.now();
            ProcessSnapshot p1 = server.snapshot();
            MachineLoad m1 = MachineLoad.now();
            long scrape1 = System.nanoTime();
            String metrics1 = kind == ServerKind.SENSORCAST ? MetricsScrape.fetch(port) : null;
            CellResult r = new CellResult(kind.id, spec);
            if (beside != null) {
                beside.end(r, metrics0, metrics1, (scrape1 - scrape0) / 1e9);
            }
            int connected = client.connected();
            LoadClient.Result measured = client.stop();
            client = null;
            r.startMillis = startMillis;
            fill(r, measured);
            r.connected = connected;
            if (p0 != null && p1 != null) {
                fill(r, p0, p1);
            }
            if (metrics0 != null && metrics1 != null) {
                r.serverInboxRefused = (long) (MetricsScrape.sum(metrics1, "sensorcast_inbox_refused_total")
                        - MetricsScrape.sum(metrics0, "sensorcast_inbox_refused_total"));
                r.serverFramesDropped = (long) (MetricsScrape.sum(metrics1, "sensorcast_sample_frames_dropped_total")
                        - MetricsScrape.sum(metrics0, "sensorcast_sample_frames_dropped_total"));
                // What the sim device really produced: its thread skips reads when it falls
                // over 50 ms behind, so under load it can offer less than the nominal rate.
                r.serverProducedPerSecond = (MetricsScrape.sum(metrics1, "sensorcast_channel_samples_total")
                        - MetricsScrape.sum(metrics0, "sensorcast_channel_samples_total")) / ((scrape1 - scrape0) / 1e9);
            }
            r.loadAverage = m1.loadAverage();
            r.coreBusyPercent = MachineLoad.busyPercent(m0, m1);
            r.coreStealPercent = MachineLoad.stealPercent(m0, m1);
            if (!server.alive()) {
                r.crashed = true;
                r.failure = describeDeath(server);
            } else if (server.trouble() != null) {
                r.failure = server.trouble();
            } else if (measured.failure() != null) {
                r.failure = measured.failure();
            } else if (r.samples == 0 && spec.rate() >= 1 / spec.seconds()) {
                r.failure = "no frames delivered";
            }
            result = r;
            return r;
        } finally {
            if (client != null) {
                client.stop();
            }
            server.stop(); // a clean stop: the recording is written as the JVM exits
            if (result != null && windowStart != null && Files.exists(recording)) {
                double produced = result.serverProducedPerSecond * result.windowSeconds;
                try {
                    result.allocation = AllocationProfile.read(recording, windowStart, windowEnd, produced, result.connected);
                    System.out.print(result.allocation.describe(name));
                } catch (RuntimeException e) {
                    // A recording cut short (the JVM killed while it wrote it) costs this cell's profile only.
                    System.out.println("  no allocation profile for " + name + ": " + e.getMessage());
                }
            }
        }
    }

    private static void fill(CellResult r, LoadClient.Result m) {
        ClientStats s = m.stats();
        r.delivered(s.samples, m.seconds());
        // Gaps in seq only: sensorcast's "dropped" notices tell of the same frames again (the
        // peers send none), so adding them counted its losses twice.
        r.lost = s.lost;
        r.dropped = s.droppedReported;
        r.reordered = s.reordered;
        r.statusErrors = s.statusErrors;
        r.connectFailures = s.connectFailures;
        r.closedByServer = s.closedByServer;
        r.clientCpuPercent = m.clientCpuPercent();
        r.latency(s.latencyMicros);
    }

    private static void fill(CellResult r, ProcessSnapshot a, ProcessSnapshot b) {
        double seconds = (b.nanoTime() - a.nanoTime()) / 1e9;
        r.rssMiB = b.rssKiB() / 1024.0;
        r.hwmMiB = b.hwmKiB() / 1024.0;
        r.cpuPercent = ProcessSnapshot.cpuPercent(a, b);
        long jvm = 0;
        long all = 0;
        for (Map.Entry<String, Long> e : ProcessSnapshot.switchesBetween(a, b).entrySet()) {
            all += e.getValue();
            if (seconds > 0) {
                r.switchesPerSecondByThread.put(e.getKey(), e.getValue() / seconds);
            }
            if (ProcessSnapshot.isJvmThread(e.getKey())) {
                jvm += e.getValue();
            }
        }
        r.switchesPerSecond = seconds > 0 ? all / seconds : 0;
        r.jvmSwitchesPerSecond = seconds > 0 ? jvm / seconds : 0;
        long wakeups = 0;
        long jvmWakeups = 0;
        for (Map.Entry<String, Long> e : ProcessSnapshot.wakeupsBetween(a, b).entrySet()) {
            wakeups += e.getValue();
            if (ProcessSnapshot.isJvmThread(e.getKey())) {
                jvmWakeups += e.getValue();
            }
        }
        r.wakeupsPerSecond = seconds > 0 ? wakeups / seconds : 0;
        r.jvmWakeupsPerSecond = seconds > 0 ? jvmWakeups / seconds : 0;
        r.threads = b.threads();
        r.jvmThreads = b.jvmThreads();
        r.threadsByName.putAll(b.threadsByName());
        r.fds = b.fds();
    }

    private static String describeDeath(ServerProcess server) {
        String t = server.trouble();
        return t != null ? t : "exited during the run";
    }

    private static void sleepWhileAlive(ServerProcess server, double seconds) throws InterruptedException {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (server.alive()) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return;
            }
            Thread.sleep(Math.max(1, Math.min(100, left / 1_000_000)));
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}

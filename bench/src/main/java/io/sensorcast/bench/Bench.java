package io.sensorcast.bench;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark runner: runs every scenario against every server, the same way, and prints the
 * table; results.json holds every run. {@code --soak} runs {@link Soak} instead, {@code --browser}
 * and {@code --browser-long} the dashboard's cell ({@link BrowserCell}).
 *
 * <p>Exit status: 0; 1 when a server did not start, or sensorcast crashed or delivered no frame in
 * a cell (a breakage, never a threshold a slow machine misses; a peer that falls over is a
 * result, not a breakage); 2 for a wrong command line.
 */
public final class Bench {

    private Bench() {}

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (Options.UsageException e) {
            if (e.getMessage() == null) {
                System.out.print(Options.USAGE);
                System.exit(0);
            }
            System.err.println("bench: " + e.getMessage());
            System.err.print(Options.USAGE);
            System.exit(e.getMessage() == null ? 0 : 2);
            return;
        }
        if (!Files.isRegularFile(options.productJar)) {
            System.err.println("bench: no " + options.productJar + " (build it: mvn -B -q package -DskipTests)");
            System.exit(2);
        }
        Files.createDirectories(options.out);
        Path work = Files.createTempDirectory("sensorcast-bench");
        int status;
        try {
            if (options.soak != null) {
                status = new Soak(options, benchJar(), work).run();
            } else if (options.browserLong != null) {
                status = new BrowserCell(options, work).runLong(options.browserLong);
            } else if (options.browser) {
                status = new BrowserCell(options, work).run();
            } else {
                status = run(options, work);
            }
        } finally {
            deleteQuietly(work);
        }
        System.exit(status);
    }

    private static int run(Options o, Path work) throws IOException, InterruptedException, URISyntaxException {
        Path logs = o.out.resolve("logs");
        Files.createDirectories(logs);
        // Logs of an earlier run would be taken for this one's.
        try (var old = Files.newDirectoryStream(logs, "*.{log,jfr}")) {
            for (Path f : old) {
                Files.delete(f);
            }
        }
        CellRunner runner = new CellRunner(o.productJar, benchJar(), work, logs, o.clientThreads, o.jfr);
        System.out.printf(Locale.ROOT, "sensorcast benchmark: servers %s, scenarios %s, %d run(s), %.0f s cells%s%n",
                o.servers.stream().map(s -> s.id).toList(), o.scenarios.stream().map(s -> s.id).toList(),
                o.runs, o.seconds, o.quick ? " (quick)" : "");
        System.out.println(ServerProcess.Pinning.available()
                ? "servers pinned to cpu " + ServerProcess.SERVER_CORE + " with taskset; JVM flags " + ServerProcess.JVM_FLAGS
                : "taskset is missing: servers and client are NOT pinned");
        if (o.jfr) {
            System.out.println("--jfr: sensorcast runs with a flight recording, so its CPU and memory are not comparable with the peers'");
        }
        Report report = new Report(System.out);
        List<Summary> all = new ArrayList<>();
        boolean broken = false;
        for (Scenario scenario : o.scenarios) {
            if (scenario == Scenario.MQTT) {
                broken |= mqtt(runner, o, work, logs, report, all);
                continue;
            }
            List<Summary> rows = new ArrayList<>();
            for (ServerKind server : o.servers) {
                Summary s = new Summary(server, scenario);
                for (int run = 1; run <= o.runs; run++) {
                    if (scenario == Scenario.CEILING) {
                        s.ceilings.add(climb(runner, server, o, s.cells));
                    } else {
                        double seconds = scenario == Scenario.IDLE ? o.idleSeconds() : o.seconds;
                        CellSpec spec = new CellSpec(scenario.id, scenario.monitors, scenario.rate, o.warmupSeconds(), seconds);
                        CellResult r = runner.run(server, spec);
                        progress(r, run, o.runs);
                        s.cells.add(r);
                    }
                }
                broken |= breakage(s);
                rows.add(s);
            }
            report.scenario(scenario, rows, o.runs);
            all.addAll(rows);
            writeJson(o, all);
        }
        report.startup(o.servers, all);
        writeJson(o, all);
        System.out.println();
        System.out.println("results: " + o.out.resolve("results.json") + "; server logs: " + logs);
        if (broken) {
            System.out.println("BROKEN: a server did not start, or sensorcast crashed or delivered no frame (see above)");
        }
        return broken ? 1 : 0;
    }

    /**
     * The MQTT cell (sensorcast only). Without mosquitto it is skipped with the install hint, and
     * under CI=true that is a breakage: CI installs it. Returns whether something broke.
     */
    private static boolean mqtt(CellRunner runner, Options o, Path work, Path logs, Report report, List<Summary> all)
            throws IOException, InterruptedException {
        System.out.println();
        if (!o.servers.contains(ServerKind.SENSORCAST)) {
            System.out.println("== mqtt: skipped, it measures sensorcast and --servers leaves it out");
            return false;
        }
        String missing = MqttCell.missing();
        if (missing != null) {
            boolean ci = "true".equals(System.getenv("CI"));
            System.out.println("== mqtt: " + (ci ? "BROKEN" : "skipped") + ", " + missing);
            return ci;
        }
        List<Summary> halves = new MqttCell(runner, o, work, logs).run();
        report.mqtt(halves.get(0), halves.get(1), o.runs);
        all.addAll(halves);
        writeJson(o, all);
        boolean broken = false;
        for (Summary s : halves) {
            broken |= breakage(s);
        }
        return broken;
    }

    /** One run up the ladder (see {@link CeilingClimb}). */
    private static Summary.CeilingRun climb(CellRunner runner, ServerKind server, Options o, List<CellResult> cells)
            throws IOException, InterruptedException {
        return CeilingClimb.climb(o.ladder(), rate -> runner.run(server,
                new CellSpec(Scenario.CEILING.id, Scenario.CEILING.monitors, rate, o.warmupSeconds(), o.seconds)),
                cells, r -> progress(r, 0, 0));
    }

    /**
     * A breakage, as opposed to a result: a server that did not start, or sensorcast crashing or
     * delivering nothing. A peer that falls over (out of memory, say) is a result the table shows.
     */
    private static boolean breakage(Summary s) {
        for (CellResult c : s.cells) {
            boolean didNotStart = c.failure != null && c.failure.startsWith("did not");
            boolean dead = c.crashed || (c.failure != null
                    && (c.failure.startsWith("no frames") || c.failure.startsWith("no MQTT publish")));
            if (didNotStart || (s.server == ServerKind.SENSORCAST && dead)) {
                return true;
            }
        }
        return false;
    }

    static void progress(CellResult r, int run, int runs) {
        String which = runs > 0 ? String.format(Locale.ROOT, " run %d/%d", run, runs) : "";
        if (r.failure != null && r.samples == 0) {
            System.out.printf(Locale.ROOT, "  %-15s %-11s %8s%s: %s%n", r.server, r.spec.scenario(), Report.rate(r.spec.rate()), which, r.failure);
            return;
        }
        double stolen = java.util.Arrays.stream(r.coreStealPercent).max().orElse(0);
        System.out.printf(Locale.ROOT, "  %-15s %-11s %8s%s: %.0f frames/s, %.2f%% delivered, lost %d, p99 %.2f ms, max %.1f ms, CPU %.0f%%, HWM %.1f MiB%s%s%s%n",
                r.server, r.spec.scenario(), Report.rate(r.spec.rate()), which, r.deliveredPerSecond(), r.deliveredPercent(),
                r.lost, r.p99Millis, r.maxMillis, r.cpuPercent, r.hwmMiB,
                r.serverProducedPerSecond < 0 ? ""
                        : String.format(Locale.ROOT, ", produced %.0f/s, refused %d, dropped %d",
                                r.serverProducedPerSecond, r.serverInboxRefused, r.serverFramesDropped),
                stolen >= 0.1 ? String.format(Locale.ROOT, ", stolen %.1f%%", stolen) : "",
                r.failure == null ? "" : " (" + r.failure + ")");
    }

    private static void writeJson(Options o, List<Summary> all) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("written", Instant.now().toString());
        root.put("machine", machine());
        Map<String, Object> opts = new LinkedHashMap<>();
        opts.put("servers", o.servers.stream().map(s -> s.id).toList());
        opts.put("scenarios", o.scenarios.stream().map(s -> s.id).toList());
        opts.put("runs", o.runs);
        opts.put("seconds", o.seconds);
        opts.put("quick", o.quick);
        opts.put("ladder", o.ladder());
        // A flight recording costs sensorcast CPU and memory that the peers do not pay.
        opts.put("jfr", o.jfr);
        opts.put("jvmFlags", ServerProcess.JVM_FLAGS);
        opts.put("pinned", ServerProcess.Pinning.available());
        root.put("options", opts);
        root.put("results", all.stream().map(Summary::toMap).toList());
        Map<String, Object> startup = new LinkedHashMap<>();
        for (ServerKind k : o.servers) {
            startup.put(k.id, Summary.medianStartMillis(all, k));
        }
        root.put("startMillisMedian", startup);
        Path file = o.out.resolve("results.json");
        Path tmp = o.out.resolve("results.json.tmp");
        Files.writeString(tmp, Json.write(root));
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        // /proc/stat, not availableProcessors(): the runner itself is pinned to one core.
        try {
            m.put("cores", MachineLoad.now().busy().length);
        } catch (IOException e) {
            m.put("cores", null);
        }
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    m.put("cpu", line.substring(line.indexOf(':') + 1).trim());
                    break;
                }
            }
        } catch (IOException ignored) {
            // not Linux: no CPU name
        }
        return m;
    }

    /** The jar this class was loaded from: the peers run from it too. */
    static Path benchJar() throws URISyntaxException {
        return Path.of(Bench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}

package io.sensorcast.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** All runs of one server in one scenario, and the median that the table shows. */
final class Summary {

    final ServerKind server;
    final Scenario scenario;
    /** The MQTT cell's half ("off", "on"), or null for every other scenario. */
    String variant;
    /** Every cell measured: one per run, or for the ceiling every ladder step of every run. */
    final List<CellResult> cells = new ArrayList<>();
    /** Ceiling only: the result of each run's ladder. */
    final List<CeilingRun> ceilings = new ArrayList<>();

    Summary(ServerKind server, Scenario scenario) {
        this.server = server;
        this.scenario = scenario;
    }

    /**
     * One run up the ladder: the highest rate passed before the first failing step, that step,
     * and the rates measured twice because their first try missed a threshold.
     */
    record CeilingRun(double reached, CellResult atReached, CellResult firstFailing, List<Integer> repeated) {
        String stoppedAt() {
            if (firstFailing == null) {
                return "passed the top step";
            }
            int rate = (int) firstFailing.spec.rate();
            return "failed at " + Report.rate(rate) + (repeated.contains(rate) ? " twice" : "") + ": " + firstFailing.whyNot();
        }
    }

    /** The median run, or for the ceiling the run with the median ceiling. */
    CeilingRun medianCeiling() {
        if (ceilings.isEmpty()) {
            return null;
        }
        List<CeilingRun> sorted = new ArrayList<>(ceilings);
        sorted.sort((a, b) -> Double.compare(a.reached(), b.reached()));
        return sorted.get((sorted.size() - 1) / 2);
    }

    List<CellResult> succeeded() {
        return cells.stream().filter(c -> c.failure == null).toList();
    }

    /** The failure that the table shows: when more than half the runs failed, the first one's reason. */
    String failure() {
        long failed = cells.stream().filter(c -> c.failure != null).count();
        if (failed * 2 > cells.size()) {
            return cells.stream().filter(c -> c.failure != null).findFirst().map(c -> c.failure).orElse(null);
        }
        return null;
    }

    int failedRuns() {
        return (int) cells.stream().filter(c -> c.failure != null).count();
    }

    /** Field by field, the median of the runs that ran to the end (null if none did). */
    CellResult median() {
        List<CellResult> ok = succeeded();
        if (ok.isEmpty()) {
            return null;
        }
        CellResult m = new CellResult(server.id, ok.get(0).spec);
        m.samples = Math.round(median(ok, r -> r.samples));
        m.windowSeconds = median(ok, r -> r.windowSeconds);
        m.deliveredPerSecond = median(ok, CellResult::deliveredPerSecond);
        m.deliveredPercent = median(ok, CellResult::deliveredPercent);
        m.lost = Math.round(median(ok, r -> r.lost));
        m.dropped = Math.round(median(ok, r -> r.dropped));
        m.reordered = Math.round(median(ok, r -> r.reordered));
        m.statusErrors = Math.round(median(ok, r -> r.statusErrors));
        m.connected = (int) Math.round(median(ok, r -> r.connected));
        m.p50Millis = median(ok, r -> r.p50Millis);
        m.p99Millis = median(ok, r -> r.p99Millis);
        m.p999Millis = median(ok, r -> r.p999Millis);
        m.maxMillis = median(ok, r -> r.maxMillis);
        m.clientCpuPercent = median(ok, r -> r.clientCpuPercent);
        m.serverProducedPerSecond = median(ok, r -> r.serverProducedPerSecond);
        m.serverInboxRefused = Math.round(median(ok, r -> r.serverInboxRefused));
        m.serverFramesDropped = Math.round(median(ok, r -> r.serverFramesDropped));
        m.rssMiB = median(ok, r -> r.rssMiB);
        m.hwmMiB = median(ok, r -> r.hwmMiB);
        m.cpuPercent = median(ok, r -> r.cpuPercent);
        m.switchesPerSecond = median(ok, r -> r.switchesPerSecond);
        m.jvmSwitchesPerSecond = median(ok, r -> r.jvmSwitchesPerSecond);
        m.wakeupsPerSecond = median(ok, r -> r.wakeupsPerSecond);
        m.jvmWakeupsPerSecond = median(ok, r -> r.jvmWakeupsPerSecond);
        m.threads = (int) Math.round(median(ok, r -> r.threads));
        m.jvmThreads = (int) Math.round(median(ok, r -> r.jvmThreads));
        m.fds = (int) Math.round(median(ok, r -> r.fds));
        m.loadAverage = median(ok, r -> r.loadAverage);
        m.startMillis = median(ok, r -> r.startMillis);
        m.connectFailures = Math.round(median(ok, r -> r.connectFailures));
        m.closedByServer = Math.round(median(ok, r -> r.closedByServer));
        // The per-thread figures and the allocation profile are the middle run's, not a blend.
        CellResult middle = ok.stream().sorted((a, b) -> Double.compare(a.cpuPercent, b.cpuPercent)).toList().get((ok.size() - 1) / 2);
        m.switchesPerSecondByThread.putAll(middle.switchesPerSecondByThread);
        m.threadsByName.putAll(middle.threadsByName);
        m.allocation = middle.allocation;
        m.mqtt = CellResult.MqttFigures.median(ok);
        m.coreBusyPercent = perCore(ok, r -> r.coreBusyPercent);
        m.coreStealPercent = perCore(ok, r -> r.coreStealPercent);
        return m;
    }

    /**
     * What the table shows: the median, or when every run failed, the first failed run that
     * delivered something (so that "OOM" comes with the figures of the run that hit it).
     */
    CellResult shown() {
        CellResult m = median();
        if (m != null) {
            return m;
        }
        return cells.stream().filter(c -> c.samples > 0).findFirst().orElse(null);
    }

    /** Start to first accepted connection, median over every cell of {@code server} (-1: none). */
    static double medianStartMillis(List<Summary> all, ServerKind server) {
        List<CellResult> started = all.stream().filter(s -> s.server == server)
                .flatMap(s -> s.cells.stream()).filter(c -> c.startMillis >= 0).toList();
        return started.isEmpty() ? -1 : median(started, c -> c.startMillis);
    }

    static long starts(List<Summary> all, ServerKind server) {
        return all.stream().filter(s -> s.server == server)
                .flatMap(s -> s.cells.stream()).filter(c -> c.startMillis >= 0).count();
    }

    /** Core by core, the median of a per-core figure, over the cores that every run has. */
    private static double[] perCore(List<CellResult> rs, java.util.function.Function<CellResult, double[]> f) {
        int cores = rs.stream().mapToInt(r -> f.apply(r).length).min().orElse(0);
        double[] m = new double[cores];
        for (int i = 0; i < cores; i++) {
            int core = i;
            m[i] = median(rs, r -> f.apply(r)[core]);
        }
        return m;
    }

    static double median(List<CellResult> rs, ToDoubleFunction<CellResult> f) {
        double[] v = rs.stream().mapToDouble(f).sorted().toArray();
        if (v.length == 0) {
            return 0;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("server", server.id);
        m.put("scenario", scenario.id);
        if (variant != null) {
            m.put("mqtt", variant);
        }
        m.put("failure", failure());
        m.put("failedRuns", failedRuns());
        if (scenario == Scenario.CEILING) {
            CeilingRun c = medianCeiling();
            m.put("ceilingPerSecond", c == null ? null : c.reached());
            m.put("ceilingStoppedAt", c == null ? null : c.stoppedAt());
            m.put("ceilingPerRun", ceilings.stream().map(CeilingRun::reached).toList());
            m.put("repeatedStepsPerRun", ceilings.stream().map(CeilingRun::repeated).toList());
            m.put("atCeiling", c == null || c.atReached() == null ? null : c.atReached().toMap());
        } else {
            CellResult med = median();
            m.put("median", med == null ? null : med.toMap());
        }
        m.put("cells", cells.stream().map(CellResult::toMap).toList());
        return m;
    }
}

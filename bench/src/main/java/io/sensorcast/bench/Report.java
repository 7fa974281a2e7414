package io.sensorcast.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * The table on standard output: one block per scenario, one row per server, and sensorcast's
 * ratio to each peer on the scenario's headline figure.
 */
final class Report {

    private final PrintStream out;

    Report(PrintStream out) {
        this.out = out;
    }

    void scenario(Scenario scenario, List<Summary> rows, int runs) {
        out.println();
        out.printf(Locale.ROOT, "== %s: %s; median of %d run%s%n", scenario.id, scenario.description, runs, runs == 1 ? "" : "s");
        Summary sensorcast = rows.stream().filter(s -> s.server == ServerKind.SENSORCAST).findFirst().orElse(null);
        if (scenario == Scenario.CEILING) {
            ceiling(rows, sensorcast);
        } else {
            cells(scenario, rows, sensorcast);
        }
    }

    private void cells(Scenario scenario, List<Summary> rows, Summary sensorcast) {
        String ratioName = scenario == Scenario.IDLE ? "CPU peer/sc" : "p99 peer/sc";
        out.printf(Locale.ROOT, "%-15s %-22s %10s %7s %7s %8s %8s %8s %8s %6s %6s %6s %13s %9s %4s %11s%n",
                "server", "result", "frames/s", "deliv%", "lost", "p50 ms", "p99 ms", "p99.9 ms", "max ms",
                "RSS", "HWM", "CPU%", "ctxsw/s (jvm)", "thr (jvm)", "fds", ratioName);
        CellResult sc = sensorcast == null ? null : sensorcast.median();
        for (Summary s : rows) {
            CellResult m = s.shown();
            String result = s.failure() != null ? s.failure()
                    : s.failedRuns() > 0 ? s.failedRuns() + " of " + s.cells.size() + " runs failed" : "ok";
            String name = s.variant == null ? s.server.id : "MQTT " + s.variant;
            if (m == null) {
                out.printf(Locale.ROOT, "%-15s %s%n", name, result);
                continue;
            }
            String ratio = "";
            if (sc != null && s.server != ServerKind.SENSORCAST && s.variant == null) {
                ratio = scenario == Scenario.IDLE ? ratio(m.cpuPercent, sc.cpuPercent) : ratio(m.p99Millis, sc.p99Millis);
            }
            out.printf(Locale.ROOT, "%-15s %-22s %10.0f %7.2f %7d %8.2f %8.2f %8.2f %8.1f %6.1f %6.1f %6.1f %6.0f (%4.0f) %4d (%2d) %4d %11s%n",
                    name, clip(result, 22), m.deliveredPerSecond(), m.deliveredPercent(), m.lost,
                    m.p50Millis, m.p99Millis, m.p999Millis, m.maxMillis, m.rssMiB, m.hwmMiB, m.cpuPercent,
                    m.switchesPerSecond, m.jvmSwitchesPerSecond, m.threads, m.jvmThreads, m.fds, ratio);
        }
        if (scenario == Scenario.IDLE) {
            // The switches above include preemptions, which a busy machine adds; these are the
            // server's own: each is one of its threads going to sleep, to be woken again.
            for (Summary s : rows) {
                CellResult m = s.shown();
                if (m != null) {
                    out.printf(Locale.ROOT, "  %s wakes %.1f times a second (voluntary context switches; the JVM's own threads %.1f)%n",
                            s.server.id, m.wakeupsPerSecond, m.jvmWakeupsPerSecond);
                }
            }
        }
        machine(rows);
    }

    private void ceiling(List<Summary> rows, Summary sensorcast) {
        out.printf(Locale.ROOT, "%-15s %11s  %-40s %8s %6s %6s %8s %11s%n",
                "server", "ceiling/s", "ladder stopped", "p99 ms", "CPU%", "HWM", "client%", "sc/peer");
        Summary.CeilingRun sc = sensorcast == null ? null : sensorcast.medianCeiling();
        for (Summary s : rows) {
            Summary.CeilingRun c = s.medianCeiling();
            if (c == null) {
                out.printf(Locale.ROOT, "%-15s %s%n", s.server.id, "no run");
                continue;
            }
            CellResult at = c.atReached();
            String ratio = sc != null && s.server != ServerKind.SENSORCAST ? ratio(sc.reached(), c.reached()) : "";
            out.printf(Locale.ROOT, "%-15s %11s  %-40s %8s %6s %6s %8s %11s%n",
                    s.server.id, c.reached() > 0 ? rate(c.reached()) : "none", clip(c.stoppedAt(), 40),
                    at == null ? "-" : String.format(Locale.ROOT, "%.2f", at.p99Millis),
                    at == null ? "-" : String.format(Locale.ROOT, "%.1f", at.cpuPercent),
                    at == null ? "-" : String.format(Locale.ROOT, "%.1f", at.hwmMiB),
                    at == null ? "-" : String.format(Locale.ROOT, "%.0f", at.clientCpuPercent),
                    ratio);
        }
        out.println("(client% is the load client's own CPU at the ceiling: near 100 % means the client was the limit)");
        machine(rows);
    }

    /**
     * The MQTT cell: both halves as rows, then what MQTT costs within each run (with minus without)
     * and what reached the subscriber.
     */
    void mqtt(Summary off, Summary on, int runs) {
        out.printf(Locale.ROOT, "== %s: %s; median of %d run%s, each run both halves back to back%n",
                Scenario.MQTT.id, Scenario.MQTT.description, runs, runs == 1 ? "" : "s");
        cells(Scenario.MQTT, List.of(off, on), null);
        List<Double> cpu = MqttCell.differences(off, on, r -> r.cpuPercent);
        List<Double> p99 = MqttCell.differences(off, on, r -> r.p99Millis);
        List<Double> lost = MqttCell.differences(off, on, r -> r.lost);
        out.printf(Locale.ROOT, "  with MQTT minus without, median of the runs: server CPU %+.1f points of a core (runs:%s),"
                + " monitors' p99 %+.2f ms (runs:%s), lost %+.0f%n",
                MqttCell.median(cpu), list(cpu, "%+.1f"), MqttCell.median(p99), list(p99, "%+.2f"), MqttCell.median(lost));
        CellResult m = on.median();
        if (m != null && m.mqtt != null) {
            out.println("  " + MqttCell.describe(m.mqtt));
        }
        CellResult o = off.median();
        if (o != null && m != null) {
            // A starved load client delays every frame alike: then the p99s measure the machine.
            out.printf(Locale.ROOT, "  the load client's CPU (its core, with the broker and the subscriber when on): off %.0f %%, on %.0f %%%n",
                    o.clientCpuPercent, m.clientCpuPercent);
        }
    }

    private static String list(List<Double> v, String format) {
        StringBuilder b = new StringBuilder();
        for (double d : v) {
            b.append(' ').append(String.format(Locale.ROOT, format, d));
        }
        return b.length() == 0 ? " none" : b.toString();
    }

    /** Start to first accepted connection, every cell being one start of its server. */
    void startup(List<ServerKind> servers, List<Summary> all) {
        out.println();
        out.println("== startup: from starting the JVM to the first connection accepted; median over every cell");
        for (ServerKind k : servers) {
            double ms = Summary.medianStartMillis(all, k);
            out.printf(Locale.ROOT, "%-15s %s%n", k.id, ms < 0 ? "never accepted"
                    : String.format(Locale.ROOT, "%.0f ms (%d starts)", ms, Summary.starts(all, k)));
        }
    }

    /** The machine's other load over the cells, so a reader can judge the figures. */
    private void machine(List<Summary> rows) {
        for (Summary s : rows) {
            // The ceiling's figures are those of the step it reached, not a median over the ladder.
            CellResult m = s.scenario == Scenario.CEILING
                    ? (s.medianCeiling() == null ? null : s.medianCeiling().atReached())
                    : s.shown();
            if (m == null) {
                continue;
            }
            StringBuilder cores = new StringBuilder();
            for (int i = 0; i < m.coreBusyPercent.length; i++) {
                cores.append(String.format(Locale.ROOT, " cpu%d %.0f%%", i, m.coreBusyPercent[i]));
            }
            StringBuilder stolen = new StringBuilder();
            for (int i = 0; i < m.coreStealPercent.length; i++) {
                stolen.append(String.format(Locale.ROOT, " cpu%d %.1f%%", i, m.coreStealPercent[i]));
            }
            out.printf(Locale.ROOT, "  machine during %s: load %.2f, busy%s, stolen by the hypervisor%s%n",
                    s.variant == null ? s.server.id : "MQTT " + s.variant, m.loadAverage, cores, stolen);
        }
    }

    static String rate(double perSecond) {
        if (perSecond >= 1000 && perSecond % 1000 == 0) {
            return String.format(Locale.ROOT, "%dk/s", (long) perSecond / 1000);
        }
        return String.format(Locale.ROOT, "%.0f/s", perSecond);
    }

    private static String ratio(double a, double b) {
        if (!(b > 0) || !(a > 0)) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.1fx", a / b);
    }

    private static String clip(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "~";
    }
}

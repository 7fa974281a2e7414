package io.sensorcast.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/** What one run of one cell measured, or why it could not. */
final class CellResult {

    /** A ceiling step passes with at least this share of the samples delivered... */
    static final double PASS_DELIVERED_PERCENT = 99;
    /** ...and a p99 latency under this. */
    static final double PASS_P99_MILLIS = 50;

    final String server;
    final CellSpec spec;
    /** Null when the cell ran to its end; otherwise what went wrong ("OOM", "did not start", ...). */
    String failure;
    /** Whether the server process died on its own (a crash, not a threshold). */
    boolean crashed;

    long samples;
    double windowSeconds;
    double deliveredPerSecond;
    double deliveredPercent;
    long lost;
    long dropped;
    long reordered;
    long statusErrors;
    long connectFailures;
    long closedByServer;
    int connected;
    double p50Millis;
    double p99Millis;
    double p999Millis;
    double maxMillis;
    double clientCpuPercent;

    double rssMiB;
    double hwmMiB;
    double cpuPercent;
    double switchesPerSecond;
    double jvmSwitchesPerSecond;
    /** Voluntary context switches a second: the process's own wake-ups (see ProcessSnapshot). */
    double wakeupsPerSecond;
    double jvmWakeupsPerSecond;
    int threads;
    int jvmThreads;
    /** By thread name (comm; the JVM's own and the application's): what woke whom, and how many. */
    final Map<String, Double> switchesPerSecondByThread = new TreeMap<>();
    final Map<String, Integer> threadsByName = new TreeMap<>();
    int fds;

    /** sensorcast only, from its /metrics over the window (-1 for the peers, which do not say). */
    long serverInboxRefused = -1;
    long serverFramesDropped = -1;
    /** sensorcast only: samples its sim device produced per second in the window (-1: unknown). */
    double serverProducedPerSecond = -1;

    double loadAverage;
    double[] coreBusyPercent = new double[0];
    /** Per core, the share of the window the hypervisor took (see {@link MachineLoad}). */
    double[] coreStealPercent = new double[0];
    /** --jfr only: where sensorcast allocated in the window, per sample (null otherwise). */
    AllocationProfile allocation;
    /** From starting the server's JVM to the first connection it accepted (-1: it never did). */
    double startMillis = -1;
    /** The MQTT cell with MQTT on: what reached the broker's subscriber (null otherwise). */
    MqttFigures mqtt;

    /**
     * The MQTT side of a cell, over the same window: PUBLISH packets per second that reached the
     * subscriber (states and attributes; the states alone), the server's own counters, the broker's
     * CPU, and the latency from a sample's {@code t} to its attributes reaching the subscriber.
     */
    record MqttFigures(double receivedPerSecond, double statesPerSecond, double publishedPerSecond, long dropped,
            long replaced, double brokerCpuPercent, double p50Millis, double p99Millis, double maxMillis) {

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("receivedPerSecond", receivedPerSecond);
            m.put("statesReceivedPerSecond", statesPerSecond);
            m.put("serverPublishedPerSecond", publishedPerSecond);
            m.put("serverDropped", dropped);
            m.put("serverReplaced", replaced);
            m.put("brokerCpuPercentOfCore", brokerCpuPercent);
            m.put("sampleToSubscriberP50Millis", p50Millis);
            m.put("sampleToSubscriberP99Millis", p99Millis);
            m.put("sampleToSubscriberMaxMillis", maxMillis);
            return m;
        }

        /** Field by field, the median of the runs that have MQTT figures (null if none has). */
        static MqttFigures median(java.util.List<CellResult> rs) {
            java.util.List<CellResult> on = rs.stream().filter(r -> r.mqtt != null).toList();
            if (on.isEmpty()) {
                return null;
            }
            return new MqttFigures(Summary.median(on, r -> r.mqtt.receivedPerSecond), Summary.median(on, r -> r.mqtt.statesPerSecond),
                    Summary.median(on, r -> r.mqtt.publishedPerSecond), Math.round(Summary.median(on, r -> r.mqtt.dropped)),
                    Math.round(Summary.median(on, r -> r.mqtt.replaced)), Summary.median(on, r -> r.mqtt.brokerCpuPercent),
                    Summary.median(on, r -> r.mqtt.p50Millis), Summary.median(on, r -> r.mqtt.p99Millis),
                    Summary.median(on, r -> r.mqtt.maxMillis));
        }
    }

    CellResult(String server, CellSpec spec) {
        this.server = server;
        this.spec = spec;
    }

    static CellResult failed(String server, CellSpec spec, String why) {
        CellResult r = new CellResult(server, spec);
        r.failure = why;
        return r;
    }

    /** Sample frames per second, all monitors together. */
    double deliveredPerSecond() {
        return deliveredPerSecond;
    }

    /** Delivered frames against what the nominal rate offers every monitor in the window. */
    double deliveredPercent() {
        return deliveredPercent;
    }

    /** Sets both delivery figures from the frames counted in a window. */
    void delivered(long frames, double seconds) {
        samples = frames;
        windowSeconds = seconds;
        deliveredPerSecond = seconds > 0 ? frames / seconds : 0;
        double expected = spec.monitors() * spec.rate() * seconds;
        deliveredPercent = expected > 0 ? 100.0 * frames / expected : 0;
    }

    boolean passes() {
        return failure == null && deliveredPercent() >= PASS_DELIVERED_PERCENT && p99Millis < PASS_P99_MILLIS;
    }

    /** Why a ceiling step did not pass, in a few words. */
    String whyNot() {
        if (failure != null) {
            return failure;
        }
        if (deliveredPercent() < PASS_DELIVERED_PERCENT) {
            String produced = serverProducedPerSecond < 0 ? ""
                    : String.format(java.util.Locale.ROOT, " (%.1f%% produced)", 100 * serverProducedPerSecond / spec.rate());
            return String.format(java.util.Locale.ROOT, "%.1f%% delivered%s", deliveredPercent(), produced);
        }
        return String.format(java.util.Locale.ROOT, "p99 %.0f ms", p99Millis);
    }

    void latency(Histogram h) {
        p50Millis = h.getValueAtPercentile(50) / 1000.0;
        p99Millis = h.getValueAtPercentile(99) / 1000.0;
        p999Millis = h.getValueAtPercentile(99.9) / 1000.0;
        maxMillis = h.getMaxValue() / 1000.0;
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("server", server);
        m.put("scenario", spec.scenario());
        m.put("monitors", spec.monitors());
        m.put("rate", spec.rate());
        m.put("failure", failure);
        m.put("crashed", crashed);
        m.put("startMillis", startMillis);
        if (allocation != null) {
            m.put("allocation", allocation.toMap());
        }
        if (mqtt != null) {
            m.put("mqtt", mqtt.toMap());
        }
        m.put("windowSeconds", windowSeconds);
        m.put("connected", connected);
        m.put("deliveredPerSecond", deliveredPerSecond());
        m.put("deliveredPercent", deliveredPercent());
        m.put("lost", lost);
        m.put("droppedReported", dropped);
        m.put("reordered", reordered);
        m.put("statusErrors", statusErrors);
        m.put("connectFailures", connectFailures);
        m.put("closedByServer", closedByServer);
        m.put("p50Millis", p50Millis);
        m.put("p99Millis", p99Millis);
        m.put("p999Millis", p999Millis);
        m.put("maxMillis", maxMillis);
        m.put("clientCpuPercent", clientCpuPercent);
        m.put("serverInboxRefused", serverInboxRefused < 0 ? null : serverInboxRefused);
        m.put("serverFramesDropped", serverFramesDropped < 0 ? null : serverFramesDropped);
        m.put("serverProducedPerSecond", serverProducedPerSecond < 0 ? null : serverProducedPerSecond);
        m.put("rssMiB", rssMiB);
        m.put("hwmMiB", hwmMiB);
        m.put("cpuPercentOfCore", cpuPercent);
        m.put("contextSwitchesPerSecond", switchesPerSecond);
        m.put("jvmThreadContextSwitchesPerSecond", jvmSwitchesPerSecond);
        m.put("wakeupsPerSecond", wakeupsPerSecond);
        m.put("jvmThreadWakeupsPerSecond", jvmWakeupsPerSecond);
        m.put("contextSwitchesPerSecondByThread", switchesPerSecondByThread);
        m.put("threads", threads);
        m.put("threadsByName", threadsByName);
        m.put("jvmThreads", jvmThreads);
        m.put("openFds", fds);
        m.put("machineLoadAverage", loadAverage);
        m.put("machineCoreBusyPercent", java.util.Arrays.stream(coreBusyPercent).boxed().toList());
        m.put("machineCoreStealPercent", java.util.Arrays.stream(coreStealPercent).boxed().toList());
        return m;
    }
}

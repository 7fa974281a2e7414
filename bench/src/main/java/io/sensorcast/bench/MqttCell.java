package io.sensorcast.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * Issue 18's cell: sensorcast's fan-out of 100 monitors x 1,000 samples/s without MQTT and with it
 * ({@code mqtt.publish_interval = 0}, QoS 0, a mosquitto of the cell's own on loopback, read by
 * mosquitto_sub), back to back in every run, the order alternating from run to run so that a drift
 * of the machine weighs on both. What MQTT costs is the difference within each run: the server's
 * CPU, the monitors' p99 and loss; beside it the PUBLISH packets per second that reached the
 * subscriber. sensorcast only: the peers have no MQTT.
 */
final class MqttCell {

    /** The server's keys with MQTT on: every sample, QoS 0, to the cell's broker. */
    static String mqttKeys(int brokerPort) {
        return "mqtt.broker = mqtt://127.0.0.1:" + brokerPort + "\n"
                + "mqtt.publish_interval = 0s\n"
                + "mqtt.qos = 0\n";
    }

    /** What sensorcast publishes under, with server.name = bench. */
    static final String TOPICS = "sensorcast/bench/#";

    private final CellRunner runner;
    private final Options options;
    private final Path work;
    private final Path logs;

    MqttCell(CellRunner runner, Options options, Path work, Path logs) {
        this.runner = runner;
        this.options = options;
        this.work = work;
        this.logs = logs;
    }

    /** Why the cell cannot run here, or null: mosquitto missing (a breakage under CI=true, else skipped). */
    static String missing() {
        return MqttBroker.installed() ? null : "mosquitto and mosquitto_sub are missing (" + MqttBroker.INSTALL + ")";
    }

    /** Every run: both halves; returns the two summaries, "off" first. */
    List<Summary> run() throws IOException, InterruptedException {
        Summary off = new Summary(ServerKind.SENSORCAST, Scenario.MQTT);
        off.variant = "off";
        Summary on = new Summary(ServerKind.SENSORCAST, Scenario.MQTT);
        on.variant = "on";
        for (int run = 1; run <= options.runs; run++) {
            boolean onFirst = run % 2 == 0;
            for (int half = 0; half < 2; half++) {
                boolean withMqtt = (half == 0) == onFirst;
                CellResult r = withMqtt ? withMqtt(run) : withoutMqtt();
                Bench.progress(r, run, options.runs);
                if (r.mqtt != null) {
                    System.out.println("    " + describe(r.mqtt));
                }
                (withMqtt ? on : off).cells.add(r);
            }
        }
        return List.of(off, on);
    }

    private CellSpec spec(String half) {
        return new CellSpec(Scenario.MQTT.id + "-" + half, Scenario.MQTT.monitors, Scenario.MQTT.rate,
                options.warmupSeconds(), options.seconds);
    }

    private CellResult withoutMqtt() throws IOException, InterruptedException {
        return runner.run(ServerKind.SENSORCAST, spec("off"), "", null);
    }

    private CellResult withMqtt(int run) throws IOException, InterruptedException {
        CellSpec spec = spec("on");
        MqttBroker broker;
        try {
            broker = MqttBroker.start(work, logs.resolve(String.format(Locale.ROOT, "mosquitto-run%d.log", run)));
        } catch (IOException e) {
            return CellResult.failed(ServerKind.SENSORCAST.id, spec, "did not start: " + e.getMessage());
        }
        Path received = work.resolve("mqtt-received-" + broker.port + ".txt");
        Measure measure = new Measure(broker);
        CellResult r;
        try {
            broker.subscribe(TOPICS, received);
            r = runner.run(ServerKind.SENSORCAST, spec, mqttKeys(broker.port), measure);
        } finally {
            broker.close();
        }
        if (measure.endMillis > 0) {
            measure.fill(r, MqttBroker.Counter.count(received, measure.beginMillis, measure.endMillis));
        }
        java.nio.file.Files.deleteIfExists(received);
        return r;
    }

    /** The broker's side of the window: its CPU and the server's MQTT counters, at both ends. */
    private static final class Measure implements CellRunner.Beside {
        private final MqttBroker broker;
        private ProcessSnapshot b0;
        private double brokerCpu = -1;
        private boolean brokerDied;
        long beginMillis;
        long endMillis;
        private double published = -1;
        private long dropped = -1;
        private long replaced = -1;

        Measure(MqttBroker broker) {
            this.broker = broker;
        }

        @Override
        public void begin() {
            beginMillis = System.currentTimeMillis();
            b0 = snapshot();
        }

        @Override
        public void end(CellResult r, String metrics0, String metrics1, double scrapeSeconds) {
            endMillis = System.currentTimeMillis();
            ProcessSnapshot b1 = snapshot();
            brokerCpu = b0 != null && b1 != null ? ProcessSnapshot.cpuPercent(b0, b1) : -1;
            brokerDied = !broker.alive();
            if (metrics0 != null && metrics1 != null && scrapeSeconds > 0) {
                published = (MetricsScrape.sum(metrics1, "sensorcast_mqtt_published_total")
                        - MetricsScrape.sum(metrics0, "sensorcast_mqtt_published_total")) / scrapeSeconds;
                dropped = Math.round(MetricsScrape.sum(metrics1, "sensorcast_mqtt_dropped_total")
                        - MetricsScrape.sum(metrics0, "sensorcast_mqtt_dropped_total"));
                replaced = Math.round(MetricsScrape.sum(metrics1, "sensorcast_mqtt_replaced_total")
                        - MetricsScrape.sum(metrics0, "sensorcast_mqtt_replaced_total"));
            }
        }

        /** After the cell: what reached the subscriber in the window, and a failure if nothing did. */
        void fill(CellResult r, MqttBroker.Counter c) {
            double seconds = (endMillis - beginMillis) / 1000.0;
            Histogram h = c.latency();
            r.mqtt = new CellResult.MqttFigures(c.inWindow() / seconds, c.statesInWindow() / seconds, published,
                    dropped, replaced, brokerCpu,
                    h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(50) / 1000.0,
                    h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(99) / 1000.0,
                    h.getMaxValue() / 1000.0);
            if (r.failure == null && brokerDied) {
                r.failure = "mosquitto exited during the run";
            } else if (r.failure == null && c.inWindow() == 0) {
                r.failure = "no MQTT publish reached the subscriber";
            }
        }

        private ProcessSnapshot snapshot() {
            try {
                return ProcessSnapshot.of(broker.pid());
            } catch (IOException | RuntimeException gone) {
                return null;
            }
        }
    }

    static String describe(CellResult.MqttFigures m) {
        return String.format(Locale.ROOT,
                "MQTT: %.0f publishes/s reached the subscriber (%.0f states/s), the server published %.0f/s, dropped %d, replaced %d;"
                        + " broker CPU %.1f%%; sample to subscriber p50 %.2f ms, p99 %.2f ms, max %.1f ms",
                m.receivedPerSecond(), m.statesPerSecond(), m.publishedPerSecond(), m.dropped(), m.replaced(),
                m.brokerCpuPercent(), m.p50Millis(), m.p99Millis(), m.maxMillis());
    }

    /** Within each run, with MQTT minus without: the runs' differences of {@code f}, in run order. */
    static List<Double> differences(Summary off, Summary on, java.util.function.ToDoubleFunction<CellResult> f) {
        List<Double> d = new ArrayList<>();
        for (int i = 0; i < Math.min(off.cells.size(), on.cells.size()); i++) {
            CellResult a = off.cells.get(i);
            CellResult b = on.cells.get(i);
            if (a.failure == null && b.failure == null) {
                d.add(f.applyAsDouble(b) - f.applyAsDouble(a));
            }
        }
        return d;
    }

    static double median(List<Double> v) {
        if (v.isEmpty()) {
            return Double.NaN;
        }
        double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}

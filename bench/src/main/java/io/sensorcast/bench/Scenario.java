package io.sensorcast.bench;

import java.util.List;

/** The workloads of issue 8, by the names used on the command line. */
enum Scenario {
    FANOUT_100("fanout-100", 100, 1000, "100 monitors x 1,000 samples/s"),
    FANOUT_1000("fanout-1000", 1000, 100, "1,000 monitors x 100 samples/s"),
    CEILING("ceiling", 10, 0, "10 monitors, rate stepped up until a step fails (>= 99 % delivered, p99 < 50 ms)"),
    IDLE("idle", 10, 1, "10 monitors x 1 sample/s"),
    /** sensorcast only: the fan-out of 100 monitors without MQTT and with it, back to back in each run. */
    MQTT("mqtt", 100, 1000, "100 monitors x 1,000 samples/s, sensorcast without and with MQTT"
            + " (mqtt.publish_interval = 0, QoS 0, a local mosquitto)");

    /**
     * The fine ladder of the ceiling, in samples per second: 10-15 % apart from 15k/s to 50k/s,
     * where the peers stop, and 7-14 % from 175k/s on, where sensorcast does; 20-25 % between.
     * A ceiling and its ratio are known to within a step.
     */
    static final List<Integer> LADDER = List.of(1_000, 2_000, 3_000, 4_000, 5_000, 6_000, 8_000, 10_000,
            12_000, 15_000, 17_500, 20_000, 22_500, 25_000, 27_500, 30_000, 35_000, 40_000, 45_000, 50_000,
            60_000, 70_000, 80_000, 90_000, 100_000, 125_000, 150_000, 175_000, 200_000, 225_000, 250_000,
            275_000, 300_000, 325_000, 350_000, 375_000, 400_000, 450_000, 500_000);
    /** The quick run's ladder: enough to see that stepping works, capped low. */
    static final List<Integer> QUICK_LADDER = List.of(1_000, 10_000);

    final String id;
    final int monitors;
    final double rate;
    final String description;

    Scenario(String id, int monitors, double rate, String description) {
        this.id = id;
        this.monitors = monitors;
        this.rate = rate;
        this.description = description;
    }

    static Scenario byId(String id) {
        for (Scenario s : values()) {
            if (s.id.equals(id)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scenario " + id + " (fanout-100, fanout-1000, ceiling, idle, mqtt)");
    }
}

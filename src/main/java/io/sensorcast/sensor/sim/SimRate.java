package io.sensorcast.sensor.sim;

import java.time.Duration;

/** The rate setting every simulated device shares: samples per second, as a read interval. */
final class SimRate {

    static final double MAX = 1_000_000;

    private SimRate() {}

    /** 1/rate, at least 1 ns; a rate outside (0, 1,000,000] is refused. */
    static Duration interval(double ratePerSecond) {
        if (!(ratePerSecond > 0) || ratePerSecond > MAX) {
            throw new IllegalArgumentException("rate must be above 0 and at most 1000000 per second, was " + ratePerSecond);
        }
        return Duration.ofNanos(Math.max(1, Math.round(1e9 / ratePerSecond)));
    }
}

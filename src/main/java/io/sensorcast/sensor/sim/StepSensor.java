package io.sensorcast.sensor.sim;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A simulated square wave: {@code first} for {@code holdSeconds}, then {@code second} for as long,
 * and so on, timed on the monotonic clock from construction. A clean edge for testing alarms,
 * thresholds and charts: with t the time since start, the value is {@code first} while
 * {@code floor(t / hold)} is even, {@code second} while it is odd.
 */
public final class StepSensor extends SimulatedSensor {

    private final double first;
    private final double second;
    private final long holdNanos;
    private final LongSupplier nanoClock;
    private final long start;

    /**
     * @param id            the device id; the channel is {@code id.step}
     * @param ratePerSecond samples per second (0 < rate ≤ 1,000,000)
     * @param first         the value from the start
     * @param second        the value it alternates with
     * @param hold          how long each value lasts, at least 1 ms
     */
    public StepSensor(String id, String name, String unit, double ratePerSecond, double first, double second, Duration hold) {
        this(id, name, unit, ratePerSecond, first, second, hold, System::nanoTime);
    }

    StepSensor(String id, String name, String unit, double ratePerSecond, double first, double second, Duration hold,
               LongSupplier nanoClock) {
        super(id, "step", name, unit, ratePerSecond);
        if (hold.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException("each value must last at least 1 ms, was " + hold);
        }
        this.first = first;
        this.second = second;
        this.holdNanos = hold.toNanos();
        this.nanoClock = nanoClock;
        this.start = nanoClock.getAsLong();
    }

    @Override
    double next() {
        long periods = (nanoClock.getAsLong() - start) / holdNanos;
        return periods % 2 == 0 ? first : second;
    }
}

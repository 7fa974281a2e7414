package io.sensorcast.sensor.sim;

import java.util.function.LongSupplier;

/**
 * A simulated channel: a sine wave around a mean, so that a fresh install shows live data on any
 * machine, and tests and the benchmark have a source of known rate. The value is a function of
 * monotonic time since construction, {@code mean + amplitude * sin(2π t / period)}, so it is smooth
 * whatever the rate and a late read lands on the curve, not behind it.
 */
public final class SineSensor extends SimulatedSensor {

    private final double mean;
    private final double amplitude;
    private final double periodSeconds;
    private final LongSupplier nanoClock;
    private final long start;

    /**
     * @param id            the device id; the channel is {@code id.sine}
     * @param ratePerSecond samples per second (0 < rate ≤ 1,000,000)
     * @param periodSeconds one full wave, above 0
     */
    public SineSensor(String id, String name, String unit, double ratePerSecond, double mean, double amplitude,
                      double periodSeconds) {
        this(id, name, unit, ratePerSecond, mean, amplitude, periodSeconds, System::nanoTime);
    }

    SineSensor(String id, String name, String unit, double ratePerSecond, double mean, double amplitude,
               double periodSeconds, LongSupplier nanoClock) {
        super(id, "sine", name, unit, ratePerSecond);
        if (!(periodSeconds > 0) || Double.isInfinite(periodSeconds)) {
            throw new IllegalArgumentException("period must be a positive number of seconds, was " + periodSeconds);
        }
        this.mean = mean;
        this.amplitude = amplitude;
        this.periodSeconds = periodSeconds;
        this.nanoClock = nanoClock;
        this.start = nanoClock.getAsLong();
    }

    /** The default demo channel: "sim.sine", a slow 20 ± 5 wave with a one-minute period. */
    public static SineSensor demo(double ratePerSecond) {
        return new SineSensor("sim", "Simulated sine", "", ratePerSecond, 20, 5, 60);
    }

    @Override
    double next() {
        double seconds = (nanoClock.getAsLong() - start) / 1e9;
        return mean + amplitude * Math.sin(2 * Math.PI * seconds / periodSeconds);
    }
}

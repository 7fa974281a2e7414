package io.sensorcast.sensor.sim;

import io.sensorcast.hub.ChannelInfo;
import io.sensorcast.sensor.Sensor;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * A simulated channel: a sine wave around a mean, so that a fresh install shows live data on any
 * machine, and tests and the benchmark have a source of known rate. The value is a function of
 * monotonic time since construction, {@code mean + amplitude * sin(2π t / period)}, so it is smooth
 * whatever the rate and a late read lands on the curve, not behind it.
 */
public final class SineSensor implements Sensor {

    private final String id;
    private final ChannelInfo channel;
    private final Duration interval;
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
        if (!(periodSeconds > 0) || Double.isInfinite(periodSeconds)) {
            throw new IllegalArgumentException("period must be a positive number of seconds, was " + periodSeconds);
        }
        this.id = id;
        this.channel = new ChannelInfo(id + ".sine", name, unit);
        this.interval = SimRate.interval(ratePerSecond);
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
    public String id() {
        return id;
    }

    @Override
    public List<ChannelInfo> channels() {
        return List.of(channel);
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public void read(double[] values) {
        double seconds = (nanoClock.getAsLong() - start) / 1e9;
        values[0] = mean + amplitude * Math.sin(2 * Math.PI * seconds / periodSeconds);
    }

    /** Nothing is held between reads. */
    @Override
    public void close() {}
}

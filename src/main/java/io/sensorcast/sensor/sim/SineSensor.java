package io.sensorcast.sensor.sim;

import io.sensorcast.hub.ChannelInfo;
import io.sensorcast.sensor.Sensor;
import java.time.Duration;
import java.util.List;

/**
 * A simulated channel: a sine wave around a mean, so that a fresh install shows live data on any
 * machine, and tests and the benchmark have a source of known rate. The value is a function of
 * monotonic time since start, so it is smooth whatever the rate.
 */
public final class SineSensor implements Sensor {

    private final String id;
    private final ChannelInfo channel;
    private final Duration interval;
    private final double mean;
    private final double amplitude;
    private final double periodSeconds;
    private final long start = System.nanoTime();

    /**
     * @param ratePerSecond samples per second (0 < rate ≤ 1,000,000)
     */
    public SineSensor(String id, String name, String unit, double ratePerSecond, double mean, double amplitude,
                      double periodSeconds) {
        if (!(ratePerSecond > 0) || ratePerSecond > 1_000_000) {
            throw new IllegalArgumentException("rate must be above 0 and at most 1000000 per second, was " + ratePerSecond);
        }
        this.id = id;
        this.channel = new ChannelInfo(id + ".sine", name, unit);
        this.interval = Duration.ofNanos(Math.max(1, Math.round(1e9 / ratePerSecond)));
        this.mean = mean;
        this.amplitude = amplitude;
        this.periodSeconds = periodSeconds;
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
        double seconds = (System.nanoTime() - start) / 1e9;
        values[0] = mean + amplitude * Math.sin(2 * Math.PI * seconds / periodSeconds);
    }
}

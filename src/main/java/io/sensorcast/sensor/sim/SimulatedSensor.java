package io.sensorcast.sensor.sim;

import io.sensorcast.hub.ChannelInfo;
import io.sensorcast.sensor.Sensor;
import java.time.Duration;
import java.util.List;

/**
 * What every simulated device is: one channel, read at a rate in samples per second, each read one
 * value that the device computes from its own state (a clock, a count), with nothing held open.
 */
abstract class SimulatedSensor implements Sensor {

    private static final double MAX_RATE = 1_000_000;

    private final String id;
    private final List<ChannelInfo> channels;
    private final Duration interval;

    /**
     * @param quantity      the channel is {@code id.quantity}
     * @param ratePerSecond samples per second (0 < rate ≤ 1,000,000)
     */
    SimulatedSensor(String id, String quantity, String name, String unit, double ratePerSecond) {
        this.interval = interval(ratePerSecond);
        this.id = id;
        this.channels = List.of(new ChannelInfo(id + "." + quantity, name, unit));
    }

    /** 1/rate, at least 1 ns; a rate outside (0, 1,000,000] is refused. */
    private static Duration interval(double ratePerSecond) {
        if (!(ratePerSecond > 0) || ratePerSecond > MAX_RATE) {
            throw new IllegalArgumentException("rate must be above 0 and at most 1000000 per second, was " + ratePerSecond);
        }
        return Duration.ofNanos(Math.max(1, Math.round(1e9 / ratePerSecond)));
    }

    /** The value of this read. */
    abstract double next();

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final List<ChannelInfo> channels() {
        return channels;
    }

    @Override
    public final Duration interval() {
        return interval;
    }

    @Override
    public final void read(double[] values) {
        values[0] = next();
    }

    /** Nothing is held between reads. */
    @Override
    public final void close() {}
}

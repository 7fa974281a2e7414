package io.sensorcast.sensor.pi4j;

import io.sensorcast.hub.ChannelInfo;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Counts pulses on a GPIO input (an anemometer's reed switch, a flow meter's Hall sensor) and
 * reports their rate: pulses per second over the time since the previous read, times a factor
 * that turns it into the quantity measured (an anemometer giving 1 pulse per second at 2.4 km/h
 * has factor 2.4 and unit "km/h"; a YF-S201 flow meter, 7.5 Hz per L/min, factor 1/7.5 and
 * unit "L/min").
 *
 * <p>The rate uses the time that actually passed between reads, not the nominal interval, so a
 * late read does not inflate it. The first read after {@link #open} covers the time since open.
 */
public final class PulseCounter extends GpioInputSensor {

    private final Edge edge;
    private final double factor;

    /** Pulses since construction; written on Pi4J's thread. */
    private final AtomicLong pulses = new AtomicLong();
    private long lastPulses;
    private long lastNanos;

    /**
     * @param board    the Pi4J board (one per program)
     * @param id       device id; the channel is {@code id + "." + quantity}
     * @param bcmPin   the GPIO, as a BCM number
     * @param pull     the internal bias resistor (UP for a reed switch to ground)
     * @param edge     which transition is one pulse
     * @param debounce how long after an edge further changes count as contact bounce (0 for a
     *                 Hall sensor; a few ms for a reed switch, less than half the shortest period)
     * @param quantity the channel's quantity ("speed", "flow", "rate")
     * @param unit     the unit after scaling ("m/s", "L/min", "1/s" with factor 1)
     * @param factor   what one pulse per second is in {@code unit}
     * @param interval how often to report the rate
     */
    public PulseCounter(Pi4jBoard board, String id, int bcmPin, Pull pull, Edge edge, Duration debounce,
                        String quantity, String unit, double factor, Duration interval) {
        this(board, id, bcmPin, pull, edge, debounce, quantity, unit, factor, interval, System::nanoTime);
    }

    /** As above, with the monotonic clock for debouncing and for the rate (tests drive it). */
    PulseCounter(Pi4jBoard board, String id, int bcmPin, Pull pull, Edge edge, Duration debounce,
                 String quantity, String unit, double factor, Duration interval, LongSupplier nanoClock) {
        super(board, id, bcmPin, pull, debounce, interval, nanoClock, new ChannelInfo(id + "." + quantity, id + " " + quantity, unit));
        if (!Double.isFinite(factor) || factor == 0) {
            throw new IllegalArgumentException(id + ": factor must be a finite number other than 0, was " + factor);
        }
        this.edge = edge;
        this.factor = factor;
    }

    @Override
    void opened(long nanos) {
        lastPulses = pulses.get();
        lastNanos = nanos;
    }

    /** The rate since the previous read (or since open), scaled by the factor. */
    @Override
    public void read(double[] values) throws IOException {
        pin();
        long now = nanoTime();
        long count = pulses.get();
        long elapsed = now - lastNanos;
        if (elapsed <= 0) {
            // No time since open (a read right after it): no rate to speak of yet.
            values[0] = 0;
            return;
        }
        values[0] = (count - lastPulses) * 1e9 / elapsed * factor;
        lastPulses = count;
        lastNanos = now;
    }

    @Override
    void level(boolean high) {
        if (high == (edge == Edge.RISING)) {
            pulses.incrementAndGet();
        }
    }
}

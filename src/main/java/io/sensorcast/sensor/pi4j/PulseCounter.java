package io.sensorcast.sensor.pi4j;

import io.sensorcast.hub.ChannelInfo;
import io.sensorcast.sensor.Sensor;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
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
public final class PulseCounter implements Sensor {

    private final Pi4jBoard board;
    private final String id;
    private final int bcm;
    private final Pull pull;
    private final Edge edge;
    private final double factor;
    private final Duration interval;
    private final LongSupplier nanoClock;
    private final Debouncer debouncer;
    private final List<ChannelInfo> channels;

    /** Pulses since construction; written on Pi4J's thread. */
    private final AtomicLong pulses = new AtomicLong();
    private GpioPin pin;
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
        GpioPin.checkPin(id, bcmPin);
        if (debounce.isNegative()) {
            throw new IllegalArgumentException(id + ": debounce must not be negative, was " + debounce);
        }
        if (!Double.isFinite(factor) || factor == 0) {
            throw new IllegalArgumentException(id + ": factor must be a finite number other than 0, was " + factor);
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException(id + ": interval must be positive, was " + interval);
        }
        this.board = board;
        this.id = id;
        this.bcm = bcmPin;
        this.pull = pull;
        this.edge = edge;
        this.factor = factor;
        this.interval = interval;
        this.nanoClock = nanoClock;
        this.debouncer = new Debouncer(debounce.toNanos());
        this.channels = List.of(new ChannelInfo(id + "." + quantity, id + " " + quantity, unit));
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public List<ChannelInfo> channels() {
        return channels;
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public void open() throws IOException {
        close();
        GpioPin opened = GpioPin.openSeeded(board, id, bcm, pull, debouncer);
        lastPulses = pulses.get();
        lastNanos = nanoClock.getAsLong();
        opened.listen(this::onLevel);
        pin = opened;
    }

    /** The rate since the previous read (or since open), scaled by the factor. */
    @Override
    public void read(double[] values) throws IOException {
        if (pin == null) {
            open();
        }
        long now = nanoClock.getAsLong();
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
    public void close() {
        GpioPin open = pin;
        pin = null;
        if (open != null) {
            open.close();
        }
    }

    private void onLevel(boolean high) {
        if (debouncer.accept(high, nanoClock.getAsLong()) && high == (edge == Edge.RISING)) {
            pulses.incrementAndGet();
        }
    }
}

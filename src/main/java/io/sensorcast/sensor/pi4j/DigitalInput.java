package io.sensorcast.sensor.pi4j;

import io.sensorcast.hub.ChannelInfo;
import io.sensorcast.sensor.EventSensor;
import io.sensorcast.sensor.SampleSink;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * A GPIO input (a door contact, a button, a PIR sensor's output) as one channel, 0 or 1. Each
 * debounced edge is reported at once through {@link #listen}; {@link #read} gives the level on the
 * interval, which is the channel's first value and its heartbeat.
 */
public final class DigitalInput implements EventSensor {

    private final Pi4jBoard board;
    private final String id;
    private final int bcm;
    private final Pull pull;
    private final Duration interval;
    private final LongSupplier nanoClock;
    private final Debouncer debouncer;
    private final List<ChannelInfo> channels;

    private volatile SampleSink sink;
    private GpioPin pin;

    /**
     * @param board    the Pi4J board (one per program)
     * @param id       device id; the channel is {@code id + ".state"}
     * @param bcmPin   the GPIO, as a BCM number (GPIO17 is header pin 11)
     * @param pull     the internal bias resistor
     * @param debounce how long after an edge further changes count as contact bounce (0 for none)
     * @param interval how often to report the level even without edges
     */
    public DigitalInput(Pi4jBoard board, String id, int bcmPin, Pull pull, Duration debounce, Duration interval) {
        this(board, id, bcmPin, pull, debounce, interval, System::nanoTime);
    }

    /** As above, with the monotonic clock the debouncing reads (tests drive it). */
    DigitalInput(Pi4jBoard board, String id, int bcmPin, Pull pull, Duration debounce, Duration interval, LongSupplier nanoClock) {
        GpioPin.checkPin(id, bcmPin);
        if (debounce.isNegative()) {
            throw new IllegalArgumentException(id + ": debounce must not be negative, was " + debounce);
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException(id + ": interval must be positive, was " + interval);
        }
        this.board = board;
        this.id = id;
        this.bcm = bcmPin;
        this.pull = pull;
        this.interval = interval;
        this.nanoClock = nanoClock;
        this.debouncer = new Debouncer(debounce.toNanos());
        this.channels = List.of(new ChannelInfo(id + ".state", id, ""));
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
        // Edges are counted from the level at open, so the first one is reported at once.
        GpioPin opened = GpioPin.openSeeded(board, id, bcm, pull, debouncer);
        opened.listen(this::onLevel);
        pin = opened;
    }

    /** Where edges go from now on; they keep going there across a close and re-open. */
    @Override
    public void listen(SampleSink sink) {
        this.sink = sink;
    }

    @Override
    public void read(double[] values) throws IOException {
        if (pin == null) {
            open();
        }
        values[0] = pin.isHigh() ? 1 : 0;
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
        if (debouncer.accept(high, nanoClock.getAsLong())) {
            SampleSink s = sink;
            if (s != null) {
                s.emit(0, high ? 1 : 0);
            }
        }
    }
}

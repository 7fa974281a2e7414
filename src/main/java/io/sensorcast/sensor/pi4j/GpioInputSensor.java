package io.sensorcast.sensor.pi4j;

import io.sensorcast.hub.ChannelInfo;
import io.sensorcast.sensor.Sensor;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * A device on one GPIO input with its own debouncing, the set-up {@link DigitalInput} and
 * {@link PulseCounter} share: the checks of the pin and times, claiming the line with the
 * debouncer seeded from its level, the debounced changes of level, and the release.
 */
abstract class GpioInputSensor implements Sensor {

    private final Pi4jBoard board;
    private final String id;
    private final int bcm;
    private final Pull pull;
    private final Duration interval;
    private final LongSupplier nanoClock;
    private final Debouncer debouncer;
    private final List<ChannelInfo> channels;

    private GpioPin pin;

    /**
     * @param debounce  how long after an edge further changes count as contact bounce (0 for none)
     * @param nanoClock the monotonic clock the debouncing reads (tests drive it)
     */
    GpioInputSensor(Pi4jBoard board, String id, int bcmPin, Pull pull, Duration debounce, Duration interval,
                    LongSupplier nanoClock, ChannelInfo channel) {
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
        this.channels = List.of(channel);
    }

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
    public final void open() throws IOException {
        close();
        // Edges are counted from the level at open, so the first one is reported at once.
        GpioPin opened = GpioPin.openSeeded(board, id, bcm, pull, debouncer);
        opened(nanoClock.getAsLong());
        opened.listen(high -> {
            if (debouncer.accept(high, nanoClock.getAsLong())) {
                level(high);
            }
        });
        pin = opened;
    }

    /** The line is claimed at {@code nanos} and no edge has been passed on yet. */
    void opened(long nanos) {}

    /** A debounced change of level, on Pi4J's thread. */
    abstract void level(boolean high);

    /** The open line, opened again first if a failed read closed it. Device thread. */
    final GpioPin pin() throws IOException {
        if (pin == null) {
            open();
        }
        return pin;
    }

    /** The monotonic clock, in nanoseconds. */
    final long nanoTime() {
        return nanoClock.getAsLong();
    }

    @Override
    public final void close() {
        GpioPin open = pin;
        pin = null;
        if (open != null) {
            open.close();
        }
    }
}

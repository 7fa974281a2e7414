package io.sensorcast.sensor.pi4j;

import io.sensorcast.hub.ChannelInfo;
import io.sensorcast.sensor.EventSensor;
import io.sensorcast.sensor.SampleSink;
import java.io.IOException;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A GPIO input (a door contact, a button, a PIR sensor's output) as one channel, 0 or 1. Each
 * debounced edge is reported at once through {@link #listen}; {@link #read} gives the level on the
 * interval, which is the channel's first value and its heartbeat.
 */
public final class DigitalInput extends GpioInputSensor implements EventSensor {

    private volatile SampleSink sink;

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
        super(board, id, bcmPin, pull, debounce, interval, nanoClock, new ChannelInfo(id + ".state", id, ""));
    }

    /** Where edges go from now on; they keep going there across a close and re-open. */
    @Override
    public void listen(SampleSink sink) {
        this.sink = sink;
    }

    @Override
    public void read(double[] values) throws IOException {
        values[0] = pin().isHigh() ? 1 : 0;
    }

    @Override
    void level(boolean high) {
        SampleSink s = sink;
        if (s != null) {
            s.emit(0, high ? 1 : 0);
        }
    }
}

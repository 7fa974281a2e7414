package io.sensorcast.sensor;

/**
 * Where an {@link EventSensor} puts an event: thread-safe; it waits at most for another post of the
 * same device to finish (so the channel keeps one order), never for I/O.
 */
@FunctionalInterface
public interface SampleSink {

    /** A new value for the device's channel at {@code channelIndex} (its order in channels()). */
    void emit(int channelIndex, double value);
}

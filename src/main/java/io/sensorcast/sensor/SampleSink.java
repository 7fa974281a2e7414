package io.sensorcast.sensor;

/** Where an {@link EventSensor} puts an event: thread-safe, never blocks. */
@FunctionalInterface
public interface SampleSink {

    /** A new value for the device's channel at {@code channelIndex} (its order in channels()). */
    void emit(int channelIndex, double value);
}

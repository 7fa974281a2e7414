package io.sensorcast.sensor;

/**
 * A device that also reports as things happen (a GPIO edge), not only when read. {@link #read}
 * still gives the current state on the interval (the first value, and a heartbeat that keeps the
 * channel from going stale); events in between go to the sink at once, from whatever thread the
 * hardware library calls back on.
 */
public interface EventSensor extends Sensor {

    /** Starts delivering events to {@code sink}; called after {@link #open()}. */
    void listen(SampleSink sink) throws Exception;
}

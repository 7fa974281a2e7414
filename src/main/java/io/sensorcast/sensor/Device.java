package io.sensorcast.sensor;

import java.time.Duration;
import java.util.List;

/**
 * One configured device as it runs: its sensors (one, except the system device, which has one
 * per source so that a failing source never silences the others), its read timeout and its start
 * timing.
 *
 * @param id       the device id from the configuration
 * @param sensors  the drivers, each on its own thread
 * @param timeout  a read taking longer marks the device's channels error
 * @param onDemand read only while a monitor watches one of its channels
 * @param grace    on-demand: how long to keep reading after the last monitor left
 */
public record Device(String id, List<Sensor> sensors, Duration timeout, boolean onDemand, Duration grace) {

    public Device {
        sensors = List.copyOf(sensors);
    }

    /** A continuous device of one sensor with the default timeout (tests, the built-in set). */
    public static Device of(Sensor sensor) {
        return new Device(sensor.id(), List.of(sensor), SensorThread.DEFAULT_TIMEOUT, false, Duration.ZERO);
    }
}

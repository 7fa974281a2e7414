package io.sensorcast.sensor.sysfs;

import java.io.IOException;

/**
 * Where one channel's number comes from, in the unit its kernel ABI defines (millidegrees for a
 * hwmon temperature, kPa for an IIO pressure). {@link SysfsChannel} converts it to the unit shown.
 */
public interface NumberSource {

    /** Reads the current value; the message of a failure names the file. */
    double read() throws IOException;
}

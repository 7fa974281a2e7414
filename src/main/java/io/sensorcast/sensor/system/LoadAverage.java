package io.sensorcast.sensor.system;

import io.sensorcast.hub.ChannelInfo;
import io.sensorcast.sensor.Sensor;
import io.sensorcast.sensor.sysfs.SysfsFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The kernel's load averages from {@code /proc/loadavg} ("0.52 0.58 0.59 1/467 12345"): runnable
 * and uninterruptible tasks averaged over 1, 5 and 15 minutes (proc(5)).
 */
public final class LoadAverage implements Sensor {

    private final Path file;
    private final Duration interval;

    public LoadAverage(Path procfsRoot, Duration interval) {
        this.file = procfsRoot.resolve("loadavg");
        this.interval = interval;
    }

    @Override
    public String id() {
        return "load";
    }

    @Override
    public List<ChannelInfo> channels() {
        return List.of(new ChannelInfo("load.1m", "Load average, 1 min", ""),
                new ChannelInfo("load.5m", "Load average, 5 min", ""),
                new ChannelInfo("load.15m", "Load average, 15 min", ""));
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public void read(double[] values) throws IOException {
        String text = SysfsFiles.readText(file, SysfsFiles.MAX_ATTRIBUTE_BYTES).trim();
        String[] fields = text.split("\\s+");
        if (fields.length < 3) {
            throw new IOException(file + " holds '" + SysfsFiles.excerpt(text) + "', expected three load averages");
        }
        try {
            for (int i = 0; i < 3; i++) {
                values[i] = Double.parseDouble(fields[i]);
            }
        } catch (NumberFormatException e) {
            throw new IOException(file + " holds '" + SysfsFiles.excerpt(text) + "', expected three load averages");
        }
        for (double v : values) {
            if (v < 0) {
                throw new IOException(file + " holds a negative load average: '" + text + "'");
            }
        }
    }

    /** Nothing is held between reads. */
    @Override
    public void close() {}
}

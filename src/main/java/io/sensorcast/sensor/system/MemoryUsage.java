package io.sensorcast.sensor.system;

import io.sensorcast.hub.ChannelInfo;
import io.sensorcast.sensor.Sensor;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Memory from {@code /proc/meminfo}: MemAvailable, in MiB, and the share of MemTotal that is not
 * available, in percent: {@code used% = (MemTotal - MemAvailable) / MemTotal * 100}.
 *
 * <p>MemAvailable, not MemFree: it is the kernel's own estimate of what can be given to programs
 * without swapping, page cache and reclaimable slab included (Linux 3.14; Documentation/filesystems/proc.rst); on
 * a Pi MemFree looks alarmingly low because the cache fills what programs leave. MiB, not bytes:
 * a dashboard shows "1714.8 MiB", and a double keeps the KiB exact anyway.
 */
public final class MemoryUsage implements Sensor {

    private final String id;
    private final Path file;
    private final Duration interval;
    private final List<ChannelInfo> channels;

    /**
     * @param deviceId   the device id; channels {@code deviceId.available} (MiB) and {@code deviceId.used} (%)
     * @param procfsRoot where procfs is mounted ("/proc")
     */
    public MemoryUsage(String deviceId, Path procfsRoot, Duration interval) {
        this.id = deviceId;
        this.file = procfsRoot.resolve("meminfo");
        this.interval = interval;
        this.channels = List.of(new ChannelInfo(deviceId + ".available", "Memory available", "MiB"),
                new ChannelInfo(deviceId + ".used", "Memory used", "%"));
    }

    /** Whether {@code procfsRoot/meminfo} can be read and has the two lines this driver needs. */
    static boolean availableUnder(Path procfsRoot) {
        Path f = procfsRoot.resolve("meminfo");
        try {
            Map<String, Long> kib = MemInfo.read(f);
            MemInfo.require(kib, "MemTotal", f);
            MemInfo.require(kib, "MemAvailable", f);
            return true;
        } catch (IOException e) {
            return false;
        }
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
    public void read(double[] values) throws IOException {
        Map<String, Long> kib = MemInfo.read(file);
        long total = MemInfo.require(kib, "MemTotal", file);
        long available = MemInfo.require(kib, "MemAvailable", file);
        if (total <= 0) {
            throw new IOException(file + " gives MemTotal as " + total + " kB");
        }
        values[0] = available / 1024.0;
        values[1] = 100.0 * (total - available) / total;
    }

    /** Nothing is held between reads. */
    @Override
    public void close() {}
}

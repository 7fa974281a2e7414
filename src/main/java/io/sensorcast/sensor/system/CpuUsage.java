package io.sensorcast.sensor.system;

import io.sensorcast.hub.ChannelInfo;
import io.sensorcast.sensor.Sensor;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * CPU utilisation in percent, all cores together, from two snapshots of {@code /proc/stat}:
 * {@code busy% = (Δtotal - Δidle - Δiowait) / Δtotal * 100} (see {@link ProcStat} for which ticks
 * count). Ticks, not seconds, so the result does not depend on how long the window really was.
 *
 * <p>The first read primes the baseline and waits {@code min(interval, 1 s)} before its second
 * snapshot (see {@link Baseline}), so the first value is already a real one.
 */
public final class CpuUsage implements Sensor {

    private final String id;
    private final Path file;
    private final Duration interval;
    private final Baseline<ProcStat.CpuTimes> baseline;
    private final List<ChannelInfo> channels;

    /**
     * @param deviceId   the device id; the channel is {@code deviceId.busy} ("cpu-usage.busy"), in %
     * @param procfsRoot where procfs is mounted ("/proc")
     */
    public CpuUsage(String deviceId, Path procfsRoot, Duration interval) {
        this(deviceId, procfsRoot, interval, Monotonic.SYSTEM);
    }

    CpuUsage(String deviceId, Path procfsRoot, Duration interval, Monotonic clock) {
        this.id = deviceId;
        this.file = procfsRoot.resolve("stat");
        this.interval = interval;
        this.baseline = new Baseline<>(() -> ProcStat.read(file), clock, Baseline.windowFor(interval));
        this.channels = List.of(new ChannelInfo(deviceId + ".busy", "CPU usage", "%"));
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
    public void read(double[] values) throws IOException, InterruptedException {
        Baseline.Window<ProcStat.CpuTimes> w = baseline.next();
        long total = w.after().total() - w.before().total();
        long idle = w.after().idle() - w.before().idle();
        if (total <= 0) {
            baseline.reset();
            throw new IOException(file + ": the CPU tick counters did not advance between two reads");
        }
        double busy = 100.0 * (total - idle) / total;
        // proc(5): iowait "is not reliable" and per-CPU iowait can even decrease, so a window can
        // come out a little below 0 or above 100; a percentage is shown within its range.
        values[0] = Math.max(0, Math.min(100, busy));
    }

    @Override
    public void close() {
        baseline.reset();
    }
}

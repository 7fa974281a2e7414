package io.sensorcast.sensor.system;

import io.sensorcast.hub.ChannelInfo;
import io.sensorcast.sensor.Sensor;
import io.sensorcast.sensor.sysfs.SysfsFiles;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How full the file system holding a mount point is, the way {@code df} shows it:
 * {@code used% = used / (used + available) * 100}, where used is total minus free blocks and
 * available is what an unprivileged user may still write (statvfs f_bavail). The blocks ext4
 * reserves for root (5% by default) are in neither, which is why df's Use% reaches 100% while root
 * can still write; this driver uses the same formula, so the two agree (coreutils df.c; df
 * rounds up to a whole percent, this driver does not round).
 *
 * <p>Java's {@link FileStore} calls statvfs on every query: {@code getTotalSpace} is f_blocks,
 * {@code getUnallocatedSpace} f_bfree, {@code getUsableSpace} f_bavail, all in bytes.
 */
public final class FilesystemUsage implements Sensor {

    /** How a mount point becomes a FileStore; a seam for tests. */
    @FunctionalInterface
    interface StoreLookup {
        FileStore find(Path mountPoint) throws IOException;
    }

    private static final double MIB = 1024.0 * 1024.0;

    private final String id;
    private final Path mountPoint;
    private final Duration interval;
    private final StoreLookup lookup;
    private final List<ChannelInfo> channels;
    private FileStore store;

    /**
     * @param deviceId   the device id; channels {@code deviceId.used} (%) and {@code deviceId.available} (MiB)
     * @param mountPoint any path on the file system to watch ("/" for the root file system)
     */
    public FilesystemUsage(String deviceId, Path mountPoint, Duration interval) {
        this(deviceId, mountPoint, interval, Files::getFileStore);
    }

    FilesystemUsage(String deviceId, Path mountPoint, Duration interval, StoreLookup lookup) {
        this.id = deviceId;
        this.mountPoint = mountPoint;
        this.interval = interval;
        this.lookup = lookup;
        this.channels = List.of(new ChannelInfo(deviceId + ".used", "Disk used (" + mountPoint + ")", "%"),
                new ChannelInfo(deviceId + ".available", "Disk available (" + mountPoint + ")", "MiB"));
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
        long total;
        long free;
        long available;
        try {
            if (store == null) {
                store = lookup.find(mountPoint);
            }
            total = store.getTotalSpace();
            free = store.getUnallocatedSpace();
            available = store.getUsableSpace();
        } catch (IOException e) {
            store = null; // unmounted or remounted: look it up again next time
            throw new IOException("cannot get the file system of " + mountPoint + ": " + SysfsFiles.reason(e), e);
        }
        long used = total - free;
        if (used < 0 || available < 0 || used + available <= 0) {
            throw new IOException("the file system of " + mountPoint + " reports " + total + " bytes in total, "
                    + free + " free, " + available + " available: nothing to measure");
        }
        values[0] = 100.0 * used / (used + available);
        values[1] = available / MIB;
    }

    @Override
    public void close() {
        store = null;
    }
}

package io.sensorcast.sensor.system;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.hub.ChannelInfo;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileStoreAttributeView;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesystemUsageTest {

    @TempDir
    Path dir;

    /** A file system with fixed statvfs figures, in bytes. */
    private static final class FixedStore extends FileStore {
        final long total;
        final long free;
        final long available;
        boolean stale;

        FixedStore(long total, long free, long available) {
            this.total = total;
            this.free = free;
            this.available = available;
        }

        @Override public String name() { return "/dev/mmcblk0p2"; }
        @Override public String type() { return "ext4"; }
        @Override public boolean isReadOnly() { return false; }
        @Override public long getTotalSpace() throws IOException {
            if (stale) {
                throw new IOException("Stale file handle");
            }
            return total;
        }
        @Override public long getUsableSpace() { return available; }
        @Override public long getUnallocatedSpace() { return free; }
        @Override public boolean supportsFileAttributeView(Class<? extends FileAttributeView> type) { return false; }
        @Override public boolean supportsFileAttributeView(String name) { return false; }
        @Override public <V extends FileStoreAttributeView> V getFileStoreAttributeView(Class<V> type) { return null; }
        @Override public Object getAttribute(String attribute) { return null; }
    }

    @Test
    void usedIsAShareOfUsedPlusAvailableAsDfShowsIt() throws IOException {
        // total 1,000,000,000 B, free 400,000,000, available to users 350,000,000 (50,000,000 reserved for root)
        // used = 1e9 - 4e8 = 6e8; used% = 6e8 / (6e8 + 3.5e8) * 100 = 63.157894736...%
        // (used / total would say 60 %: df's figure is the one people compare with)
        // available = 350,000,000 / 1,048,576 = 333.7860107421875 MiB
        FilesystemUsage f = new FilesystemUsage("rootfs", Path.of("/"), Duration.ofSeconds(30),
                p -> new FixedStore(1_000_000_000L, 400_000_000L, 350_000_000L));
        assertEquals(List.of(new ChannelInfo("rootfs.used", "Disk used (/)", "%"), new ChannelInfo("rootfs.available", "Disk available (/)", "MiB")),
                f.channels());
        double[] v = new double[2];
        f.read(v);
        assertArrayEquals(new double[] {63.15789473684, 333.7860107421875}, v, 1e-9);
    }

    @Test
    void aRealFileSystemGivesAPercentage() throws IOException {
        double[] v = new double[2];
        new FilesystemUsage("tmp", dir, Duration.ofSeconds(30)).read(v);
        assertTrue(v[0] >= 0 && v[0] <= 100, "used% " + v[0]);
        assertTrue(v[1] >= 0, "available " + v[1]);
    }

    @Test
    void aMissingMountPointIsAnErrorNamingIt() {
        Path gone = dir.resolve("mnt/usb");
        IOException e = assertThrows(IOException.class, () -> new FilesystemUsage("usb", gone, Duration.ofSeconds(30)).read(new double[2]));
        assertEquals("cannot get the file system of " + gone + ": no such file", e.getMessage());
    }

    @Test
    void aFileSystemWithNoBlocksIsAnError() {
        FilesystemUsage f = new FilesystemUsage("proc", Path.of("/proc"), Duration.ofSeconds(30), p -> new FixedStore(0, 0, 0));
        IOException e = assertThrows(IOException.class, () -> f.read(new double[2]));
        assertEquals("the file system of /proc reports 0 bytes in total, 0 free, 0 available: nothing to measure", e.getMessage());
    }

    @Test
    void theStoreIsLookedUpOnceAndAgainAfterItFailed() throws IOException {
        AtomicInteger lookups = new AtomicInteger();
        FixedStore first = new FixedStore(100, 50, 50);
        FilesystemUsage f = new FilesystemUsage("usb", Path.of("/mnt/usb"), Duration.ofSeconds(30),
                p -> lookups.incrementAndGet() == 1 ? first : new FixedStore(100, 75, 25));
        f.read(new double[2]);
        f.read(new double[2]);
        assertEquals(1, lookups.get());

        first.stale = true; // the stick was pulled and another mounted in its place
        IOException e = assertThrows(IOException.class, () -> f.read(new double[2]));
        assertEquals("cannot get the file system of /mnt/usb: Stale file handle", e.getMessage());
        double[] v = new double[2];
        f.read(v);
        assertEquals(2, lookups.get());
        assertEquals(50.0, v[0], 1e-12); // used 25 of 25 + 25 available
    }
}

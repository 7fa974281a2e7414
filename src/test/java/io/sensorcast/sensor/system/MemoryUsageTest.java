package io.sensorcast.sensor.system;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sensorcast.hub.ChannelInfo;
import io.sensorcast.sensor.sysfs.Fixtures;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryUsageTest {

    @TempDir
    Path proc;

    @Test
    void availableInMibAndUsedAsAShareOfTotal() throws IOException {
        MemoryUsage m = new MemoryUsage("mem", Fixtures.tree("procfs/pi4"), Duration.ofSeconds(5));
        assertEquals(List.of(new ChannelInfo("mem.available", "Memory available", "MiB"), new ChannelInfo("mem.used", "Memory used", "%")),
                m.channels());
        double[] v = new double[2];
        m.read(v);
        // MemTotal 3884360 kB, MemAvailable 3217408 kB (MemFree 2512340 kB must not be used)
        // available: 3217408 / 1024 = 3142.0 MiB
        // used: (3884360 - 3217408) / 3884360 * 100 = 666952 / 3884360 * 100 = 17.17019019864...%
        assertArrayEquals(new double[] {3142.0, 17.17019019864}, v, 1e-9);
    }

    @Test
    void aKernelWithoutMemAvailableIsAnErrorThatSaysWhy() throws IOException {
        Path f = Fixtures.write(proc.resolve("meminfo"), "MemTotal:  1000 kB\nMemFree:  500 kB\n");
        IOException e = assertThrows(IOException.class, () -> new MemoryUsage("mem", proc, Duration.ofSeconds(5)).read(new double[2]));
        assertEquals(f + " has no MemAvailable line (it appeared in Linux 3.14)", e.getMessage());
    }

    @Test
    void aGarbledSizeNamesTheFile() throws IOException {
        Path f = Fixtures.write(proc.resolve("meminfo"), "MemTotal:  lots kB\nMemAvailable: 500 kB\n");
        IOException e = assertThrows(IOException.class, () -> new MemoryUsage("mem", proc, Duration.ofSeconds(5)).read(new double[2]));
        assertEquals(f + " holds 'MemTotal:  lots kB', not a size in kB", e.getMessage());
    }

    @Test
    void aMissingFileNamesIt() {
        IOException e = assertThrows(IOException.class, () -> new MemoryUsage("mem", proc, Duration.ofSeconds(5)).read(new double[2]));
        assertEquals("cannot read " + proc.resolve("meminfo") + ": no such file", e.getMessage());
    }
}

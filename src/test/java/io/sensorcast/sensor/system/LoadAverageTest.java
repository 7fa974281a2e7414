package io.sensorcast.sensor.system;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sensorcast.sensor.sysfs.Fixtures;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadAverageTest {

    @TempDir
    Path proc;

    @Test
    void readsTheThreeAverages() throws IOException {
        double[] v = new double[3];
        new LoadAverage(Fixtures.tree("procfs/pi4"), Duration.ofSeconds(5)).read(v); // "0.52 0.58 0.59 1/467 12345"
        assertArrayEquals(new double[] {0.52, 0.58, 0.59}, v, 1e-12);
    }

    @Test
    void garbageNamesTheFile() throws IOException {
        Path f = Fixtures.write(proc.resolve("loadavg"), "0.52 high 0.59 1/467 12345\n");
        IOException e = assertThrows(IOException.class, () -> new LoadAverage(proc, Duration.ofSeconds(5)).read(new double[3]));
        assertEquals(f + " holds '0.52 high 0.59 1/467 12345', expected three load averages", e.getMessage());
    }

    @Test
    void aMissingFileNamesIt() {
        IOException e = assertThrows(IOException.class, () -> new LoadAverage(proc, Duration.ofSeconds(5)).read(new double[3]));
        assertEquals("cannot read " + proc.resolve("loadavg") + ": no such file", e.getMessage());
    }
}

package io.sensorcast.sensor.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.hub.ChannelInfo;
import io.sensorcast.sensor.sysfs.Fixtures;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuTemperatureTest {

    @TempDir
    Path sys;

    private static double read(CpuTemperature t) throws IOException {
        double[] v = new double[1];
        t.read(v);
        return v[0];
    }

    @Test
    void readsThePisCpuThermalZoneInDegrees() throws IOException {
        CpuTemperature t = CpuTemperature.find(Fixtures.tree("sysfs/pi4"), Duration.ofSeconds(2)).orElseThrow();
        assertEquals(List.of(new ChannelInfo("cpu.temperature", "CPU temperature", "°C")), t.channels());
        assertEquals(48.686, read(t), 1e-12); // thermal_zone0/temp 48686 m°C
    }

    @Test
    void prefersTheCpuZoneOverOthersWhateverItsNumber() throws IOException {
        Fixtures.write(sys.resolve("class/thermal/thermal_zone0/type"), "acpitz\n");
        Fixtures.write(sys.resolve("class/thermal/thermal_zone0/temp"), "27800\n");
        Fixtures.write(sys.resolve("class/thermal/thermal_zone3/type"), "x86_pkg_temp\n");
        Fixtures.write(sys.resolve("class/thermal/thermal_zone3/temp"), "55000\n");
        assertEquals(55.0, read(CpuTemperature.find(sys, Duration.ofSeconds(2)).orElseThrow()), 1e-12);
    }

    @Test
    void amongEqualZonesTheLowestNumberWinsCountedAsANumber() throws IOException {
        Fixtures.write(sys.resolve("class/thermal/thermal_zone10/type"), "iwlwifi_1\n");
        Fixtures.write(sys.resolve("class/thermal/thermal_zone10/temp"), "40000\n");
        Fixtures.write(sys.resolve("class/thermal/thermal_zone2/type"), "pch_cannonlake\n");
        Fixtures.write(sys.resolve("class/thermal/thermal_zone2/temp"), "42000\n");
        // "thermal_zone10" sorts before "thermal_zone2" as text; zone 2 is the lower number
        assertEquals(42.0, read(CpuTemperature.find(sys, Duration.ofSeconds(2)).orElseThrow()), 1e-12);
    }

    @Test
    void noThermalZonesMeansNoDevice() {
        assertTrue(CpuTemperature.find(sys, Duration.ofSeconds(2)).isEmpty());
    }

    @Test
    void garbageNamesTheFile() throws IOException {
        Path f = Fixtures.write(sys.resolve("temp"), "-\n");
        IOException e = assertThrows(IOException.class, () -> read(new CpuTemperature("cpu", f, Duration.ofSeconds(2))));
        assertEquals(f + " holds '-', not millidegrees", e.getMessage());
    }

    @Test
    void eioNamesTheFile() throws IOException {
        Path f = Fixtures.failingWithEio(sys.resolve("temp"));
        IOException e = assertThrows(IOException.class, () -> read(new CpuTemperature("cpu", f, Duration.ofSeconds(2))));
        assertEquals("cannot read " + f + ": Input/output error", e.getMessage());
    }
}

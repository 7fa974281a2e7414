package io.sensorcast.sensor.sysfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sensorcast.hub.ChannelInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SysfsSensorTest {

    @TempDir
    Path dir;

    @Test
    void anyNumberFileWithOffsetThenScale() throws IOException {
        Path f = Fixtures.write(dir.resolve("adc"), "1234\n");
        SysfsSensor s = new SysfsSensor("tank", List.of(SysfsChannel.file("level", "Tank level", f, -34, 0.5, "cm")),
                Duration.ofSeconds(1));
        assertEquals(List.of(new ChannelInfo("tank.level", "Tank level", "cm")), s.channels());
        double[] v = new double[1];
        s.read(v);
        assertEquals(600.0, v[0], 1e-12); // (1234 + -34) * 0.5
    }

    @Test
    void readsEveryChannelInOrder() throws IOException {
        Path pi4 = Fixtures.tree("sysfs/pi4");
        SysfsSensor s = new SysfsSensor("board", List.of(
                SysfsChannel.hwmon("soc", "SoC", HwmonAttribute.byName(pi4, "cpu_thermal", "temp1_input")),
                SysfsChannel.iio("air", "Air", IioChannel.byName(pi4, "bme280", "in_temp"))), Duration.ofSeconds(1));
        double[] v = new double[2];
        s.read(v);
        assertArrayEquals(new double[] {48.686, 23.45}, v, 1e-12); // 48686 and 23450 m°C
    }

    @Test
    void theFirstChannelThatFailsFailsTheReadNamingItsFile() throws IOException {
        Path good = Fixtures.write(dir.resolve("a"), "1\n");
        Path bad = Fixtures.write(dir.resolve("b"), "\n");
        SysfsSensor s = new SysfsSensor("d", List.of(SysfsChannel.file("a", "", good, 0, 1, ""),
                SysfsChannel.file("b", "", bad, 0, 1, "")), Duration.ofSeconds(1));
        IOException e = assertThrows(IOException.class, () -> s.read(new double[2]));
        assertEquals(bad + " is empty, expected a number", e.getMessage());
    }

    @Test
    void aChannelConfiguredTwiceIsRejected() {
        Path f = dir.resolve("a");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SysfsSensor("d",
                List.of(SysfsChannel.file("t", "", f, 0, 1, ""), SysfsChannel.file("t", "", f, 0, 1, "")), Duration.ofSeconds(1)));
        assertEquals("d: channel d.t is configured twice", e.getMessage());
    }

    @Test
    void idsOutsideTheChannelAlphabetAreRejected() {
        Path f = dir.resolve("a");
        assertThrows(IllegalArgumentException.class,
                () -> new SysfsSensor("Greenhouse", List.of(SysfsChannel.file("t", "", f, 0, 1, "")), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class,
                () -> new SysfsSensor("d", List.of(), Duration.ofSeconds(1)));
    }

    @Test
    void aNonFiniteScaleIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Conversion(0, Double.NaN, ""));
    }
}

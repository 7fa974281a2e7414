package io.sensorcast.sensor.sysfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HwmonAttributeTest {

    private static final Path PI4 = Fixtures.tree("sysfs/pi4");

    @TempDir
    Path dir;

    @Test
    void findsThePisCpuThermalChipByNameAndShowsDegrees() throws IOException {
        // hwmon0/name "cpu_thermal", temp1_input 48686 m°C -> 48.686 °C
        SysfsChannel c = SysfsChannel.hwmon("soc", "SoC", HwmonAttribute.byName(PI4, "cpu_thermal", "temp1_input"));
        assertEquals("°C", c.conversion().unit());
        assertEquals(48.686, c.read(), 1e-12);
    }

    @Test
    void findsTheUnderVoltageAlarmOnTheSecondChip() throws IOException {
        // hwmon1/name "rpi_volt", in0_lcrit_alarm 0
        HwmonAttribute a = HwmonAttribute.byName(PI4, "rpi_volt", "in0_lcrit_alarm");
        assertEquals(Conversion.NONE, a.standardConversion());
        assertEquals(0.0, a.read());
    }

    @ParameterizedTest(name = "{0} {1} -> {3} {2}")
    @CsvSource({
            "temp1_input,     51234,   51.234,  °C",   // millidegree Celsius
            "in1_input,       3312,    3.312,   V",    // millivolt
            "curr1_input,     1500,    1.5,     A",    // milliampere
            "power1_input,    2750000, 2.75,    W",    // microwatt
            "energy1_input,   5000000, 5.0,     J",    // microjoule
            "humidity1_input, 45123,   45.123,  %",    // milli-percent
            "fan1_input,      2962,    2962.0,  RPM",
            "pwm1,            75,      75.0,    ''",   // duty cycle 0-255
            "temp1_crit_alarm, 1,      1.0,     ''",
    })
    void everyHwmonUnitIsConvertedPerTheSysfsInterfaceDocument(String attribute, String raw, double shown, String unit)
            throws IOException {
        Path chip = dir.resolve("hwmon3");
        Fixtures.write(chip.resolve(attribute), raw + "\n");
        SysfsChannel c = SysfsChannel.hwmon("q", "", HwmonAttribute.at(chip, attribute));
        assertEquals(unit, c.conversion().unit());
        assertEquals(shown, c.read(), 1e-9);
    }

    @Test
    void anUnknownChipIsAnErrorNamingWhereItWasLookedFor() {
        IOException e = assertThrows(IOException.class, () -> HwmonAttribute.byName(PI4, "bme280", "humidity1_input").read());
        assertEquals("no hwmon device named 'bme280' under " + PI4.resolve("class/hwmon"), e.getMessage());
    }

    @Test
    void noHwmonClassAtAllIsAnErrorNamingTheDirectory() {
        IOException e = assertThrows(IOException.class, () -> HwmonAttribute.byName(dir, "cpu_thermal", "temp1_input").read());
        assertEquals("no hwmon device named 'cpu_thermal': " + dir.resolve("class/hwmon") + " does not exist", e.getMessage());
    }

    @Test
    void aChipWhoseNameCannotBeReadDoesNotHideTheOthers() throws IOException {
        Fixtures.failingWithEio(dir.resolve("class/hwmon/hwmon0/name"));
        Fixtures.write(dir.resolve("class/hwmon/hwmon1/name"), "cpu_thermal\n");
        Fixtures.write(dir.resolve("class/hwmon/hwmon1/temp1_input"), "47000\n");
        assertEquals(47000.0, HwmonAttribute.byName(dir, "cpu_thermal", "temp1_input").read(), 1e-12);
    }

    @Test
    void garbageInTheAttributeNamesTheFile() throws IOException {
        Fixtures.write(dir.resolve("class/hwmon/hwmon0/name"), "cpu_thermal\n");
        Path f = Fixtures.write(dir.resolve("class/hwmon/hwmon0/temp1_input"), "N/A\n");
        IOException e = assertThrows(IOException.class, () -> HwmonAttribute.byName(dir, "cpu_thermal", "temp1_input").read());
        assertEquals(f + " holds 'N/A', not a number", e.getMessage());
    }

    @Test
    void anAttributeNameOutsideTheInterfaceIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HwmonAttribute.at(dir, "temperature"));
        assertEquals("hwmon attribute 'temperature' must look like temp1_input, in0_input, fan1_input, humidity1_input"
                + " or in0_lcrit_alarm", e.getMessage());
    }
}

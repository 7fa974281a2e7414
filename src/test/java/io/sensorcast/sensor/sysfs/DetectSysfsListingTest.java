package io.sensorcast.sensor.sysfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.sensor.system.CpuTemperature;
import io.sensorcast.testing.UnlistableDirectories;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sysfs listings {@code sensorcast detect} reports: thermal zones, hwmon chips, IIO devices. */
class DetectSysfsListingTest {

    private static final Path PI4 = Fixtures.tree("sysfs/pi4");

    @TempDir
    Path sys;

    @Test
    void aDeviceDirectoryThatCannotBeListedIsAnIoExceptionNamingIt() {
        Path hwmon = PI4.resolve("class/hwmon");
        DeviceByName chip = new DeviceByName(UnlistableDirectories.view(hwmon), "hwmon*", "cpu_thermal", "hwmon device");
        IOException e = assertThrows(IOException.class, chip::get);
        assertEquals("cannot list " + hwmon + ": " + UnlistableDirectories.EOVERFLOW, e.getMessage());
    }

    @Test
    void thePi4TreeHasOneThermalZoneOfTypeCpuThermal() {
        assertEquals(List.of(new CpuTemperature.Zone(PI4.resolve("class/thermal/thermal_zone0"), "cpu-thermal")),
                CpuTemperature.zones(PI4));
    }

    @Test
    void zonesComeInNumericOrderAndOnesWithoutTempAreLeftOut() throws IOException {
        Fixtures.write(sys.resolve("class/thermal/thermal_zone10/type"), "b\n");
        Fixtures.write(sys.resolve("class/thermal/thermal_zone10/temp"), "1\n");
        Fixtures.write(sys.resolve("class/thermal/thermal_zone2/type"), "a\n");
        Fixtures.write(sys.resolve("class/thermal/thermal_zone2/temp"), "1\n");
        Fixtures.write(sys.resolve("class/thermal/thermal_zone3/type"), "no temp\n");
        assertEquals(List.of("a", "b"), CpuTemperature.zones(sys).stream().map(CpuTemperature.Zone::type).toList());
    }

    @Test
    void hwmonChipsWithTheirNamesAndReadingsButNotTheirLimits() {
        List<SysfsDevices.Device> chips = SysfsDevices.hwmon(PI4);
        assertEquals(List.of("cpu_thermal", "rpi_volt"), chips.stream().map(SysfsDevices.Device::name).toList());
        // temp1_crit is a limit, not a reading
        assertEquals(List.of("temp1_input"), attributes(SysfsDevices.hwmonReadings(chips.get(0).dir())));
        assertEquals(List.of("in0_lcrit_alarm"), attributes(SysfsDevices.hwmonReadings(chips.get(1).dir())));
    }

    @Test
    void iioDevicesWithOneChannelPerStemWhetherInputOrRaw() {
        List<SysfsDevices.Device> devices = SysfsDevices.iio(PI4);
        assertEquals(List.of("bme280", "mcp3008"), devices.stream().map(SysfsDevices.Device::name).toList());
        assertEquals(List.of("in_humidityrelative", "in_pressure", "in_temp"), stems(SysfsDevices.iioChannels(devices.get(0).dir())));
        assertEquals(List.of("in_voltage0", "in_voltage1"), stems(SysfsDevices.iioChannels(devices.get(1).dir())));
    }

    @Test
    void aChannelWithBothInputAndRawIsOneChannelAndScaleFilesAreNotChannels() throws IOException {
        Path d = sys.resolve("bus/iio/devices/iio:device0");
        Fixtures.write(d.resolve("name"), "x\n");
        Fixtures.write(d.resolve("in_temp_input"), "1\n");
        Fixtures.write(d.resolve("in_temp_raw"), "1\n");
        Fixtures.write(d.resolve("in_temp_scale"), "1\n");
        Fixtures.write(d.resolve("in_temp_oversampling_ratio"), "2\n");
        assertEquals(List.of("in_temp"), stems(SysfsDevices.iioChannels(d)));
    }

    @Test
    void devicesComeInNumericOrderAndANamelessOneHasANullName() throws IOException {
        Fixtures.write(sys.resolve("class/hwmon/hwmon10/name"), "ten\n");
        Fixtures.write(sys.resolve("class/hwmon/hwmon2/temp1_input"), "1\n");
        List<SysfsDevices.Device> chips = SysfsDevices.hwmon(sys);
        assertEquals(List.of("hwmon2", "hwmon10"), chips.stream().map(c -> c.dir().getFileName().toString()).toList());
        assertEquals(null, chips.get(0).name());
    }

    @Test
    void aTreeWithoutTheClassesHasNothing() {
        assertTrue(SysfsDevices.hwmon(sys).isEmpty());
        assertTrue(SysfsDevices.iio(sys).isEmpty());
        assertTrue(CpuTemperature.zones(sys).isEmpty());
    }

    private static List<String> attributes(List<HwmonAttribute> list) {
        return list.stream().map(HwmonAttribute::attribute).toList();
    }

    private static List<String> stems(List<IioChannel> list) {
        return list.stream().map(IioChannel::stem).toList();
    }
}

package io.sensorcast.sensor.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.hub.ChannelInfo;
import io.sensorcast.sensor.Sensor;
import io.sensorcast.sensor.sysfs.Fixtures;
import io.sensorcast.testing.UnlistableDirectories;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemSensorsTest {

    @TempDir
    Path empty;

    private static List<String> ids(List<ChannelInfo> channels) {
        return channels.stream().map(ChannelInfo::id).toList();
    }

    @Test
    void aPi4WithTheRaspberryPiKernelHasEverySystemChannel() {
        List<ChannelInfo> channels = SystemSensors.channels(Fixtures.tree("sysfs/pi4"), Fixtures.tree("procfs/pi4"), empty,
                List.of("eth0", "wlan0"));
        assertEquals(List.of("cpu.temperature", "cpu-usage.busy", "load.1m", "load.5m", "load.15m", "mem.available", "mem.used",
                "rootfs.used", "rootfs.available", "net-eth0.rx", "net-eth0.tx", "net-wlan0.rx", "net-wlan0.tx",
                "pi.under_voltage", "pi.freq_capped", "pi.throttled", "pi.soft_temp_limit", "pi.under_voltage_occurred",
                "pi.freq_capped_occurred", "pi.throttled_occurred", "pi.soft_temp_limit_occurred"), ids(channels));
    }

    @Test
    void aMainlineKernelGetsTheUnderVoltageAlarmInsteadOfTheFlags() {
        List<ChannelInfo> channels = SystemSensors.channels(Fixtures.tree("sysfs/pi4-mainline"), empty, empty, List.of());
        assertEquals(List.of("cpu.temperature", "rootfs.used", "rootfs.available", "pi.under_voltage_alarm"), ids(channels));
    }

    /** Under qemu-arm a 32-bit JVM cannot read an ext4 directory: the server still starts, without what needs a listing. */
    @Test
    void aSysfsTreeThatCannotBeListedLosesOnlyTheThermalZoneAndStartsTheRest() {
        List<ChannelInfo> channels = SystemSensors.channels(UnlistableDirectories.view(Fixtures.tree("sysfs/pi4")),
                Fixtures.tree("procfs/pi4"), empty, List.of("eth0"));
        assertEquals(List.of("cpu-usage.busy", "load.1m", "load.5m", "load.15m", "mem.available", "mem.used",
                "rootfs.used", "rootfs.available", "net-eth0.rx", "net-eth0.tx",
                "pi.under_voltage", "pi.freq_capped", "pi.throttled", "pi.soft_temp_limit", "pi.under_voltage_occurred",
                "pi.freq_capped_occurred", "pi.throttled_occurred", "pi.soft_temp_limit_occurred"), ids(channels));
    }

    @Test
    void absentSourcesGiveNoChannelsAndNoErrors() {
        List<Sensor> sensors = SystemSensors.available(empty.resolve("sys"), empty.resolve("proc"), empty.resolve("nothing-mounted"),
                Duration.ofSeconds(5), List.of());
        assertEquals(List.of(), sensors);
    }

    /**
     * A Pi 5 (Raspberry Pi OS kernel): no get_throttled file is assumed (its path there is not
     * confirmed), so rpi_volt's alarm; the fan (pwmfan) and the RP1's ADC (rp1_adc) as devices.
     */
    @Test
    void aPi5HasItsFanAndItsRp1sTemperatureAndAdcInputs() throws Exception {
        List<Sensor> sensors = SystemSensors.available(Fixtures.tree("sysfs/pi5"), empty, empty, Duration.ofSeconds(5), List.of());
        List<ChannelInfo> channels = sensors.stream().flatMap(s -> s.channels().stream()).toList();
        assertEquals(List.of("cpu.temperature", "rootfs.used", "rootfs.available", "pi.under_voltage_alarm", "fan.speed", "fan.pwm",
                "rp1.temperature", "rp1.in1", "rp1.in2", "rp1.in3", "rp1.in4"), ids(channels));
        assertEquals(new ChannelInfo("fan.speed", "Fan speed", "RPM"), channels.get(4));
        assertEquals(new ChannelInfo("fan.pwm", "Fan PWM duty", "%"), channels.get(5));
        assertEquals(new ChannelInfo("rp1.in1", "RP1 ADC input 1", "V"), channels.get(7));

        Sensor fan = sensors.stream().filter(s -> s.id().equals("fan")).findFirst().orElseThrow();
        double[] v = new double[2];
        fan.read(v);
        assertEquals(2138, v[0]);
        assertEquals(75 * 100.0 / 255, v[1], 1e-9);
        Sensor rp1 = sensors.stream().filter(s -> s.id().equals("rp1")).findFirst().orElseThrow();
        double[] r = new double[5];
        rp1.read(r);
        assertEquals(55.472, r[0], 1e-9);
        assertEquals(1.468, r[1], 1e-9);
        assertEquals(1.462, r[4], 1e-9);
    }

    @Test
    void aPi4HasNoFanAndNoRp1Channels() {
        List<String> ids = ids(SystemSensors.channels(Fixtures.tree("sysfs/pi4"), Fixtures.tree("procfs/pi4"), empty, List.of()));
        assertTrue(ids.contains("cpu.temperature"), ids.toString());
        assertTrue(ids.stream().noneMatch(id -> id.startsWith("fan.") || id.startsWith("rp1.")), ids.toString());
    }

    @Test
    void aFanWithoutATachometerHasOnlyItsPwmChannel() throws Exception {
        Path sys = empty.resolve("sys");
        Fixtures.write(sys.resolve("class/hwmon/hwmon0/name"), "pwmfan\n");
        Fixtures.write(sys.resolve("class/hwmon/hwmon0/pwm1"), "255\n");
        assertEquals(List.of("fan.pwm"), ids(SystemSensors.channels(sys, empty, empty.resolve("none"), List.of())));
    }
}

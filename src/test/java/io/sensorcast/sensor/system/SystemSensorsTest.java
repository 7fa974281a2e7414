package io.sensorcast.sensor.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}

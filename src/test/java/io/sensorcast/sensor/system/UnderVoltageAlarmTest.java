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

class UnderVoltageAlarmTest {

    @TempDir
    Path sys;

    @Test
    void readsTheRpiVoltAlarmOfAMainlineKernel() throws IOException {
        // sysfs/pi4-mainline class/hwmon/hwmon1: name "rpi_volt", in0_lcrit_alarm "1"
        UnderVoltageAlarm a = UnderVoltageAlarm.find(Fixtures.tree("sysfs/pi4-mainline"), Duration.ofSeconds(2)).orElseThrow();
        assertEquals(List.of(new ChannelInfo("pi.under_voltage_alarm", "Under-voltage alarm", "")), a.channels());
        double[] v = new double[1];
        a.read(v);
        assertEquals(1.0, v[0]);
    }

    @Test
    void noRpiVoltChipMeansNoDevice() throws IOException {
        Fixtures.write(sys.resolve("class/hwmon/hwmon0/name"), "cpu_thermal\n");
        assertTrue(UnderVoltageAlarm.find(sys, Duration.ofSeconds(2)).isEmpty());
    }

    @Test
    void aValueOtherThan0Or1IsAnError() throws IOException {
        Fixtures.write(sys.resolve("class/hwmon/hwmon1/name"), "rpi_volt\n");
        Fixtures.write(sys.resolve("class/hwmon/hwmon1/in0_lcrit_alarm"), "2\n");
        UnderVoltageAlarm a = new UnderVoltageAlarm("pi", sys, Duration.ofSeconds(2));
        IOException e = assertThrows(IOException.class, () -> a.read(new double[1]));
        assertEquals("in0_lcrit_alarm of hwmon device 'rpi_volt' under " + sys.resolve("class/hwmon") + " holds 2.0, expected 0 or 1",
                e.getMessage());
    }
}

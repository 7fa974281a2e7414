package io.sensorcast.sensor.system;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ThrottleFlagsTest {

    @TempDir
    Path sys;

    private static double[] read(ThrottleFlags t) throws IOException {
        double[] v = new double[8];
        t.read(v);
        return v;
    }

    @Test
    void aPi4OnAWeakSupplyIsUnderVoltageAndThrottledNowAndHasBeen() throws IOException {
        ThrottleFlags t = ThrottleFlags.find(Fixtures.tree("sysfs/pi4"), Duration.ofSeconds(2)).orElseThrow();
        assertEquals(List.of("pi.under_voltage", "pi.freq_capped", "pi.throttled", "pi.soft_temp_limit",
                        "pi.under_voltage_occurred", "pi.freq_capped_occurred", "pi.throttled_occurred", "pi.soft_temp_limit_occurred"),
                t.channels().stream().map(ChannelInfo::id).toList());
        // get_throttled "50005" = 0x50005 = bits 0, 2, 16, 18
        assertArrayEquals(new double[] {1, 0, 1, 0, 1, 0, 1, 0}, read(t));
    }

    @ParameterizedTest(name = "0x{0} sets channel {1}")
    @CsvSource({"1, 0", "2, 1", "4, 2", "8, 3", "10000, 4", "20000, 5", "40000, 6", "80000, 7"})
    void eachBitMapsToItsOwnChannel(String hex, int channel) throws IOException {
        Path f = Fixtures.write(sys.resolve("get_throttled"), hex + "\n");
        double[] expected = new double[8];
        expected[channel] = 1;
        assertArrayEquals(expected, read(new ThrottleFlags("pi", f, Duration.ofSeconds(2))));
    }

    @Test
    void bitsWithoutAMeaningSetNothing() throws IOException {
        Path f = Fixtures.write(sys.resolve("get_throttled"), "fff0fff0\n"); // all but bits 0-3 and 16-19
        assertArrayEquals(new double[8], read(new ThrottleFlags("pi", f, Duration.ofSeconds(2))));
    }

    @Test
    void theVcgencmdStyleWithAPrefixIsAcceptedToo() throws IOException {
        Path f = Fixtures.write(sys.resolve("get_throttled"), "0x80008\n");
        assertArrayEquals(new double[] {0, 0, 0, 1, 0, 0, 0, 1}, read(new ThrottleFlags("pi", f, Duration.ofSeconds(2))));
    }

    @Test
    void garbageNamesTheFile() throws IOException {
        Path f = Fixtures.write(sys.resolve("get_throttled"), "throttled\n");
        IOException e = assertThrows(IOException.class, () -> read(new ThrottleFlags("pi", f, Duration.ofSeconds(2))));
        assertEquals(f + " holds 'throttled', not the throttled bits in hex", e.getMessage());
    }

    @Test
    void anEmptyFileNamesTheFile() throws IOException {
        Path f = Fixtures.write(sys.resolve("get_throttled"), "");
        IOException e = assertThrows(IOException.class, () -> read(new ThrottleFlags("pi", f, Duration.ofSeconds(2))));
        assertEquals(f + " is empty, expected the throttled bits in hex", e.getMessage());
    }

    @Test
    void aMainlineKernelHasNoFileAndSoNoDevice() {
        assertTrue(ThrottleFlags.find(Fixtures.tree("sysfs/pi4-mainline"), Duration.ofSeconds(2)).isEmpty());
        assertTrue(ThrottleFlags.find(sys, Duration.ofSeconds(2)).isEmpty());
    }

    @Test
    void aFirmwareNodeElsewhereInTheDeviceTreeIsFound() throws IOException {
        Path f = Fixtures.write(sys.resolve("devices/platform/soc@107c000000/soc@107c000000:firmware/get_throttled"), "0\n");
        Fixtures.write(sys.resolve("devices/platform/soc@107c000000/other/get_throttled"), "0\n"); // not a firmware node
        assertEquals(f, ThrottleFlags.locate(sys).orElseThrow());
    }
}

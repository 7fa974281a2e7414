package io.sensorcast.sensor.w1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sensorcast.hub.ChannelInfo;
import io.sensorcast.sensor.sysfs.Fixtures;
import io.sensorcast.testing.UnlistableDirectories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class W1ThermometerTest {

    private static final Path PI4 = Fixtures.tree("sysfs/pi4");

    @TempDir
    Path sys;

    private static double read(W1Thermometer t) throws IOException {
        double[] v = new double[1];
        t.read(v);
        return v[0];
    }

    /** A sensor directory holding {@code w1_slave} with the given two lines. */
    private W1Thermometer withSlave(String text) throws IOException {
        Fixtures.write(sys.resolve("bus/w1/devices/28-0000075d5c1a/w1_slave"), text);
        return W1Thermometer.at(sys, "28-0000075d5c1a", Duration.ofSeconds(5));
    }

    private Path slaveFile() {
        return sys.resolve("bus/w1/devices/28-0000075d5c1a/w1_slave");
    }

    @Test
    void discoveryListsTheDs18b20sBySerialAndSkipsTheBusMaster() {
        List<W1Thermometer> found = W1Thermometer.discover(PI4, Duration.ofSeconds(5));
        assertEquals(List.of("28-0000075d5c1a", "28-3c01d6071e2b"), found.stream().map(W1Thermometer::id).toList());
        assertEquals(List.of(new ChannelInfo("28-0000075d5c1a.temperature", "Temperature 28-0000075d5c1a", "°C")),
                found.get(0).channels());
    }

    @Test
    void discoveryOrderIsBySerialWhateverTheDirectoryOrder() throws IOException {
        List<String> serials = List.of("28-00000c0ffee1", "28-000000000002", "28-ffffffffffff", "28-000000000001", "28-0a0000000000");
        for (String s : serials) {
            Files.createDirectories(sys.resolve("bus/w1/devices/" + s));
        }
        assertEquals(serials.stream().sorted().toList(),
                W1Thermometer.discover(sys, Duration.ofSeconds(5)).stream().map(W1Thermometer::id).toList());
    }

    @Test
    void aBusDirectoryThatCannotBeReadMeansNoSensorsAndNoException() {
        assertEquals(List.of(), W1Thermometer.discover(UnlistableDirectories.view(PI4), Duration.ofSeconds(5)));
    }

    @Test
    void noOneWireBusMeansNoSensorsAndNoError() {
        assertEquals(List.of(), W1Thermometer.discover(sys, Duration.ofSeconds(5)));
    }

    @Test
    void readsW1SlaveInDegrees() throws IOException {
        // "72 01 4b 46 7f ff 0e 10 57 : crc=57 YES" / "... t=23125": 0x0172 = 370 sixteenths = 23.125 °C
        assertEquals(23.125, read(W1Thermometer.at(PI4, "28-0000075d5c1a", Duration.ofSeconds(5))), 1e-12);
        // "a1 01 ... : crc=8c YES" / "... t=26062": 0x01a1 = 417 * 1000 / 16 = 26062 (integer division in the kernel)
        assertEquals(26.062, read(W1Thermometer.at(PI4, "28-3c01d6071e2b", Duration.ofSeconds(5))), 1e-12);
    }

    @Test
    void readsBelowZero() throws IOException {
        // 0xff5e = -162 sixteenths = -10.125 °C
        W1Thermometer t = withSlave("5e ff 4b 46 7f ff 02 10 b6 : crc=b6 YES\n5e ff 4b 46 7f ff 02 10 b6 t=-10125\n");
        assertEquals(-10.125, read(t), 1e-12);
    }

    @Test
    void theEndsOfTheRangeAreAccepted() throws IOException {
        W1Thermometer t = withSlave("90 fc 4b 46 7f ff 10 10 ee : crc=ee YES\n90 fc 4b 46 7f ff 10 10 ee t=-55000\n");
        assertEquals(-55.0, read(t), 1e-12); // 0xfc90 = -880 sixteenths, the datasheet minimum
        Fixtures.write(slaveFile(), "d0 07 4b 46 7f ff 10 10 55 : crc=55 YES\nd0 07 4b 46 7f ff 10 10 55 t=125000\n");
        assertEquals(125.0, read(t), 1e-12); // 0x07d0 = 2000 sixteenths, the maximum
    }

    @Test
    void aFailedCrcIsAnErrorEvenThoughTheKernelStillPrintsAT() throws IOException {
        // The kernel computes t= from the new (bad) bytes; line 2 shows the old good ones.
        W1Thermometer t = withSlave("72 01 4b 46 7f ff 0e 10 ff : crc=57 NO\n72 01 4b 46 7f ff 0e 10 57 t=23125\n");
        IOException e = assertThrows(IOException.class, () -> read(t));
        assertEquals(slaveFile() + ": CRC check failed (72 01 4b 46 7f ff 0e 10 ff : crc=57 NO): noise on the 1-Wire bus?",
                e.getMessage());
    }

    @Test
    void the85DegreePowerOnValueIsRejected() throws IOException {
        // 0x0550 = 1360 sixteenths = 85.000 °C, the register's reset value; the CRC is fine
        W1Thermometer t = withSlave("50 05 4b 46 7f ff 0c 10 1c : crc=1c YES\n50 05 4b 46 7f ff 0c 10 1c t=85000\n");
        IOException e = assertThrows(IOException.class, () -> read(t));
        assertEquals(slaveFile() + ": 85 °C is the sensor's power-on value: the conversion did not run (weak power supply?)",
                e.getMessage());
    }

    @Test
    void valuesOutsideTheSensorsRangeAreRejected() throws IOException {
        // 0x07ff = 127.9375 °C, what w1_therm.rst calls "insufficient power"
        W1Thermometer t = withSlave("ff 07 4b 46 7f ff 01 10 2f : crc=2f YES\nff 07 4b 46 7f ff 01 10 2f t=127937\n");
        IOException e = assertThrows(IOException.class, () -> read(t));
        assertEquals(slaveFile() + ": 127.937 °C is outside the DS18B20's range of -55 to 125 °C", e.getMessage());

        // 0xf810 = -2032 sixteenths = -127 °C, the "disconnected" value of common Arduino libraries
        Fixtures.write(slaveFile(), "10 f8 4b 46 7f ff 10 10 88 : crc=88 YES\n10 f8 4b 46 7f ff 10 10 88 t=-127000\n");
        e = assertThrows(IOException.class, () -> read(t));
        assertEquals(slaveFile() + ": -127.0 °C is outside the DS18B20's range of -55 to 125 °C", e.getMessage());

        // One step past each end: 0x07d1 = 2001 and 0xfc8f = -881 sixteenths
        Fixtures.write(slaveFile(), "d1 07 4b 46 7f ff 10 10 16 : crc=16 YES\nd1 07 4b 46 7f ff 10 10 16 t=125062\n");
        assertThrows(IOException.class, () -> read(t));
        Fixtures.write(slaveFile(), "8f fc 4b 46 7f ff 10 10 40 : crc=40 YES\n8f fc 4b 46 7f ff 10 10 40 t=-55062\n");
        assertThrows(IOException.class, () -> read(t));
    }

    @Test
    void nineZeroBytesPassTheCrcButAreNotASensor() throws IOException {
        W1Thermometer t = withSlave("00 00 00 00 00 00 00 00 00 : crc=00 YES\n00 00 00 00 00 00 00 00 00 t=0\n");
        IOException e = assertThrows(IOException.class, () -> read(t));
        assertEquals(slaveFile() + ": the scratchpad reads all zeros: no sensor answering (data line shorted to ground?)",
                e.getMessage());
    }

    @Test
    void anEmptyW1SlaveMeansTheSensorDidNotAnswer() throws IOException {
        W1Thermometer t = withSlave("");
        IOException e = assertThrows(IOException.class, () -> read(t));
        assertEquals(slaveFile() + " is empty: the sensor did not answer on the 1-Wire bus", e.getMessage());
    }

    @Test
    void aTruncatedW1SlaveNamesTheFile() throws IOException {
        W1Thermometer t = withSlave("72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n");
        IOException e = assertThrows(IOException.class, () -> read(t));
        assertEquals(slaveFile() + " holds '72 01 4b 46 7f ff 0e 10 57 : crc=57 YES', expected two lines (crc=... and t=...)",
                e.getMessage());
    }

    @Test
    void eioOnW1SlaveNamesTheFile() throws IOException {
        Path f = Fixtures.failingWithEio(slaveFile());
        W1Thermometer t = W1Thermometer.at(sys, "28-0000075d5c1a", Duration.ofSeconds(5));
        IOException e = assertThrows(IOException.class, () -> read(t));
        assertEquals("cannot read " + f + ": Input/output error", e.getMessage());
    }

    @Test
    void withoutW1SlaveTheTemperatureAttributeIsRead() throws IOException {
        Fixtures.write(sys.resolve("bus/w1/devices/28-0000075d5c1a/temperature"), "21500\n");
        assertEquals(21.5, read(W1Thermometer.at(sys, "28-0000075d5c1a", Duration.ofSeconds(5))), 1e-12);
    }

    @Test
    void anEmptyTemperatureAttributeMeansTheSensorDidNotAnswer() throws IOException {
        Path f = Fixtures.write(sys.resolve("bus/w1/devices/28-0000075d5c1a/temperature"), "");
        IOException e = assertThrows(IOException.class, () -> read(W1Thermometer.at(sys, "28-0000075d5c1a", Duration.ofSeconds(5))));
        assertEquals(f + " is empty: the sensor did not answer on the 1-Wire bus", e.getMessage());
    }

    @Test
    void theTemperatureAttributeIsRangeCheckedToo() throws IOException {
        Path f = Fixtures.write(sys.resolve("bus/w1/devices/28-0000075d5c1a/temperature"), "85000\n");
        IOException e = assertThrows(IOException.class, () -> read(W1Thermometer.at(sys, "28-0000075d5c1a", Duration.ofSeconds(5))));
        assertEquals(f + ": 85 °C is the sensor's power-on value: the conversion did not run (weak power supply?)", e.getMessage());
    }

    @Test
    void anUnpluggedSensorIsAnErrorThatSaysSo() {
        W1Thermometer t = W1Thermometer.at(sys, "28-0000075d5c1a", Duration.ofSeconds(5));
        IOException e = assertThrows(IOException.class, () -> read(t));
        assertEquals("1-Wire sensor " + sys.resolve("bus/w1/devices/28-0000075d5c1a")
                + " is not present (unplugged, or the w1-gpio overlay not loaded?)", e.getMessage());
    }

    @Test
    void aDeviceWithoutEitherFileIsNotAThermometer() throws IOException {
        Path dir = Files.createDirectories(sys.resolve("bus/w1/devices/28-0000075d5c1a"));
        IOException e = assertThrows(IOException.class, () -> read(W1Thermometer.at(sys, "28-0000075d5c1a", Duration.ofSeconds(5))));
        assertEquals(dir + " has neither w1_slave nor temperature (not a w1_therm sensor?)", e.getMessage());
    }

    @Test
    void aSerialThatIsNotADs18b20IsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> W1Thermometer.at(sys, "w1_bus_master1", Duration.ofSeconds(5)));
        assertEquals("'w1_bus_master1' is not a DS18B20 serial like 28-0000075d5c1a", e.getMessage());
    }
}

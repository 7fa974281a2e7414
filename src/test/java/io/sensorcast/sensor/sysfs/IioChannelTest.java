package io.sensorcast.sensor.sysfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sensorcast.hub.ChannelInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IioChannelTest {

    private static final Path PI4 = Fixtures.tree("sysfs/pi4");

    @TempDir
    Path dir;

    @Test
    void bme280ProcessedValuesAreShownInDegreesPercentAndHectopascal() throws IOException {
        SysfsSensor s = SysfsSensor.bmx280("greenhouse", PI4, "bme280", Duration.ofSeconds(5));
        assertEquals(List.of(new ChannelInfo("greenhouse.temperature", "Temperature", "°C"),
                new ChannelInfo("greenhouse.humidity", "Relative humidity", "%"),
                new ChannelInfo("greenhouse.pressure", "Air pressure", "hPa")), s.channels());
        double[] v = new double[3];
        s.read(v);
        assertEquals(23.45, v[0], 1e-12);          // in_temp_input 23450 m°C * 0.001
        assertEquals(45.123, v[1], 1e-12);         // in_humidityrelative_input 45123 m% * 0.001
        assertEquals(1009.34882812, v[2], 1e-9);   // in_pressure_input 100.934882812 kPa * 10
    }

    @Test
    void bmp280HasNoHumidityChannel() {
        SysfsSensor s = SysfsSensor.bmx280("attic", PI4, "bmp280", Duration.ofSeconds(5));
        assertEquals(List.of("attic.temperature", "attic.pressure"), s.channels().stream().map(ChannelInfo::id).toList());
    }

    @Test
    void rawValuesAreScaledByTheTypeWideScale() throws IOException {
        // mcp3008: in_voltage0_raw 512, in_voltage1_raw 1023, shared in_voltage_scale 3.222656250 (3300 mV / 1024)
        IioChannel ch0 = IioChannel.byName(PI4, "mcp3008", "in_voltage0");
        IioChannel ch1 = IioChannel.byName(PI4, "mcp3008", "in_voltage1");
        assertEquals(1650.0, ch0.read(), 1e-9);          // 512 * 3.22265625 mV
        assertEquals(3296.77734375, ch1.read(), 1e-9);   // 1023 * 3.22265625 mV
        assertEquals(1.65, SysfsChannel.iio("ain0", "", ch0).read(), 1e-12); // shown in V
    }

    @Test
    void rawPlusOffsetTimesScaleInThatOrder() throws IOException {
        Path dev = dir.resolve("iio:device0");
        Fixtures.write(dev.resolve("in_temp_raw"), "1000\n");
        Fixtures.write(dev.resolve("in_temp_offset"), "-500\n");
        Fixtures.write(dev.resolve("in_temp_scale"), "25.000000\n");
        // (1000 + -500) * 25 = 12500 m°C; scale-then-offset would give 1000 * 25 - 500 = 24500
        assertEquals(12500.0, IioChannel.at(dev, "in_temp").read(), 1e-9);
    }

    @Test
    void theChannelsOwnScaleWinsOverTheTypeWideOne() throws IOException {
        Path dev = dir.resolve("iio:device0");
        Fixtures.write(dev.resolve("in_voltage0_raw"), "10\n");
        Fixtures.write(dev.resolve("in_voltage0_scale"), "2\n");
        Fixtures.write(dev.resolve("in_voltage_scale"), "3\n");
        assertEquals(20.0, IioChannel.at(dev, "in_voltage0").read(), 1e-12); // 10 * 2, not 10 * 3
    }

    @Test
    void withoutOffsetOrScaleTheRawValueIsTaken() throws IOException {
        Path dev = dir.resolve("iio:device0");
        Fixtures.write(dev.resolve("in_illuminance_raw"), "321\n");
        assertEquals(321.0, IioChannel.at(dev, "in_illuminance").read(), 1e-12);
    }

    @Test
    void theProcessedInputIsPreferredOverRaw() throws IOException {
        Path dev = dir.resolve("iio:device0");
        Fixtures.write(dev.resolve("in_temp_input"), "21000\n");
        Fixtures.write(dev.resolve("in_temp_raw"), "7\n");
        Fixtures.write(dev.resolve("in_temp_scale"), "1000\n");
        assertEquals(21000.0, IioChannel.at(dev, "in_temp").read(), 1e-12);
    }

    @Test
    void aChannelWithNeitherInputNorRawIsAnErrorNamingTheDevice() throws IOException {
        Path dev = Files.createDirectories(dir.resolve("iio:device0"));
        IOException e = assertThrows(IOException.class, () -> IioChannel.at(dev, "in_humidityrelative").read());
        assertEquals(dev + " has neither in_humidityrelative_input nor in_humidityrelative_raw", e.getMessage());
    }

    @Test
    void aMissingDeviceDirectoryIsAnError() {
        Path dev = dir.resolve("iio:device7");
        IOException e = assertThrows(IOException.class, () -> IioChannel.at(dev, "in_temp").read());
        assertEquals("IIO device " + dev + " does not exist", e.getMessage());
    }

    @Test
    void anUnknownDeviceNameIsAnError() {
        IOException e = assertThrows(IOException.class, () -> IioChannel.byName(PI4, "bme680", "in_temp").read());
        assertEquals("no IIO device named 'bme680' under " + PI4.resolve("bus/iio/devices"), e.getMessage());
    }

    @Test
    void twoDevicesOfTheSameNameAreAnErrorInsteadOfAGuess() throws IOException {
        Fixtures.write(dir.resolve("bus/iio/devices/iio:device0/name"), "bme280\n");
        Fixtures.write(dir.resolve("bus/iio/devices/iio:device1/name"), "bme280\n");
        IOException e = assertThrows(IOException.class, () -> IioChannel.byName(dir, "bme280", "in_temp").read());
        assertEquals("2 IIO devices are named 'bme280' (iio:device0, iio:device1): configure the device directory"
                + " instead of the name", e.getMessage());
    }

    @Test
    void aDeviceThatComesBackUnderAnotherNumberIsFoundAgain() throws IOException {
        Path devices = dir.resolve("bus/iio/devices");
        Fixtures.write(devices.resolve("iio:device0/name"), "bme280\n");
        Fixtures.write(devices.resolve("iio:device0/in_temp_input"), "20000\n");
        IioChannel ch = IioChannel.byName(dir, "bme280", "in_temp");
        assertEquals(20000.0, ch.read(), 1e-12);

        // Unbound and re-probed: the kernel hands out the next free number.
        Files.move(devices.resolve("iio:device0"), devices.resolve("iio:device1"));
        Fixtures.write(devices.resolve("iio:device1/in_temp_input"), "20500\n");
        assertThrows(IOException.class, ch::read); // the remembered directory is gone
        assertEquals(20500.0, ch.read(), 1e-12);   // looked up again
    }

    @Test
    void eioFromAVanishedSensorNamesTheAttribute() throws IOException {
        Path dev = dir.resolve("iio:device0");
        Path f = Fixtures.failingWithEio(dev.resolve("in_temp_input"));
        IOException e = assertThrows(IOException.class, () -> IioChannel.at(dev, "in_temp").read());
        assertEquals("cannot read " + f + ": Input/output error", e.getMessage());
    }

    @Test
    void aScaleThatIsNotANumberNamesTheScaleFile() throws IOException {
        Path dev = dir.resolve("iio:device0");
        Fixtures.write(dev.resolve("in_voltage0_raw"), "10\n");
        Path scale = Fixtures.write(dev.resolve("in_voltage_scale"), "\n");
        IOException e = assertThrows(IOException.class, () -> IioChannel.at(dev, "in_voltage0").read());
        assertEquals(scale + " is empty, expected a number", e.getMessage());
    }

    @Test
    void aStemWithItsSuffixIsRejectedWithTheFix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IioChannel.at(dir, "in_temp_raw"));
        assertEquals("IIO channel 'in_temp_raw': give the channel without its suffix, e.g. in_temp", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> IioChannel.at(dir, "temperature"));
    }
}

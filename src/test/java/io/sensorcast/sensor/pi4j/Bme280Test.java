package io.sensorcast.sensor.pi4j;

import static io.sensorcast.sensor.pi4j.Bme280Datasheet.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pi4j.exception.Pi4JException;
import com.pi4j.plugin.mock.provider.i2c.MockI2C;
import io.sensorcast.hub.ChannelInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole driver against Pi4J's mock I2C, with the datasheet example in the chip's registers. */
class Bme280Test {

    private static final int ADDRESS = 0x76;

    @TempDir
    Path devRoot;

    private MockBoard mock;
    private Bme280 bme;

    @BeforeEach
    void setUp() {
        mock = new MockBoard(devRoot);
        bme = new Bme280(mock.board, "greenhouse", 1, ADDRESS, Duration.ofSeconds(10));
    }

    @AfterEach
    void tearDown() {
        bme.close();
        mock.close();
    }

    /** A BME280 with the example calibration, ready and idle, with {@code reads} measurements queued. */
    private static void exampleChip(MockI2C chip, int reads, byte[] data) {
        chip.writeRegister(0xD0, (byte) 0x60);
        chip.writeRegister(0xF3, (byte) 0x00); // im_update clear: calibration readable
        chip.writeRegister(0x88, Bme280Datasheet.CALIB_88_A1);
        chip.writeRegister(0xE1, Bme280Datasheet.CALIB_E1_E7);
        for (int i = 0; i < reads; i++) {
            chip.writeRegister(0xF3, (byte) 0x00); // measurement done
            chip.writeRegister(0xF7, data);
        }
    }

    @Test
    void readsTheDatasheetExampleThroughTheMockBus() throws Exception {
        mock.presetI2c(ADDRESS, chip -> exampleChip(chip, 1, Bme280Datasheet.DATA_F7_FE));
        double[] values = new double[3];
        bme.open();
        bme.read(values);
        assertEquals(25.08, values[0], 1e-9);
        assertEquals(39975 / 1024.0, values[1], 1e-9);        // 39.04 %
        assertEquals(25767233 / 256.0 / 100, values[2], 1e-9); // 1006.53 hPa
        assertEquals(1006.5327, values[2], 0.0002);             // the datasheet's 100653.27 Pa
    }

    @Test
    void channelsAreTemperatureHumidityPressureWithUnits() {
        List<ChannelInfo> channels = bme.channels();
        assertEquals(List.of("greenhouse.temperature", "greenhouse.humidity", "greenhouse.pressure"),
                channels.stream().map(ChannelInfo::id).toList());
        assertEquals(List.of("°C", "%", "hPa"), channels.stream().map(ChannelInfo::unit).toList());
    }

    @Test
    void openChecksTheIdReadsCalibrationAndPutsTheChipToSleepWithTheFilterOff() throws Exception {
        mock.presetI2c(ADDRESS, chip -> exampleChip(chip, 0, null));
        bme.open();
        assertEquals(List.of("r d0", "r f3", "r 88 x26", "r e1 x7", "w f4 00", "w f5 00"), mock.i2cLog());
    }

    @Test
    void eachReadWritesCtrlHumThenCtrlMeasInForcedModeThenWaitsThenBurstReads() throws Exception {
        mock.presetI2c(ADDRESS, chip -> exampleChip(chip, 2, Bme280Datasheet.DATA_F7_FE));
        bme.open();
        int opened = mock.i2cLog().size();
        bme.read(new double[3]);
        bme.read(new double[3]);
        List<String> reads = mock.i2cLog().subList(opened, mock.i2cLog().size());
        List<String> one = List.of("w f2 01", "w f4 25", "r f3", "r f7 x8");
        assertEquals(List.of(one, one), List.of(reads.subList(0, 4), reads.subList(4, 8)));
    }

    @Test
    void waitsWhileTheStatusSaysMeasuring() throws Exception {
        mock.presetI2c(ADDRESS, chip -> {
            exampleChip(chip, 0, null);
            chip.writeRegister(0xF3, bytes(0x08, 0x08, 0x00)); // measuring, measuring, done
            chip.writeRegister(0xF7, Bme280Datasheet.DATA_F7_FE);
        });
        double[] values = new double[3];
        bme.open();
        bme.read(values);
        assertEquals(25.08, values[0], 1e-9);
        assertEquals(3, mock.i2cLog().stream().filter(op -> op.equals("r f3")).count() - 1); // 1 at open
    }

    @Test
    void givesUpWithAClearErrorWhenTheMeasurementNeverFinishes() throws Exception {
        mock.presetI2c(ADDRESS, chip -> {
            exampleChip(chip, 0, null);
            for (int i = 0; i < 100; i++) {
                chip.writeRegister(0xF3, (byte) 0x08);
            }
        });
        bme.open();
        IOException e = assertThrows(IOException.class, () -> bme.read(new double[3]));
        assertEquals("BME280 at 0x76 on /dev/i2c-1 still measuring after 50 ms (status bit 'measuring' stays set); "
                + "the datasheet's maximum is 9.3 ms", e.getMessage());
    }

    @Test
    void rejectsABmp280ByItsChipIdAndReleasesTheDevice() {
        mock.presetI2c(ADDRESS, chip -> chip.writeRegister(0xD0, (byte) 0x58));
        IOException e = assertThrows(IOException.class, bme::open);
        assertEquals("no BME280 at 0x76 on /dev/i2c-1: chip id 0x58 (that is a BMP280, which measures no humidity)",
                e.getMessage());
        assertFalse(mock.exists("greenhouse"), "the I2C device is released, so that open() can try again");
    }

    @Test
    void saysNothingAnswersWhenTheChipIdCannotBeRead() {
        mock.presetI2c(ADDRESS, chip -> { }); // the mock fails every read, as a bus without the chip does
        IOException e = assertThrows(IOException.class, bme::open);
        assertTrue(e.getMessage().startsWith("nothing answers at 0x76 on /dev/i2c-1 ("), e.getMessage());
        assertTrue(e.getMessage().endsWith("i2cdetect -y 1 lists the addresses that answer"), e.getMessage());
    }

    @Test
    void aMissingBusSaysToEnableI2c() {
        mock.failCreate(new Pi4JException("Sysfs validation failed for I2C bus 1: path '/sys/bus/i2c/devices/i2c-1' does not exist."));
        IOException e = assertThrows(IOException.class, bme::open);
        assertEquals("greenhouse: BME280 at 0x76 on /dev/i2c-1: no " + devRoot.resolve("i2c-1") + ": enable I2C "
                + "(sudo raspi-config, Interface Options, I2C; or dtparam=i2c_arm=on in /boot/firmware/config.txt) and reboot",
                e.getMessage());
    }

    @Test
    void rejectsATemperatureOutsideTheOperatingRange() throws Exception {
        // adc_T 0xB4000 gives 92.66 °C with the example calibration.
        byte[] hot = bytes(0x65, 0x5A, 0xC0, 0xB4, 0x00, 0x00, 0x6A, 0x00);
        mock.presetI2c(ADDRESS, chip -> exampleChip(chip, 1, hot));
        bme.open();
        IOException e = assertThrows(IOException.class, () -> bme.read(new double[3]));
        assertEquals("BME280 at 0x76 on /dev/i2c-1 reports an impossible temperature of 92.66 °C (it measures -40 to 85 °C); "
                + "check the wiring and the supply", e.getMessage());
    }

    @Test
    void rejectsAPressureOutsideTheOperatingRange() throws Exception {
        // adc_P 0xE0000 gives 152.31 hPa at 25.08 °C with the example calibration.
        byte[] thin = bytes(0xE0, 0x00, 0x00, 0x7E, 0xED, 0x00, 0x6A, 0x00);
        mock.presetI2c(ADDRESS, chip -> exampleChip(chip, 1, thin));
        bme.open();
        IOException e = assertThrows(IOException.class, () -> bme.read(new double[3]));
        assertTrue(e.getMessage().contains("impossible pressure of 152.31 hPa (it measures 300 to 1100 hPa)"), e.getMessage());
    }

    @Test
    void rejectsTheResetValueOfASkippedMeasurement() throws Exception {
        byte[] reset = bytes(0x80, 0x00, 0x00, 0x80, 0x00, 0x00, 0x80, 0x00);
        mock.presetI2c(ADDRESS, chip -> exampleChip(chip, 1, reset));
        bme.open();
        IOException e = assertThrows(IOException.class, () -> bme.read(new double[3]));
        assertTrue(e.getMessage().contains("returned no measurement"), e.getMessage());
    }

    @Test
    void opensAgainAfterCloseAndCloseIsIdempotent() throws Exception {
        mock.presetI2c(ADDRESS, chip -> exampleChip(chip, 1, Bme280Datasheet.DATA_F7_FE));
        double[] values = new double[3];
        bme.open();
        bme.read(values);
        bme.close();
        bme.close();
        assertFalse(mock.exists("greenhouse"));
        bme.open();
        values[0] = 0;
        bme.read(values);
        assertEquals(25.08, values[0], 1e-9);
    }

    @Test
    void readOpensTheDeviceWhenNotOpen() throws Exception {
        mock.presetI2c(ADDRESS, chip -> exampleChip(chip, 1, Bme280Datasheet.DATA_F7_FE));
        double[] values = new double[3];
        bme.read(values);
        assertEquals(25.08, values[0], 1e-9);
    }

    @Test
    void acceptsOnlyTheTwoAddressesOfTheDatasheet() {
        assertThrows(IllegalArgumentException.class, () -> new Bme280(mock.board, "b", 1, 0x75, Duration.ofSeconds(1)));
        new Bme280(mock.board, "b", 1, 0x77, Duration.ofSeconds(1));
    }
}

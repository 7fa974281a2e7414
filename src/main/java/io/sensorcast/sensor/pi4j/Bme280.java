package io.sensorcast.sensor.pi4j;

import com.pi4j.context.Context;
import com.pi4j.io.i2c.I2C;
import io.sensorcast.hub.ChannelInfo;
import io.sensorcast.sensor.Sensor;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * A Bosch BME280 on I2C: temperature (°C), relative humidity (%) and pressure (hPa).
 *
 * <p>Runs the chip in forced mode (datasheet BST-BME280-DS002, section 3.3, sensor modes): it sleeps between
 * reads, and each {@link #read} starts one measurement, waits for it and reads the result. That is
 * the datasheet's recommendation for weather monitoring (section 3.5.1: forced mode, oversampling
 * x1 for all three, filter off), and it draws next to no current between samples, which also keeps
 * the chip from warming itself.
 *
 * <p>References below are to the BME280 datasheet, revision 1.6 or later.
 */
public final class Bme280 implements Sensor {

    // Register map, section 5.3, Table 18 "Memory map".
    private static final int REG_CALIB00 = 0x88; // calib00..calib25: 0x88..0xA1
    private static final int REG_ID = 0xD0;
    private static final int REG_CALIB26 = 0xE1; // calib26..calib32: 0xE1..0xE7
    private static final int REG_CTRL_HUM = 0xF2;
    private static final int REG_STATUS = 0xF3;
    private static final int REG_CTRL_MEAS = 0xF4;
    private static final int REG_CONFIG = 0xF5;
    private static final int REG_PRESS_MSB = 0xF7; // press 0xF7..0xF9, temp 0xFA..0xFC, hum 0xFD..0xFE
    private static final int DATA_LENGTH = 8;

    /** Section 5.4.1: the id register reads 0x60 on a BME280. */
    static final int CHIP_ID = 0x60;

    /** Section 5.4.3: osrs_h = 001, humidity oversampling x1. */
    static final int CTRL_HUM_X1 = 0b001;
    /** Section 5.4.5: osrs_t = 001 (bits 7:5), osrs_p = 001 (bits 4:2), mode = 01 forced (bits 1:0). */
    static final int CTRL_MEAS_FORCED_X1 = 0b001_001_01;
    /** Section 5.4.5: mode = 00, sleep, with no measurement configured. */
    static final int CTRL_MEAS_SLEEP = 0x00;
    /** Section 5.4.6: t_sb unused in forced mode, filter off (000), 3-wire SPI off. */
    static final int CONFIG_FILTER_OFF = 0x00;

    /** Section 5.4.4, status: bit 3 "measuring", bit 0 "im_update" (NVM being copied). */
    private static final int STATUS_MEASURING = 0x08;
    private static final int STATUS_IM_UPDATE = 0x01;

    /**
     * Section 9.1 (Appendix B), maximum measurement time: 1.25 + [2.3 * osrs_t] + [2.3 * osrs_p +
     * 0.575] + [2.3 * osrs_h + 0.575] ms = 9.3 ms at x1. Waiting that long first means the status
     * is polled only in the rare case the chip is slower.
     */
    private static final long MEASUREMENT_MAX_MILLIS = 10;
    /** Then the status is polled every millisecond, at most this many times, before giving up. */
    private static final int STATUS_POLLS = 40;

    /**
     * Table 18 reset values: with a measurement skipped (or none made since reset), the data
     * registers hold 0x80000 for temperature and pressure and 0x8000 for humidity.
     */
    private static final int ADC_TP_SKIPPED = 0x80000;
    private static final int ADC_H_SKIPPED = 0x8000;

    /** Section 1, "Operating range": beyond these the chip cannot have measured what it reports. */
    private static final double MIN_CELSIUS = -40, MAX_CELSIUS = 85;
    private static final double MIN_HPA = 300, MAX_HPA = 1100;

    private final Pi4jBoard board;
    private final String id;
    private final int bus;
    private final int address;
    private final Duration interval;
    private final List<ChannelInfo> channels;

    private Context context;
    private I2C i2c;
    private Bme280Calibration calibration;

    /**
     * @param board    the Pi4J board (one per program)
     * @param id       device id, the channels' prefix ("greenhouse" gives "greenhouse.temperature")
     * @param bus      the I2C bus, N in /dev/i2c-N (1 on the header's pins 3 and 5)
     * @param address  0x76 (SDO to GND) or 0x77 (SDO to VDDIO), section 6.2
     * @param interval how often to measure
     */
    public Bme280(Pi4jBoard board, String id, int bus, int address, Duration interval) {
        if (address != 0x76 && address != 0x77) {
            throw new IllegalArgumentException(id + ": a BME280 answers at 0x76 or 0x77 (datasheet section 6.2), not "
                    + hex(address));
        }
        if (bus < 0) {
            throw new IllegalArgumentException(id + ": I2C bus must be 0 or more, was " + bus);
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException(id + ": interval must be positive, was " + interval);
        }
        this.board = board;
        this.id = id;
        this.bus = bus;
        this.address = address;
        this.interval = interval;
        this.channels = List.of(
                new ChannelInfo(id + ".temperature", id + " temperature", "°C"),
                new ChannelInfo(id + ".humidity", id + " humidity", "%"),
                new ChannelInfo(id + ".pressure", id + " pressure", "hPa"));
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public List<ChannelInfo> channels() {
        return channels;
    }

    @Override
    public Duration interval() {
        return interval;
    }

    /** Opens the bus, checks the chip id, reads the calibration and puts the chip to sleep. */
    @Override
    public void open() throws IOException, InterruptedException {
        close();
        Context ctx = board.context(Peripheral.I2C);
        try {
            i2c = ctx.create(I2C.newConfigBuilder(ctx).id(id).name("BME280 " + where()).bus(bus).device(address).build());
        } catch (RuntimeException | LinkageError e) {
            throw new IOException(id + ": BME280 " + where() + ": "
                    + DeviceAdvice.cannotOpen(Peripheral.I2C, board.devRoot().resolve("i2c-" + bus), e), e);
        }
        context = ctx;
        boolean ready = false;
        try {
            int chipId = readChipId();
            if (chipId != CHIP_ID) {
                throw new IOException("no BME280 " + where() + ": chip id " + hex(chipId) + " (" + chipName(chipId) + ")");
            }
            // Section 5.4.4: im_update is set while the NVM is copied to the calibration registers
            // (after power-on or reset); the calibration read must wait for it.
            for (int poll = 0; (readByte(REG_STATUS, "status") & STATUS_IM_UPDATE) != 0; poll++) {
                if (poll == STATUS_POLLS) {
                    throw new IOException("BME280 " + where() + ": calibration data not ready after " + STATUS_POLLS + " ms");
                }
                Thread.sleep(1);
            }
            calibration = Bme280Calibration.parse(
                    readBlock(REG_CALIB00, Bme280Calibration.BLOCK1_LENGTH, "calibration"),
                    readBlock(REG_CALIB26, Bme280Calibration.BLOCK2_LENGTH, "calibration"));
            // Section 5.4.6: writes to config may be ignored in normal mode, so sleep first, in
            // case another program left the chip running.
            writeByte(REG_CTRL_MEAS, CTRL_MEAS_SLEEP);
            writeByte(REG_CONFIG, CONFIG_FILTER_OFF);
            ready = true;
        } finally {
            if (!ready) {
                close();
            }
        }
    }

    /** One forced-mode measurement: temperature °C, humidity %, pressure hPa. */
    @Override
    public void read(double[] values) throws IOException, InterruptedException {
        if (i2c == null) {
            open();
        }
        // Section 5.4.3: a change of ctrl_hum takes effect only after a write to ctrl_meas, so
        // ctrl_hum goes first; writing ctrl_meas with mode 01 starts one measurement (section 3.3).
        writeByte(REG_CTRL_HUM, CTRL_HUM_X1);
        writeByte(REG_CTRL_MEAS, CTRL_MEAS_FORCED_X1);
        awaitMeasurement();
        // Section 4: one burst read of 0xF7..0xFE, so that all values come from one measurement
        // (the chip shadows the data registers during a burst).
        byte[] d = readBlock(REG_PRESS_MSB, DATA_LENGTH, "measurement");
        // Section 5.4.7-5.4.9: 20-bit pressure and temperature (msb, lsb, xlsb[7:4]), 16-bit humidity.
        int adcP = (d[0] & 0xFF) << 12 | (d[1] & 0xFF) << 4 | (d[2] & 0xFF) >> 4;
        int adcT = (d[3] & 0xFF) << 12 | (d[4] & 0xFF) << 4 | (d[5] & 0xFF) >> 4;
        int adcH = (d[6] & 0xFF) << 8 | (d[7] & 0xFF);
        if (adcT == ADC_TP_SKIPPED || adcP == ADC_TP_SKIPPED || adcH == ADC_H_SKIPPED) {
            throw new IOException("BME280 " + where() + " returned no measurement (data registers hold their reset value "
                    + "0x80000/0x8000)");
        }
        int tFine = Bme280Compensation.tFine(adcT, calibration);
        double celsius = Bme280Compensation.temperatureCentiCelsius(tFine) / 100.0;
        double humidity = Bme280Compensation.humidityQ22p10(adcH, tFine, calibration) / 1024.0;
        double hpa = Bme280Compensation.pressureQ24p8(adcP, tFine, calibration) / 256.0 / 100.0;
        check(celsius, MIN_CELSIUS, MAX_CELSIUS, "temperature", "°C");
        // The formula already clamps humidity to 0..100 %; kept for symmetry should that change.
        check(humidity, 0, 100, "humidity", "%");
        check(hpa, MIN_HPA, MAX_HPA, "pressure", "hPa");
        values[0] = celsius;
        values[1] = humidity;
        values[2] = hpa;
    }

    /** Releases the I2C device (Pi4J keeps the bus for other devices on it); safe when not open. */
    @Override
    public void close() {
        I2C open = i2c;
        i2c = null;
        calibration = null;
        if (open != null && context != null && !context.isShutdown()) {
            try {
                context.shutdown(open.id());
            } catch (RuntimeException e) {
                // Already gone from the registry, or a failing close of a device that is gone: nothing to release.
            }
        }
        context = null;
    }

    private void awaitMeasurement() throws IOException, InterruptedException {
        Thread.sleep(MEASUREMENT_MAX_MILLIS);
        for (int poll = 0; poll < STATUS_POLLS; poll++) {
            if ((readByte(REG_STATUS, "status") & STATUS_MEASURING) == 0) {
                return;
            }
            Thread.sleep(1);
        }
        throw new IOException("BME280 " + where() + " still measuring after " + (MEASUREMENT_MAX_MILLIS + STATUS_POLLS)
                + " ms (status bit 'measuring' stays set); the datasheet's maximum is 9.3 ms");
    }

    private void check(double value, double min, double max, String quantity, String unit) throws IOException {
        if (!(value >= min && value <= max)) {
            throw new IOException("BME280 " + where() + " reports an impossible " + quantity + " of "
                    + String.format(Locale.ROOT, "%.2f", value) + " " + unit + " (it measures "
                    + fmt(min) + " to " + fmt(max) + " " + unit + "); check the wiring and the supply");
        }
    }

    /** The first read: a failure here most likely means nothing answers at the address. */
    private int readChipId() throws IOException {
        try {
            return i2c.readRegister(REG_ID) & 0xFF;
        } catch (RuntimeException e) {
            throw new IOException("nothing answers " + where() + " (" + DeviceAdvice.rootMessage(e)
                    + "): check the wiring and the address (0x76 with SDO to GND, 0x77 with SDO to VDDIO); "
                    + "i2cdetect -y " + bus + " lists the addresses that answer", e);
        }
    }

    private int readByte(int register, String what) throws IOException {
        try {
            return i2c.readRegister(register) & 0xFF;
        } catch (RuntimeException e) {
            throw failed("reading the " + what + " register " + hex(register), e);
        }
    }

    private byte[] readBlock(int register, int length, String what) throws IOException {
        byte[] buffer = new byte[length];
        int n;
        try {
            n = i2c.readRegister(register, buffer, 0, length);
        } catch (RuntimeException e) {
            throw failed("reading the " + what + " at " + hex(register), e);
        }
        if (n != length) {
            throw new IOException("BME280 " + where() + ": reading the " + what + " at " + hex(register) + " returned "
                    + n + " of " + length + " bytes");
        }
        return buffer;
    }

    private void writeByte(int register, int value) throws IOException {
        try {
            i2c.writeRegister(register, (byte) value);
        } catch (RuntimeException e) {
            throw failed("writing register " + hex(register), e);
        }
    }

    private IOException failed(String action, RuntimeException e) {
        return new IOException("BME280 " + where() + ": " + action + " failed (" + DeviceAdvice.rootMessage(e)
                + "); check the wiring (i2cdetect -y " + bus + " lists the addresses that answer)", e);
    }

    private String where() {
        return "at " + hex(address) + " on /dev/i2c-" + bus;
    }

    /** What answers with this id at 0xD0 instead: Bosch's other sensors use the same register. */
    static String chipName(int chipId) {
        if (isBmp280(chipId)) {
            return "that is a BMP280, which measures no humidity";
        }
        switch (chipId) {
            case 0x55:
                return "that is a BMP180 or BMP085";
            case 0x61:
                return "that is a BME680 or BME688";
            default:
                return "not a Bosch BME280";
        }
    }

    /**
     * BMP280 ids at 0xD0: 0x58 per the BMP280 datasheet (register 0xD0 "id"); 0x56 and 0x57 are
     * the further ids Bosch's own BMP280 driver code accepts (BMP280_CHIP_ID1 and BMP280_CHIP_ID2).
     */
    static boolean isBmp280(int chipId) {
        return chipId == 0x56 || chipId == 0x57 || chipId == 0x58;
    }

    private static String hex(int value) {
        return String.format(Locale.ROOT, "0x%02x", value);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}

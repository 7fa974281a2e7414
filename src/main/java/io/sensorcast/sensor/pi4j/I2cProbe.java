package io.sensorcast.sensor.pi4j;

import com.pi4j.context.Context;
import com.pi4j.io.i2c.I2C;
import java.io.IOException;
import java.util.Locale;

/**
 * Asks an I2C address which Bosch chip answers there, by reading its chip id register 0xD0
 * (BME280 datasheet section 5.4.1; the BMP280 and BME680 use the same register): how
 * {@code sensorcast detect} confirms a BME280 before it offers a configuration for one.
 *
 * <p>Fails soft: every outcome, a Pi4J that cannot start on this machine included, is a
 * {@link Finding}, never an exception, so that detection reports it and goes on with the next
 * section. The probe reads one register and writes nothing, so it cannot change a chip's state;
 * the bus is opened only for the read and released at once.
 */
public final class I2cProbe implements AutoCloseable {

    /** The BME280 id register, section 5.4.1. */
    private static final int REG_ID = 0xD0;

    /** What the read found. */
    public enum Outcome {
        /** Chip id 0x60. */
        BME280,
        /** Chip id 0x58 (or 0x56, 0x57; see Bme280.isBmp280): no humidity; not what the bme280 driver reads. */
        BMP280,
        /** Something answered with another id. */
        OTHER_CHIP,
        /** The bus opened but the read failed: nothing at this address (or a kernel driver holds it). */
        NO_ANSWER,
        /** The bus could not be opened at all (Pi4J's native code, a missing or forbidden bus). */
        UNAVAILABLE
    }

    /**
     * @param outcome what was found
     * @param chipId  the id register's value, or -1 when nothing was read
     * @param detail  for a person: the chip's name, or why nothing was read
     */
    public record Finding(Outcome outcome, int chipId, String detail) {}

    private final Pi4jBoard board;
    private int probes;

    I2cProbe(Pi4jBoard board) {
        this.board = board;
    }

    /** A probe on this machine's buses (/dev/i2c-N, which is where Pi4J's linuxfs provider looks). */
    public static I2cProbe raspberryPi() {
        return new I2cProbe(Pi4jBoard.raspberryPi());
    }

    /** Reads the chip id at {@code address} on {@code /dev/i2c-<bus>} and says what it means. */
    public Finding bme280(int bus, int address) {
        Context context;
        try {
            context = board.context(Peripheral.I2C);
        } catch (IOException e) {
            return new Finding(Outcome.UNAVAILABLE, -1, e.getMessage());
        }
        // A fresh id per probe: Pi4J's registry refuses an id twice, and a probe that failed to
        // release its device must not block the next one.
        String id = String.format(Locale.ROOT, "detect-i2c-%d-%02x-%d", bus, address, ++probes);
        I2C i2c;
        try {
            i2c = context.create(I2C.newConfigBuilder(context).id(id).name("probe " + id).bus(bus).device(address).build());
        } catch (RuntimeException | LinkageError e) {
            return new Finding(Outcome.UNAVAILABLE, -1,
                    DeviceAdvice.cannotOpen(Peripheral.I2C, board.devRoot().resolve("i2c-" + bus), e));
        }
        try {
            int chipId = i2c.readRegister(REG_ID) & 0xFF;
            return classify(chipId);
        } catch (RuntimeException e) {
            String why = DeviceAdvice.rootMessage(e);
            // Linux refuses I2C_SLAVE with EBUSY when a kernel driver is bound to the address,
            // e.g. the bmp280 IIO driver loaded by dtoverlay=i2c-sensor: the chip is there, but
            // the kernel reads it, and the IIO section shows it.
            if (why.toLowerCase(Locale.ROOT).contains("busy")) {
                why += "; a kernel driver holds the address (see the IIO devices)";
            }
            return new Finding(Outcome.NO_ANSWER, -1, why);
        } finally {
            try {
                context.shutdown(id);
            } catch (RuntimeException e) {
                // Already gone from the registry: nothing left to release.
            }
        }
    }

    /** The meaning of a chip id read at 0xD0. */
    static Finding classify(int chipId) {
        if (chipId == Bme280.CHIP_ID) {
            return new Finding(Outcome.BME280, chipId, "BME280");
        }
        if (Bme280.isBmp280(chipId)) {
            return new Finding(Outcome.BMP280, chipId, "BMP280");
        }
        return new Finding(Outcome.OTHER_CHIP, chipId, Bme280.chipName(chipId));
    }

    /** Shuts down the Pi4J context the probes used. */
    @Override
    public void close() {
        board.close();
    }
}

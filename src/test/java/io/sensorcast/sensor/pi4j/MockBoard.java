package io.sensorcast.sensor.pi4j;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.IO;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalInputConfig;
import com.pi4j.io.i2c.I2C;
import com.pi4j.io.i2c.I2CConfig;
import com.pi4j.io.i2c.I2CProvider;
import com.pi4j.io.spi.Spi;
import com.pi4j.io.spi.SpiConfig;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProviderImpl;
import com.pi4j.plugin.mock.provider.i2c.MockI2C;
import com.pi4j.plugin.mock.provider.i2c.MockI2CProviderImpl;
import com.pi4j.plugin.mock.provider.spi.MockSpiProviderImpl;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A {@link Pi4jBoard} on Pi4J's mock platform (pi4j-plugin-mock), for tests: one context with the
 * mock I2C, SPI and digital input providers, slightly extended so that a test can
 *
 * <ul>
 *   <li>preset an I2C chip's registers before the driver opens it ({@link #presetI2c}): the driver
 *       reads the chip id and calibration inside open(), so the bytes must be there when Pi4J
 *       creates the device;
 *   <li>see the register reads and writes a driver makes, in order ({@link #i2cLog});
 *   <li>make creating a device fail as a missing bus does ({@link #failCreate}).
 * </ul>
 *
 * <p>The mock I2C keeps one FIFO queue per register: a write appends to the register's queue, a
 * read takes from it, and a burst read of N bytes at R takes N bytes from R's queue (not from
 * R, R+1, ...). Presets therefore put each burst's bytes on the burst's first register, once per
 * read the test expects. The mock SPI returns, for each transfer, the next bytes written to it
 * beforehand, and then keeps the bytes the driver sent (readEntireMockBuffer()). A mock digital
 * input calls its listeners on the caller's thread when mockState() changes it, so tests that
 * toggle it need no waiting.
 */
final class MockBoard implements AutoCloseable {

    final Context context;
    final Pi4jBoard board;

    private final Map<Integer, Consumer<MockI2C>> presets = new HashMap<>();
    private final List<String> i2cLog = Collections.synchronizedList(new ArrayList<>());
    private volatile RuntimeException createFailure;

    MockBoard(Path devRoot) {
        this(null, devRoot);
    }

    /** With the GPIO chips' labels read under {@code sysfsRoot} (a captured tree), as on a board. */
    MockBoard(Path sysfsRoot, Path devRoot) {
        context = Pi4J.newContextBuilder()
                .noAutoDetect()
                .disableShutdownHook()
                .add(new I2cChips(), new SpiDevices(), new GpioInputs())
                .build();
        board = Pi4jBoard.sharing(context, sysfsRoot, devRoot);
    }

    /** What the chip at {@code address} holds each time a driver creates it (again). */
    void presetI2c(int address, Consumer<MockI2C> preset) {
        presets.put(address, preset);
    }

    /** Register traffic after the presets, as "w f4 25", "r d0" or "r f7 x8". */
    List<String> i2cLog() {
        synchronized (i2cLog) {
            return List.copyOf(i2cLog);
        }
    }

    /** From now on creating any device throws {@code failure}, as Pi4J does for a missing bus. */
    void failCreate(RuntimeException failure) {
        createFailure = failure;
    }

    <T extends IO<?, ?, ?>> T io(String id, Class<T> type) {
        return context.registry().get(id, type);
    }

    boolean exists(String id) {
        return context.registry().exists(id);
    }

    @Override
    public void close() {
        board.close();
    }

    private void maybeFail() {
        RuntimeException failure = createFailure;
        if (failure != null) {
            throw failure;
        }
    }

    private final class I2cChips extends MockI2CProviderImpl {
        @Override
        public I2C create(I2CConfig config) {
            maybeFail();
            RecordingI2C chip = new RecordingI2C(this, config);
            Consumer<MockI2C> preset = presets.get(config.device());
            if (preset != null) {
                preset.accept(chip);
            }
            chip.recording = true;
            context().registry().add(chip);
            return chip;
        }
    }

    private final class RecordingI2C extends MockI2C {
        boolean recording;

        RecordingI2C(I2CProvider provider, I2CConfig config) {
            super(provider, config);
        }

        private void log(String format, Object... args) {
            if (recording) {
                i2cLog.add(String.format(Locale.ROOT, format, args));
            }
        }

        @Override
        public int writeRegister(int register, byte b) {
            log("w %02x %02x", register, b & 0xFF);
            return super.writeRegister(register, b);
        }

        @Override
        public int writeRegister(int register, byte[] data, int offset, int length) {
            log("w %02x x%d", register, length);
            return super.writeRegister(register, data, offset, length);
        }

        @Override
        public int readRegister(int register) {
            log("r %02x", register);
            return super.readRegister(register);
        }

        @Override
        public int readRegister(int register, byte[] buffer, int offset, int length) {
            log("r %02x x%d", register, length);
            return super.readRegister(register, buffer, offset, length);
        }
    }

    private final class SpiDevices extends MockSpiProviderImpl {
        @Override
        public Spi create(SpiConfig config) {
            maybeFail();
            return super.create(config);
        }
    }

    private final class GpioInputs extends MockDigitalInputProviderImpl {
        @Override
        public DigitalInput create(DigitalInputConfig config) {
            maybeFail();
            return super.create(config);
        }
    }
}

package io.sensorcast.sensor.pi4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pi4j.exception.Pi4JException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chip-id probe behind {@code sensorcast detect}, on Pi4J's mock platform: no hardware. */
class DetectI2cProbeTest {

    @TempDir
    Path dev;

    private MockBoard mock;
    private I2cProbe probe;

    @BeforeEach
    void setUp() {
        mock = new MockBoard(dev);
        probe = new I2cProbe(mock.board);
    }

    @AfterEach
    void tearDown() {
        probe.close();
    }

    @Test
    void chipId0x60IsABme280AndOnlyTheIdRegisterIsRead() {
        mock.presetI2c(0x76, chip -> chip.writeRegister(0xD0, (byte) 0x60));
        assertEquals(new I2cProbe.Finding(I2cProbe.Outcome.BME280, 0x60, "BME280"), probe.bme280(1, 0x76));
        assertEquals(List.of("r d0"), mock.i2cLog()); // one read, no write: the chip's state is untouched
    }

    @Test
    void chipId0x58IsABmp280() {
        mock.presetI2c(0x77, chip -> chip.writeRegister(0xD0, (byte) 0x58));
        assertEquals(I2cProbe.Outcome.BMP280, probe.bme280(1, 0x77).outcome());
    }

    @Test
    void anotherBoschIdIsNamed() {
        mock.presetI2c(0x77, chip -> chip.writeRegister(0xD0, (byte) 0x61));
        assertEquals(new I2cProbe.Finding(I2cProbe.Outcome.OTHER_CHIP, 0x61, "that is a BME680 or BME688"),
                probe.bme280(1, 0x77));
    }

    @Test
    void aReadThatFailsIsNoAnswerWithTheReason() {
        mock.presetI2c(0x76, chip -> { }); // the mock fails every read, as an address without a chip does
        I2cProbe.Finding f = probe.bme280(1, 0x76);
        assertEquals(I2cProbe.Outcome.NO_ANSWER, f.outcome());
        assertEquals(-1, f.chipId());
        assertEquals("No available data to read", f.detail());
    }

    @Test
    void theDeviceIsReleasedAfterEachProbeSoTheSameAddressCanBeProbedAgain() {
        mock.presetI2c(0x76, chip -> chip.writeRegister(0xD0, (byte) 0x60));
        assertEquals(I2cProbe.Outcome.BME280, probe.bme280(1, 0x76).outcome());
        assertEquals(I2cProbe.Outcome.BME280, probe.bme280(1, 0x76).outcome());
        assertTrue(mock.context.registry().all().isEmpty(), mock.context.registry().all().keySet().toString());
    }

    @Test
    void aBusThatCannotBeOpenedIsUnavailableWithTheAdviceForItsNode() {
        mock.failCreate(new Pi4JException("Sysfs validation failed for I2C bus 3"));
        I2cProbe.Finding f = probe.bme280(3, 0x76);
        assertEquals(I2cProbe.Outcome.UNAVAILABLE, f.outcome());
        assertTrue(f.detail().startsWith("no " + dev.resolve("i2c-3") + ": enable I2C"), f.detail());
    }

    /** On a machine that is not a Pi, Pi4J's native layer fails as the context starts: a finding, not an exception. */
    @Test
    void pi4jThatCannotStartFailsSoftWithTheNativeAdvice() {
        Pi4jBoard broken = new Pi4jBoard(p -> {
            throw new UnsatisfiedLinkError("/tmp/libpi4j-linuxfs.so: wrong ELF class: ELFCLASS32");
        }, dev);
        try (I2cProbe p = new I2cProbe(broken)) {
            I2cProbe.Finding f = p.bme280(1, 0x76);
            assertEquals(I2cProbe.Outcome.UNAVAILABLE, f.outcome());
            assertTrue(f.detail().startsWith("Pi4J's native code does not load on this machine ("), f.detail());
        }
    }

    @Test
    void closingTheProbeShutsItsBoardSoNothingMoreIsOpened() {
        probe.close();
        I2cProbe.Finding f = probe.bme280(1, 0x76);
        assertEquals(new I2cProbe.Finding(I2cProbe.Outcome.UNAVAILABLE, -1, "Pi4J is shut down"), f);
        assertFalse(mock.exists("detect-i2c-1-76-1"));
    }
}

package io.sensorcast.sensor.pi4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pi4j.exception.Pi4JException;
import io.sensorcast.sensor.sysfs.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceAdviceTest {

    /** What a GPIO device says on a board Pi4J does not know, its cause being "No gpio chip yet initialized!". */
    static final String UNKNOWN_BOARD = "Pi4J does not recognise this board as a Raspberry Pi (it goes by /proc/cpuinfo's Revision and "
            + "/proc/device-tree/model), and its GPIO driver works only on one it knows (No gpio chip yet initialized!)";

    @TempDir
    Path dev;

    @Test
    void aNodeThatDoesNotExistIsMissingAndOneThatDoesIsPresent() throws IOException {
        assertEquals(DeviceAdvice.Access.MISSING, DeviceAdvice.access(dev.resolve("i2c-1")));
        Files.createFile(dev.resolve("i2c-1"));
        assertEquals(DeviceAdvice.Access.PRESENT, DeviceAdvice.access(dev.resolve("i2c-1")));
    }

    @Test
    void aMissingI2cBusSaysToEnableI2c() {
        String message = DeviceAdvice.cannotOpen(Peripheral.I2C, Path.of("/dev/i2c-1"), DeviceAdvice.Access.MISSING,
                new Pi4JException("Sysfs validation failed for I2C bus 1"));
        assertEquals("no /dev/i2c-1: enable I2C (sudo raspi-config, Interface Options, I2C; or dtparam=i2c_arm=on in "
                + "/boot/firmware/config.txt) and reboot", message);
    }

    @Test
    void aMissingSpiDeviceSaysToEnableSpi() {
        String message = DeviceAdvice.cannotOpen(Peripheral.SPI, Path.of("/dev/spidev0.0"), DeviceAdvice.Access.MISSING,
                new RuntimeException("Failed to open SPI device /dev/spidev0.0"));
        assertTrue(message.startsWith("no /dev/spidev0.0: enable SPI (sudo raspi-config"), message);
    }

    @Test
    void aNodeWithoutPermissionSaysWhichGroupToJoin() {
        // The group comes from the node when it exists; this one does not, so it is the usual one.
        String message = DeviceAdvice.cannotOpen(Peripheral.I2C, dev.resolve("i2c-1"), DeviceAdvice.Access.NO_ACCESS,
                new Pi4JException("Devfs validation failed for I2C bus 1: path '/dev/i2c-1' is not readable."));
        assertEquals("permission denied on " + dev.resolve("i2c-1") + ": add the user to group i2c (sudo usermod -aG i2c "
                + System.getProperty("user.name") + "), then log in again or restart the service", message);
    }

    @Test
    void aGpioChipWithoutPermissionSaysToJoinGroupGpio() {
        String message = DeviceAdvice.cannotOpen(Peripheral.GPIO, dev.resolve("gpiochip0"), DeviceAdvice.Access.NO_ACCESS,
                new IllegalStateException("Couldn't identify gpiochip!"));
        assertTrue(message.contains("add the user to group gpio"), message);
    }

    @Test
    void aPresentNodeGivesTheInnermostReason() {
        Pi4JException e = new Pi4JException("Failed to execute action for device 118 on bus 1",
                new IOException("Remote I/O error"));
        assertEquals("cannot open /dev/i2c-1: Remote I/O error",
                DeviceAdvice.cannotOpen(Peripheral.I2C, Path.of("/dev/i2c-1"), DeviceAdvice.Access.PRESENT, e));
    }

    @Test
    void aNativeLibraryThatDoesNotLoadSaysTheDriversNeedAPi() {
        RuntimeException e = new RuntimeException("init failed", new UnsatisfiedLinkError("no pi4j-linuxfs in java.library.path"));
        String message = DeviceAdvice.cannotOpen(Peripheral.I2C, Path.of("/dev/i2c-1"), DeviceAdvice.Access.PRESENT, e);
        assertTrue(message.startsWith("Pi4J's native code does not load on this machine (" + System.getProperty("os.arch")
                + ": no pi4j-linuxfs in java.library.path)"), message);
        assertTrue(message.endsWith("run on a Raspberry Pi with 32- or 64-bit Raspberry Pi OS"), message);
    }

    @Test
    void withoutLabelsTheGpioNodeIsTheFirstChipOrChip0WhenThereIsNone() throws IOException {
        assertEquals(dev.resolve("gpiochip0"), DeviceAdvice.gpioNode(null, dev));
        Files.createFile(dev.resolve("gpiochip4"));
        Files.createFile(dev.resolve("gpiochip10"));
        assertEquals(dev.resolve("gpiochip4"), DeviceAdvice.gpioNode(null, dev)); // by number
    }

    @Test
    void onAPi5WhoseHeaderIsGpiochip4TheAdviceNamesThatChipNotGpiochip0() throws IOException {
        for (int i = 0; i <= 4; i++) {
            Files.createFile(dev.resolve("gpiochip" + i));
        }
        assertEquals(dev.resolve("gpiochip4"), DeviceAdvice.gpioNode(Fixtures.tree("sysfs/pi5-gpiochip4"), dev));
    }

    @Test
    void theRootMessageSkipsBlankMessages() {
        RuntimeException e = new RuntimeException("outer", new RuntimeException(new IOException("Permission denied")));
        assertEquals("Permission denied", DeviceAdvice.rootMessage(e));
        assertEquals("IllegalStateException", DeviceAdvice.rootMessage(new IllegalStateException()));
    }
}

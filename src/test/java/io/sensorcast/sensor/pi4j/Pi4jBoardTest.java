package io.sensorcast.sensor.pi4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.plugin.mock.provider.i2c.MockI2CProvider;
import io.sensorcast.testing.UnlistableDirectories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Pi4jBoardTest {

    @TempDir
    Path dev;

    /**
     * The production board builds its contexts on this machine too (no device is opened). The mock
     * plugin is on the test class path, so auto-detection would bring its providers in: the
     * contexts must hold only the provider chosen for each peripheral.
     */
    @Test
    void eachPeripheralGetsExactlyItsChosenProviderAndNoAutoDetectedOne() throws IOException {
        try (Pi4jBoard board = Pi4jBoard.raspberryPi()) {
            assertEquals(Set.of("gpiod-digital-input"), board.context(Peripheral.GPIO).providers().all().keySet());
            assertEquals(Set.of("linuxfs-i2c"), board.context(Peripheral.I2C).providers().all().keySet());
            assertEquals(Set.of("linuxfs-spi"), board.context(Peripheral.SPI).providers().all().keySet());
            assertTrue(board.context(Peripheral.I2C).platforms().all().isEmpty(), "no platform auto-detected");
        }
    }

    @Test
    void aContextIsBuiltOncePerPeripheralAndShutDownOnClose() throws IOException {
        AtomicInteger built = new AtomicInteger();
        Pi4jBoard board = new Pi4jBoard(p -> {
            built.incrementAndGet();
            return Pi4J.newContextBuilder().noAutoDetect().add(MockI2CProvider.newInstance()).build();
        }, dev);
        Context i2c = board.context(Peripheral.I2C);
        assertSame(i2c, board.context(Peripheral.I2C));
        Context spi = board.context(Peripheral.SPI);
        assertNotSame(i2c, spi);
        assertEquals(2, built.get());
        board.close();
        assertTrue(i2c.isShutdown());
        assertTrue(spi.isShutdown());
        board.close();
    }

    @Test
    void aClosedBoardOpensNothing() {
        Pi4jBoard board = Pi4jBoard.raspberryPi();
        board.close();
        IOException e = assertThrows(IOException.class, () -> board.context(Peripheral.I2C));
        assertEquals("Pi4J is shut down", e.getMessage());
    }

    @Test
    void aGpioProviderThatFailsToStartGivesAdviceAndIsTriedAgainNextTime() throws IOException {
        AtomicInteger attempts = new AtomicInteger();
        Pi4jBoard board = new Pi4jBoard(p -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("Couldn't identify gpiochip!");
            }
            return Pi4J.newContextBuilder().noAutoDetect().build();
        }, dev);
        try (board) {
            IOException e = assertThrows(IOException.class, () -> board.context(Peripheral.GPIO));
            assertTrue(e.getMessage().startsWith("cannot start GPIO: no " + dev.resolve("gpiochip0") + ": this kernel offers "
                    + "no GPIO character device"), e.getMessage());
            board.context(Peripheral.GPIO);
            assertEquals(2, attempts.get());
        }
    }

    @Test
    void gpioOnABoardPi4jDoesNotKnowSaysSoPlainly() throws IOException {
        Files.createFile(dev.resolve("gpiochip0"));
        Pi4jBoard board = new Pi4jBoard(p -> {
            throw new IllegalStateException("No gpio chip yet initialized!");
        }, null, dev, () -> false);
        try (board) {
            IOException e = assertThrows(IOException.class, () -> board.context(Peripheral.GPIO));
            assertEquals("cannot start GPIO: " + DeviceAdviceTest.UNKNOWN_BOARD, e.getMessage());
        }
    }

    /** A device's channel message is this IOException's: what Pi4J said and why the chips could not be looked at. */
    @Test
    void aGpioProviderThatFailsWhereTheChipsCannotBeListedSaysSoInItsError() {
        Pi4jBoard board = new Pi4jBoard(p -> {
            throw new IllegalStateException("Couldn't identify gpiochip!");
        }, UnlistableDirectories.view(dev));
        try (board) {
            IOException e = assertThrows(IOException.class, () -> board.context(Peripheral.GPIO));
            assertEquals("cannot start GPIO: Couldn't identify gpiochip! (the GPIO chips could not be looked at: cannot list "
                    + dev + ": " + UnlistableDirectories.EOVERFLOW + ")", e.getMessage());
        }
    }

    @Test
    void aSharedContextIsShutDownOnceWhenTheBoardCloses() throws IOException {
        Context context = Pi4J.newContextBuilder().noAutoDetect().build();
        Pi4jBoard board = Pi4jBoard.sharing(context, dev);
        assertSame(board.context(Peripheral.I2C), board.context(Peripheral.GPIO));
        board.close();
        assertTrue(context.isShutdown());
    }
}

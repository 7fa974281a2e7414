package io.sensorcast.sensor.pi4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.sensor.sysfs.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The header's GPIO chip found by its label in captured sysfs trees, with /dev made per test
 * (regular files stand for the character devices; nothing here opens them).
 *
 * <p>The trees hold what the legacy GPIO class shows, seen through its links:
 * {@code class/gpio/gpiochipBASE/{label,base,ngpio}} and {@code device/gpiochipN}. Chip numbers,
 * labels and line counts are gpiodetect's on a Pi 5 before and after raspberrypi/linux pull request
 * 6144 (Raspberry Pi OS kernel 6.6.45; the listings in that pull request and in WiringPi issue 280)
 * and on a Pi 4 (WiringPi issue 280: gpiochip0 [pinctrl-bcm2711] (58 lines), gpiochip1
 * [raspberrypi-exp-gpio] (8 lines)); the bases are the dynamic ones from 512 up that 6.6 kernels
 * give (the Pi 5's RP1 at 571: the SoC's 32 + 4 + 17 + 6 lines come first).
 */
class GpioChipsTest {

    @TempDir
    Path tmp;
    Path dev;
    Path sys;

    @BeforeEach
    void dirs() throws IOException {
        dev = Files.createDirectories(tmp.resolve("dev"));
        sys = tmp.resolve("sys");
    }

    private void nodes(String... names) throws IOException {
        for (String n : names) {
            Files.createFile(dev.resolve(n));
        }
    }

    private static List<String> described(GpioChips chips) {
        return chips.all().stream().map(GpioChips.Chip::toString).toList();
    }

    @Test
    void aPi5WithACurrentKernelHasTheHeaderOnGpiochip0AndRaspberryPiOsLinkFromGpiochip4() throws IOException {
        nodes("gpiochip0", "gpiochip10", "gpiochip11", "gpiochip12", "gpiochip13");
        Files.createSymbolicLink(dev.resolve("gpiochip4"), Path.of("gpiochip0"));
        GpioChips chips = GpioChips.find(Fixtures.tree("sysfs/pi5"), dev);
        assertEquals(List.of("gpiochip0 [pinctrl-rp1]", "gpiochip4 [pinctrl-rp1]",
                "gpiochip10 [gpio-brcmstb@107d508500 or gpio-brcmstb@107d508520]",
                "gpiochip11 [gpio-brcmstb@107d508500 or gpio-brcmstb@107d508520]",
                "gpiochip12 [gpio-brcmstb@107d517c00 or gpio-brcmstb@107d517c20]",
                "gpiochip13 [gpio-brcmstb@107d517c00 or gpio-brcmstb@107d517c20]"), described(chips));
        assertEquals(dev.resolve("gpiochip0"), chips.header().orElseThrow().node());
        assertEquals("gpiochip0", chips.all().get(1).aliasOf());
        assertTrue(chips.labelsKnown());
        assertEquals("gpiochip0", chips.pi4jChoice().orElseThrow().name());
    }

    @Test
    void aPi5WithTheKernelItShippedWithHasTheHeaderOnGpiochip4() throws IOException {
        nodes("gpiochip0", "gpiochip1", "gpiochip2", "gpiochip3", "gpiochip4");
        GpioChips chips = GpioChips.find(Fixtures.tree("sysfs/pi5-gpiochip4"), dev);
        assertEquals("gpiochip4 [pinctrl-rp1]", chips.header().orElseThrow().toString());
        assertEquals("gpiochip4", chips.pi4jChoice().orElseThrow().name());
    }

    @Test
    void aPi4HasTheHeaderOnGpiochip0AndTheFirmwaresExpanderBesideIt() throws IOException {
        nodes("gpiochip0", "gpiochip1");
        GpioChips chips = GpioChips.find(Fixtures.tree("sysfs/pi4"), dev);
        assertEquals(List.of("gpiochip0 [pinctrl-bcm2711]", "gpiochip1 [raspberrypi-exp-gpio]"), described(chips));
        assertEquals("gpiochip0", chips.header().orElseThrow().name());
    }

    @Test
    void aPi3sChipIsLabelledPinctrlBcm2835() throws IOException {
        Fixtures.write(sys.resolve("class/gpio/gpiochip504/label"), "pinctrl-bcm2835\n");
        Files.createDirectories(sys.resolve("class/gpio/gpiochip504/device/gpiochip0"));
        nodes("gpiochip0");
        assertEquals("gpiochip0 [pinctrl-bcm2835]", GpioChips.find(sys, dev).header().orElseThrow().toString());
    }

    @Test
    void withoutTheLegacyGpioClassTheLabelsAreUnknownAndNoChipIsClaimedToBeTheHeader() throws IOException {
        nodes("gpiochip0", "gpiochip4");
        GpioChips chips = GpioChips.find(tmp.resolve("no-sys"), dev);
        assertEquals(List.of("gpiochip0", "gpiochip4"), described(chips));
        assertFalse(chips.labelsKnown());
        assertTrue(chips.header().isEmpty());
    }

    @Test
    void theGpioDevicesNameTheHeadersChipAndRefuseABoardWithoutOne() throws IOException {
        nodes("gpiochip0", "gpiochip1", "gpiochip2", "gpiochip3", "gpiochip4");
        assertEquals(" on gpiochip4 [pinctrl-rp1]",
                GpioPin.onHeader(GpioChips.find(Fixtures.tree("sysfs/pi5-gpiochip4"), dev), "door", 17));

        Fixtures.write(sys.resolve("class/gpio/gpiochip512/label"), "gpio-mockup-A\n");
        Files.createDirectories(sys.resolve("class/gpio/gpiochip512/device/gpiochip0"));
        Files.delete(dev.resolve("gpiochip1"));
        Files.delete(dev.resolve("gpiochip2"));
        Files.delete(dev.resolve("gpiochip3"));
        Files.delete(dev.resolve("gpiochip4"));
        IOException e = assertThrows(IOException.class, () -> GpioPin.onHeader(GpioChips.find(sys, dev), "door", 17));
        assertEquals("door: cannot use GPIO 17 (BCM): no GPIO chip here drives the 40-pin header (its label would be one "
                + "of pinctrl-rp1, pinctrl-bcm2711, pinctrl-bcm2835); the chips are gpiochip0 [gpio-mockup-A]; the gpio "
                + "and counter devices are for a Raspberry Pi's header", e.getMessage());
    }

    @Test
    void anotherPinctrlChipThatPi4jWouldTakeFirstIsRefused() throws IOException {
        Fixtures.write(sys.resolve("class/gpio/gpiochip512/label"), "pinctrl-rp1\n");
        Files.createDirectories(sys.resolve("class/gpio/gpiochip512/device/gpiochip2"));
        Fixtures.write(sys.resolve("class/gpio/gpiochip600/label"), "pinctrl-other\n");
        Files.createDirectories(sys.resolve("class/gpio/gpiochip600/device/gpiochip10"));
        nodes("gpiochip2", "gpiochip10"); // "gpiochip10" sorts before "gpiochip2", as libgpiod's scandir does
        IOException e = assertThrows(IOException.class, () -> GpioPin.onHeader(GpioChips.find(sys, dev), "wind", 5));
        assertEquals("wind: cannot use GPIO 5 (BCM): the header's chip is gpiochip2 [pinctrl-rp1], but Pi4J would use "
                + "gpiochip10 [pinctrl-other] (the first chip whose label has \"pinctrl\")", e.getMessage());
    }
}

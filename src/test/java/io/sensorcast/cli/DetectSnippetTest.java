package io.sensorcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.config.ConfigLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pieces of detect's output that are pure functions: the snippet's sections and ids, the access advice. */
class DetectSnippetTest {

    @Test
    void valuesThatTheFormatWouldMisreadAreQuotedAndReadBackUnchanged() {
        assertEquals("/sys/bus/iio/devices/iio:device0", ConfigSnippet.quote("/sys/bus/iio/devices/iio:device0"));
        for (String v : List.of("/tmp/a b/x", "a #b", "a;b", " lead", "q\"uote", "back\\slash", "")) {
            String section = ConfigSnippet.section("x", "type", "sysfs", "path", v);
            ConfigLoader.Result r = ConfigLoader.fromTexts(Map.of("f", section));
            assertTrue(r.ok(), v + ": " + r.errors());
            assertEquals(v, r.config().devices().get(0).string("path"), section);
        }
    }

    @Test
    void idsAreSanitisedToTheIdAlphabetAndNumberedWhenTaken() {
        assertEquals("bme280-temperature", ConfigSnippet.sanitize("BME280 temperature"));
        assertEquals("iio-device0", ConfigSnippet.sanitize("-iio:device0"));
        assertEquals(32, ConfigSnippet.sanitize("a".repeat(40)).length());
        ConfigSnippet s = new ConfigSnippet(List.of());
        assertEquals("t", s.device("t", null, "type", "sim"));
        assertEquals("t-2", s.device("t", null, "type", "sim"));
        String long32 = "a".repeat(32);
        assertEquals(long32, s.device(long32, null, "type", "sim"));
        assertEquals("a".repeat(30) + "-2", s.device(long32, null, "type", "sim"));
        assertEquals(List.of("t", "t-2", long32, "a".repeat(30) + "-2"), s.ids());
    }

    @Test
    void aSecondDeviceOnTheSameHardwareIsACommentNotASection() {
        ConfigSnippet s = new ConfigSnippet(List.of());
        assertEquals("a", s.device("a", null, "type", "w1", "sensor", "28-0000075d5c1a"));
        assertNull(s.device("b", null, "type", "w1", "sensor", "28-0000075d5c1a"));
        assertTrue(s.text().endsWith("# already configured: 1-Wire sensor 28-0000075d5c1a, by device a (above)\n"), s.text());
    }

    @Test
    void aSectionTheLoaderRejectsIsPrintedCommentedOutWithTheReason() {
        ConfigSnippet s = new ConfigSnippet(List.of());
        assertNull(s.device("bad", null, "type", "w1", "sensor", "not-a-serial"));
        assertTrue(s.text().startsWith("# left out, the configuration would not accept it: 'not-a-serial' is not a DS18B20 id"),
                s.text());
        assertTrue(s.text().contains("# [device.bad]\n# type   = w1\n"), s.text());
        assertTrue(ConfigLoader.fromTexts(Map.of("f", s.text())).ok());
    }

    @Test
    void theAdviceNamesTheNodesGroupOrTheUsualOneWhenRootOwnsIt() {
        assertEquals("not accessible to user pi: owned by group i2c (rw-rw----): sudo usermod -aG i2c $USER, then log in again",
                DeviceNodes.advice("pi", "i2c", "rw-rw----", "i2c"));
        String root = DeviceNodes.advice("pi", "root", "rw-------", "spi");
        assertTrue(root.startsWith("not accessible to user pi: owned by group root (rw-------), not spi as Raspberry Pi OS"), root);
        assertTrue(root.contains("sudo usermod -aG spi $USER"), root);
        assertTrue(DeviceNodes.advice("pi", null, null, "gpio").contains("sudo usermod -aG gpio $USER"));
    }

    @Test
    void nodesSortWithTheirNumbersAsNumbers() {
        List<String> names = new ArrayList<>(List.of("i2c-10", "i2c-2", "spidev1.0", "spidev0.10", "spidev0.2", "gpiochip4", "gpiochip0"));
        names.sort(DeviceNodes::naturalOrder);
        assertEquals(List.of("gpiochip0", "gpiochip4", "i2c-2", "i2c-10", "spidev0.2", "spidev0.10", "spidev1.0"), names);
    }
}

package io.sensorcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.sensor.sysfs.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sensorcast detect} through {@link Main#run}, as a person runs it: a configuration file
 * whose paths.* point at the captured Pi 4 tree and a device directory made here. The production
 * wiring is used throughout, real access check and real probe included; the probe declines
 * because paths.dev is not /dev, which is also what keeps these tests off any real I2C bus.
 */
class DetectMainTest {

    private static final Path PI4 = Fixtures.tree("sysfs/pi4");
    private static final Path PROC = Fixtures.tree("procfs/pi4");

    @TempDir
    Path tmp;
    Path dev;
    Path config;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void board() throws IOException {
        dev = Files.createDirectories(tmp.resolve("dev"));
        Files.createFile(dev.resolve("i2c-1"));
        Files.createFile(dev.resolve("spidev0.0"));
        Files.createFile(dev.resolve("gpiochip0"));
        config = tmp.resolve("etc/sensorcast.conf");
        Fixtures.write(config, "paths.sysfs = " + PI4 + "\npaths.procfs = " + PROC + "\npaths.dev = " + dev + "\n");
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void detectExits0AndReportsEverySectionOfTheTreeItsConfigurationNames() {
        assertEquals(0, run("detect", "--config", config.toString()));
        String o = stdout();
        assertTrue(o.startsWith("sensorcast detect: sysfs " + PI4 + ", procfs " + PROC + ", device nodes " + dev + ", as user "), o);
        for (String section : new String[] {"Thermal zones", "hwmon chips", "IIO devices", "1-Wire thermometers (DS18B20)",
                "I2C buses", "SPI devices", "GPIO chips", "Pi firmware flags"}) {
            assertTrue(o.contains("\n" + section + "\n"), section + " missing from\n" + o);
        }
        assertTrue(o.contains("\n# paste into " + tmp.resolve("etc/conf.d/50-detected.conf") + "\n"), o);
        assertEquals("", stderr());
    }

    @Test
    void withAStandInDevTreeTheRealProbeDeclinesAndSaysWhyInsteadOfReadingRealBuses() {
        assertEquals(0, run("detect", "--config", config.toString()));
        assertTrue(stdout().contains("  " + dev.resolve("i2c-1") + ": accessible\n"
                + "    could not probe: paths.dev is " + dev + ", and Pi4J opens the buses under /dev\n"), stdout());
    }

    /** The whole loop a person follows: run detect, paste the snippet where it says, run check. */
    @Test
    void theSnippetPastedWhereDetectSaysPassesCheckWhichListsItsChannels() throws IOException {
        assertEquals(0, run("detect", "--config", config.toString()));
        String o = stdout();
        String pasteLine = o.lines().filter(l -> l.startsWith("# paste into ")).findFirst().orElseThrow();
        Path target = Path.of(pasteLine.substring("# paste into ".length()));
        Fixtures.write(target, DetectCommandTest.snippetOf(o));

        assertEquals(0, run("check", "--config", config.toString()), stderr());
        String check = stdout();
        assertTrue(check.startsWith("configuration OK: " + config + ", " + target + "\n"), check);
        assertTrue(check.contains("8 devices:"), check);
        for (String channel : new String[] {"cpu.temperature", "pi.under_voltage", "probe_75d5c1a.temperature",
                "probe_6071e2b.temperature", "bme280-temperature.temperature", "bme280-humidity.humidity",
                "bme280-pressure.pressure", "mcp3008-voltage0.voltage0"}) {
            assertTrue(check.contains("    " + channel + " "), channel + " missing from\n" + check);
        }
    }

    @Test
    void anInvalidConfigurationExits1WithItsMistakesAndDetectsNothing() throws IOException {
        Fixtures.write(config, "paths.sysfs = " + PI4 + "\npaths.dve = " + dev + "\n");
        assertEquals(1, run("detect", "--config", config.toString()));
        assertEquals("", stdout());
        assertTrue(stderr().contains(config + ":2: paths.dve: unknown key (did you mean 'paths.dev'?)"), stderr());
        assertTrue(stderr().contains("sensorcast: 1 mistake in the configuration; nothing changed"), stderr());
    }

    @Test
    void aConfigFileThatDoesNotExistExits1() {
        assertEquals(1, run("detect", "--config", tmp.resolve("nope.conf").toString()));
        assertTrue(stderr().contains(tmp.resolve("nope.conf") + ": no such file"), stderr());
    }

    @Test
    void detectTakesOnlyConfigAndAnythingElseExits2() {
        assertEquals(2, run("detect", "--port", "8081"));
        assertEquals("sensorcast: detect takes only --config (try --help)\n", stderr());
        assertEquals(2, run("detect", "--ws-echo"));
        assertEquals("sensorcast: detect takes only --config (try --help)\n", stderr());
        assertEquals(2, run("detect", "--keys"));
        assertEquals(2, run("detect", "extra"));
    }

    @Test
    void theUsageAndTheUnknownCommandMessageNameDetect() {
        assertEquals(0, run("--help"));
        assertTrue(stdout().contains("sensorcast detect [--config FILE]"), stdout());
        assertEquals(2, run("detet"));
        assertEquals("sensorcast: unknown command 'detet' (commands: run, check, detect, notify-test) (try --help)\n", stderr());
    }

    @Test
    void aMainlineTreeThroughMainHasNoGetThrottledLine() throws IOException {
        Fixtures.write(config, "paths.sysfs = " + Fixtures.tree("sysfs/pi4-mainline") + "\npaths.procfs = " + PROC
                + "\npaths.dev = " + dev + "\n");
        assertEquals(0, run("detect", "--config", config.toString()));
        assertFalse(stdout().contains("get_throttled"), stdout());
    }
}

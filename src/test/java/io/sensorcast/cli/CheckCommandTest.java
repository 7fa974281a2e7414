package io.sensorcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `sensorcast check`: exit 0 and a summary when valid, exit 1 and every mistake when not. */
class CheckCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path config(String text) throws Exception {
        Path f = dir.resolve("sensorcast.conf");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void aValidConfigurationExitsZeroAndSaysWhatWouldRun() throws Exception {
        Path f = config("""
                http.port = 9000
                server.name = shed
                [device.greenhouse]
                type = bme280
                address = 0x77
                [device.walk]
                type = sim
                signal = random-walk
                mode = on-demand
                [alert.greenhouse-frost]
                channel = greenhouse.temperature
                below = 2
                for = 10m
                """);
        assertEquals(0, run("check", "--config", f.toString()), err());
        String o = out();
        assertTrue(o.startsWith("configuration OK: " + f + "\n"), o);
        assertTrue(o.contains("server: http://0.0.0.0:9000/ as \"shed\""), o);
        assertTrue(o.contains("  greenhouse (bme280, every 5s, continuous)\n"), o);
        assertTrue(o.contains("    greenhouse.pressure"), o);
        assertTrue(o.contains("  walk (sim, every 1s, on demand)\n"), o);
        assertTrue(o.contains("4 alert rules:\n"), o);
        assertTrue(o.contains("  greenhouse-frost: greenhouse.temperature below 2 for 10m (warning, " + f + ":11)\n"), o);
        assertTrue(o.contains("  cpu-hot: cpu.temperature above 80 (clears at 75) for 1m (warning, built-in)\n"), o);
        assertEquals("", err());
    }

    @Test
    void mistakesExitOneAndAreAllListedWithFileLineAndKey() throws Exception {
        Path f = config("""
                http.port = 80000
                [device.greenhouse]
                type = bme280
                adress = 0x76
                """);
        assertEquals(1, run("check", "--config", f.toString()));
        assertEquals(f + ":1: http.port: 80000 is out of range; allowed 1 to 65535\n"
                + f + ":4: device.greenhouse.adress: unknown key for a bme280 device (did you mean 'address'?)\n"
                + "sensorcast: 2 mistakes in the configuration; nothing changed\n", err());
        assertEquals("", out());
    }

    @Test
    void aConfDFileBesideTheMainFileIsReadAndNamedInItsMistakes() throws Exception {
        Path f = config("http.port = 9000\n");
        Files.createDirectories(dir.resolve("conf.d"));
        Path part = dir.resolve("conf.d/10-door.conf");
        Files.writeString(part, "device.door.type = gpio\n");
        assertEquals(1, run("check", "--config", f.toString()));
        assertTrue(err().startsWith(part + ":1: device.door.pin: missing: a gpio device needs pin"), err());
    }

    @Test
    void aNamedConfigThatDoesNotExistIsAMistake() {
        Path missing = dir.resolve("nope.conf");
        assertEquals(1, run("check", "--config", missing.toString()));
        assertTrue(err().startsWith(missing + ": no such file\n"), err());
    }

    @Test
    void checkTakesOnlyConfig() {
        assertEquals(2, run("check", "--port", "80"));
        assertEquals("sensorcast: check takes only --config (try --help)\n", err());
        err.reset();
        assertEquals(2, run("check", "--ws-echo"));
        assertEquals("sensorcast: check takes only --config (try --help)\n", err());
    }

    @Test
    void theServeCommandRefusesAnInvalidConfigurationBeforeStartingAnything() throws Exception {
        Path f = config("ws.echo = perhaps\n");
        assertEquals(1, run("--config", f.toString(), "--port", "0"));
        assertTrue(err().contains(":1: ws.echo: 'perhaps' is not a boolean"), err());
    }

    @Test
    void keysPrintsTheReferenceOfEveryKey() {
        assertEquals(0, run("check", "--keys"));
        assertTrue(out().contains("| `http.port` | `8080` |"), out());
        assertTrue(out().contains("#### `type = bme280`"), out());
    }

    @Test
    void anUnknownCommandIsAUsageError() {
        assertEquals(2, run("chek"));
        assertEquals("sensorcast: unknown command 'chek' (commands: run, check, detect, notify-test) (try --help)\n", err());
    }
}

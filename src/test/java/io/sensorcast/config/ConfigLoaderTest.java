package io.sensorcast.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.testing.UnlistableDirectories;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    private static ConfigLoader.Result one(String text) {
        return ConfigLoader.fromTexts(Map.of("sensorcast.conf", text));
    }

    private static List<String> messages(ConfigLoader.Result r) {
        return r.errors().stream().map(ConfigError::toString).toList();
    }

    @Test
    void emptyFileGivesDefaultsAndTheBuiltInDevices() {
        ConfigLoader.Result r = one("# nothing set\n");
        assertTrue(r.ok(), messages(r).toString());
        assertEquals(8080, r.config().settings().port);
        assertEquals("0.0.0.0", r.config().settings().bind);
        assertEquals(List.of("system", "sim"), r.config().devices().stream().map(DeviceConfig::id).toList());
    }

    @Test
    void serverKeysLandInSettingsWithTheirUnits() {
        ConfigLoader.Result r = one("""
                http.port = 8081
                http.bind = 127.0.0.1
                http.allowed_origins = http://a.lan, http://b.lan:3000
                ws.outbound_cap = 256KiB
                ws.ping_interval = 1m
                http.handshake_timeout = 500ms
                ws.echo = yes
                history.raw_window = 10m
                history.aggregate_window = 2d
                """);
        assertTrue(r.ok(), messages(r).toString());
        Settings s = r.config().settings();
        assertEquals(8081, s.port);
        assertEquals("127.0.0.1", s.bind);
        assertEquals(List.of("http://a.lan", "http://b.lan:3000"), s.allowedOrigins);
        assertEquals(256 * 1024, s.outboundCapBytes);
        assertEquals(Duration.ofMinutes(1), s.pingInterval);
        assertEquals(Duration.ofMillis(500), s.handshakeTimeout);
        assertTrue(s.wsEcho);
        assertEquals(Duration.ofMinutes(10), s.historyRawWindow);
        assertEquals(Duration.ofDays(2), s.historyAggregateWindow);
    }

    @Test
    void historyWindowsOutsideTheirLimitsAreRefused() {
        ConfigLoader.Result r = one("history.raw_window = 2d\nhistory.aggregate_window = 10m\n");
        assertFalse(r.ok());
        String all = messages(r).toString();
        assertTrue(all.contains("history.raw_window") && all.contains("history.aggregate_window"), all);
    }

    @Test
    void historyDirAndFlushIntervalAreCheckedWithFileLineAndKey() {
        ConfigLoader.Result ok = one("history.dir = /var/lib/sensorcast/history\nhistory.flush_interval = 30s\n");
        assertTrue(ok.ok(), messages(ok).toString());
        assertEquals("/var/lib/sensorcast/history", ok.config().settings().historyDir);
        assertEquals(java.time.Duration.ofSeconds(30), ok.config().settings().historyFlushInterval);
        assertEquals("none", one("history.dir = none\n").config().settings().historyDir);
        assertEquals(null, one("# nothing\n").config().settings().historyDir, "unset: the serve command picks the state directory");

        ConfigLoader.Result bad = one("# history\nhistory.dir = history\nhistory.flush_interval = 2h\n");
        List<String> m = messages(bad);
        assertEquals(2, m.size(), m.toString());
        assertTrue(m.get(0).startsWith("sensorcast.conf:2: history.dir: must be an absolute directory"), m.get(0));
        assertTrue(m.get(1).startsWith("sensorcast.conf:3: history.flush_interval: "), m.get(1));
    }

    @Test
    void sectionsAndDottedKeysDescribeTheSameDevice() {
        ConfigLoader.Result dotted = one("""
                device.greenhouse.type = bme280
                device.greenhouse.address = 0x77
                device.greenhouse.interval = 5s
                """);
        ConfigLoader.Result section = one("""
                [device.greenhouse]
                type = bme280
                address = 0x77   # the SDO pin is high
                interval = 5s
                """);
        assertTrue(dotted.ok(), messages(dotted).toString());
        assertTrue(section.ok(), messages(section).toString());
        assertEquals(dotted.config().devices().get(0).values(), section.config().devices().get(0).values());
        DeviceConfig d = section.config().devices().get(0);
        assertEquals(0x77, d.integer("address"));
        assertEquals(1, d.integer("bus"));
        assertEquals(Duration.ofSeconds(5), d.interval());
        assertEquals("greenhouse", d.name());
    }

    @Test
    void oneDefinedDeviceReplacesTheBuiltInOnes() {
        ConfigLoader.Result r = one("device.door.type = gpio\ndevice.door.pin = 17\n");
        assertTrue(r.ok(), messages(r).toString());
        assertEquals(List.of("door"), r.config().devices().stream().map(DeviceConfig::id).toList());
    }

    @Test
    void unknownKeyNamesFileLineKeyAndTheLikelyKey() {
        ConfigLoader.Result r = one("""
                device.greenhouse.type = bme280
                device.greenhouse.adress = 0x76
                """);
        assertEquals(List.of("sensorcast.conf:2: device.greenhouse.adress: unknown key for a bme280 device (did you mean 'address'?)"),
                messages(r));
        assertNull(r.config());
    }

    @Test
    void unknownServerKeySuggestsTheClosest() {
        assertEquals(List.of("sensorcast.conf:1: http.prot: unknown key (did you mean 'http.port'?)"),
                messages(one("http.prot = 80\n")));
    }

    @Test
    void wrongTypesSayWhatIsAccepted() {
        ConfigLoader.Result r = one("""
                http.port = eighty
                ws.ping_interval = 5 minutes
                ws.outbound_cap = lots
                ws.echo = maybe
                """);
        assertEquals(List.of(
                "sensorcast.conf:1: http.port: 'eighty' is not a whole number",
                "sensorcast.conf:2: ws.ping_interval: '5 minutes' is not a duration; write e.g. 500ms, 5s, 1m, 2h",
                "sensorcast.conf:3: ws.outbound_cap: 'lots' is not a size; write e.g. 512, 64KiB, 1MiB",
                "sensorcast.conf:4: ws.echo: 'maybe' is not a boolean; write true or false"), messages(r));
    }

    @Test
    void outOfRangeValuesGiveTheAllowedRange() {
        ConfigLoader.Result r = one("""
                http.port = 70000
                device.g.type = bme280
                device.g.address = 0x48
                device.t.type = sim
                device.t.interval = 0s
                """);
        assertEquals(List.of(
                "sensorcast.conf:1: http.port: 70000 is out of range; allowed 1 to 65535",
                "sensorcast.conf:3: device.g.address: 0x48 is out of range; allowed 0x76 to 0x77",
                "sensorcast.conf:5: device.t.interval: 0s is out of range; allowed 1ms to 1d"), messages(r));
    }

    @Test
    void missingRequiredKeysArePointedAtTheDevice() {
        ConfigLoader.Result r = one("""
                device.door.type = gpio
                device.probe.name = Probe
                """);
        assertEquals(List.of(
                "sensorcast.conf:1: device.door.pin: missing: a gpio device needs pin (BCM GPIO number (not the header pin))",
                "sensorcast.conf:2: device.probe.type: missing: every device needs a type (system, sim, sysfs, w1, bme280, mcp3008, gpio, counter, command)"),
                messages(r));
    }

    @Test
    void unknownDeviceTypeSuggestsTheClosest() {
        assertEquals(List.of("sensorcast.conf:1: device.g.type: unknown device type 'bme208' (did you mean 'bme280'?); "
                        + "known: system, sim, sysfs, w1, bme280, mcp3008, gpio, counter, command"),
                messages(one("device.g.type = bme208\n")));
    }

    @Test
    void twoDevicesOnOneGpioPinOrI2cAddressConflict() {
        ConfigLoader.Result r = one("""
                device.door.type = gpio
                device.door.pin = 17
                device.wind.type = counter
                device.wind.pin = 17
                device.a.type = bme280
                device.b.type = bme280
                device.c.type = bme280
                device.c.address = 0x77
                """);
        assertEquals(List.of(
                "sensorcast.conf:3: device.wind.type: GPIO 17 is already used by device door (sensorcast.conf:1)",
                "sensorcast.conf:6: device.b.type: I2C bus 1 address 0x76 is already used by device a (sensorcast.conf:5)"),
                messages(r));
    }

    @Test
    void aKeyTwiceInOneFileIsAMistakeButConfDOverrides() {
        Map<String, String> texts = new LinkedHashMap<>();
        texts.put("sensorcast.conf", "http.port = 8080\nhttp.port = 8081\n");
        assertEquals(List.of("sensorcast.conf:2: http.port: set twice in this file (first on line 1)"),
                messages(ConfigLoader.fromTexts(texts)));

        texts.put("sensorcast.conf", "http.port = 8080\n");
        texts.put("conf.d/10-port.conf", "http.port = 9090\n");
        ConfigLoader.Result r = ConfigLoader.fromTexts(texts);
        assertTrue(r.ok(), messages(r).toString());
        assertEquals(9090, r.config().settings().port);
    }

    @Test
    void syntaxErrorsAreReportedWithTheirLine() {
        ConfigLoader.Result r = one("""
                http.port 8080
                [device.greenhouse
                Http.Port = 1
                name = "unterminated
                """);
        assertEquals(List.of(
                "sensorcast.conf:1: expected 'key = value', found 'http.port 8080'",
                "sensorcast.conf:2: a section header looks like [device.greenhouse]",
                "sensorcast.conf:3: Http.Port: a key may hold only lower-case a-z, 0-9, '_', '-' and dots",
                "sensorcast.conf:4: name: the quoted value has no closing \""), messages(r));
    }

    @Test
    void everyMistakeIsReportedNotOnlyTheFirst() {
        ConfigLoader.Result r = one("""
                http.port = x
                http.bindd = 0.0.0.0
                device.a.type = nope
                """);
        assertEquals(3, r.errors().size(), messages(r).toString());
    }

    @Test
    void valuesKeepHashesThatAreNotComments() {
        ConfigLoader.Result r = one("""
                device.temp.type = command
                device.temp.command = vcgencmd measure_temp
                device.temp.pattern = temp=([0-9.]+)'C#x   # a comment
                """);
        assertTrue(r.ok(), messages(r).toString());
        assertEquals("temp=([0-9.]+)'C#x", r.config().devices().get(0).string("pattern"));
    }

    @Test
    void crossKeyRulesOfOneDevice() {
        ConfigLoader.Result r = one("""
                device.s.type = sysfs
                device.adc.type = mcp3008
                device.adc.inputs = 0, 9, 0
                device.cmd.type = command
                device.cmd.command = true
                device.cmd.pattern = ([0-9
                device.w.type = sim
                device.w.min = 10
                device.w.max = 5
                """);
        assertEquals(List.of(
                "sensorcast.conf:1: device.s.type: a sysfs device needs either path or iio_device (with iio_channel), not neither",
                "sensorcast.conf:3: device.adc.inputs: '9' is not a distinct input 0-7",
                "sensorcast.conf:3: device.adc.inputs: '0' is not a distinct input 0-7",
                "sensorcast.conf:6: device.cmd.pattern: not a regular expression: Unclosed character class",
                "sensorcast.conf:8: device.w.min: min 10.0 is above max 5.0"), messages(r));
    }

    @Test
    void simRateSetsTheInterval() {
        ConfigLoader.Result r = one("device.fast.type = sim\ndevice.fast.rate = 1000\n");
        assertTrue(r.ok(), messages(r).toString());
        assertEquals(Duration.ofMillis(1), r.config().devices().get(0).interval());
    }

    @Test
    void disabledDevicesAreValidatedButNotRun() {
        ConfigLoader.Result r = one("device.a.type = sim\ndevice.b.type = sim\ndevice.b.enabled = false\n");
        assertTrue(r.ok(), messages(r).toString());
        assertEquals(List.of("a"), r.config().devices().stream().map(DeviceConfig::id).toList());
    }

    @Test
    void filesAreReadMainFirstThenConfDInNameOrder(@TempDir Path dir) throws Exception {
        Path main = dir.resolve("sensorcast.conf");
        Files.writeString(main, "http.port = 8000\n");
        Files.createDirectories(dir.resolve("conf.d"));
        Files.writeString(dir.resolve("conf.d/20-b.conf"), "http.port = 8002\n");
        Files.writeString(dir.resolve("conf.d/10-a.conf"), "http.port = 8001\nhttp.bind = 127.0.0.1\n");
        Files.writeString(dir.resolve("conf.d/ignored.txt"), "http.port = 1\n");
        ConfigLoader.Result r = ConfigLoader.load(main, true);
        assertTrue(r.ok(), messages(r).toString());
        assertEquals(8002, r.config().settings().port);
        assertEquals("127.0.0.1", r.config().settings().bind);
        assertEquals(3, r.config().files().size());
    }

    @Test
    void aConfDThatCannotBeReadIsAnErrorNamingIt(@TempDir Path dir) throws Exception {
        Path main = dir.resolve("sensorcast.conf");
        Files.writeString(main, "http.port = 8000\n");
        Files.createDirectories(dir.resolve("conf.d"));
        ConfigLoader.Result r = ConfigLoader.load(UnlistableDirectories.view(main, d -> d.endsWith("conf.d")), true);
        assertFalse(r.ok());
        assertEquals(List.of(dir.resolve("conf.d") + ": cannot list: " + UnlistableDirectories.EOVERFLOW), messages(r));
    }

    @Test
    void aMissingFileIsBuiltInUnlessRequired(@TempDir Path dir) {
        Path absent = dir.resolve("none.conf");
        assertTrue(ConfigLoader.load(absent, false).ok());
        ConfigLoader.Result r = ConfigLoader.load(absent, true);
        assertFalse(r.ok());
        assertEquals(absent + ": no such file", r.errors().get(0).toString());
    }

    @Test
    void aKeyOfThousandsOfDottedWordsIsAnErrorNotAStackOverflow() {
        String key = "a" + ".a".repeat(20_000);
        ConfigLoader.Result r = one("[" + key + "]\n" + key + " = 1\n");
        assertFalse(r.ok());
        assertEquals(1, r.errors().size(), messages(r)::toString);
        assertTrue(messages(r).get(0).startsWith("sensorcast.conf:2: a.a.a."), messages(r)::toString);
        assertTrue(messages(r).get(0).endsWith(": unknown key"), "no suggestion for a key that long");
    }

    @Test
    void aMegabyteKeyGetsNoSuggestionWithinTheServersHeap() {
        // Edit distance to every known key would need a million-row table each: over the 64 MiB heap.
        String key = "x".repeat(1 << 20);
        assertEquals("", Suggestion.didYouMean(key, List.of("http.port", "http.bind", "server.name")));
        assertEquals(" (did you mean 'http.port'?)", Suggestion.didYouMean("http.prot", List.of("http.port")));
    }
}

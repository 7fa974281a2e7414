package io.sensorcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.sensorcast.config.ConfigError;
import io.sensorcast.config.ConfigLoader;
import io.sensorcast.config.DeviceConfig;
import io.sensorcast.config.Settings;
import io.sensorcast.sensor.Drivers;
import io.sensorcast.sensor.Sensor;
import io.sensorcast.sensor.pi4j.I2cProbe;
import io.sensorcast.sensor.sysfs.Fixtures;
import io.sensorcast.testing.UnlistableDirectories;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Detection against the captured Pi 4 tree and a device directory made per test. Nothing here
 * touches hardware: the chip-id probe is a stand-in ({@link FakeProbe}), and whether a node may be
 * opened is a predicate the test hands in, because the tests run as root here, where access(2)
 * grants everything whatever the mode (one test checks mode 000 with the real check when not root).
 */
class DetectCommandTest {

    private static final Path PI4 = Fixtures.tree("sysfs/pi4");
    private static final Path PROC = Fixtures.tree("procfs/pi4");

    @TempDir
    Path tmp;
    Path dev;

    /** Answers from a table; counts calls, and whether it was closed. */
    static class FakeProbe implements DetectCommand.ChipProbe {
        final Map<String, I2cProbe.Finding> answers = new HashMap<>();
        final List<String> asked = new ArrayList<>();
        boolean closed;

        FakeProbe answer(int bus, int address, I2cProbe.Outcome outcome, int chipId, String detail) {
            answers.put(bus + "/" + address, new I2cProbe.Finding(outcome, chipId, detail));
            return this;
        }

        @Override
        public I2cProbe.Finding bme280(int bus, int address) {
            asked.add(bus + "/" + Integer.toHexString(address));
            return answers.getOrDefault(bus + "/" + address,
                    new I2cProbe.Finding(I2cProbe.Outcome.NO_ANSWER, -1, "Remote I/O error"));
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @BeforeEach
    void fakeDevTree() throws IOException {
        dev = Files.createDirectories(tmp.resolve("dev"));
        Files.createFile(dev.resolve("i2c-1"));
        Files.createFile(dev.resolve("spidev0.0"));
        Files.createFile(dev.resolve("gpiochip0"));
    }

    private Settings settings(Path sysfs, Path procfs) {
        return Settings.builder().sysfsRoot(sysfs).procfsRoot(procfs).devRoot(dev).build();
    }

    private String detect(Path sysfs, Predicate<Path> mayOpen, FakeProbe probe, List<DeviceConfig> configured) {
        return detect(sysfs, PROC, mayOpen, probe, configured);
    }

    private String detect(Path sysfs, Path procfs, Predicate<Path> mayOpen, FakeProbe probe, List<DeviceConfig> configured) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        new DetectCommand(settings(sysfs, procfs), configured, tmp.resolve("etc/conf.d/50-detected.conf"), mayOpen, () -> probe, "pi")
                .run(out);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private String detect(FakeProbe probe) {
        return detect(PI4, node -> true, probe, List.of());
    }

    /** Everything after the paste line: what a person copies into conf.d. */
    static String snippetOf(String output) {
        int at = output.indexOf("# paste into ");
        assertTrue(at >= 0, output);
        return output.substring(output.indexOf('\n', at) + 1);
    }

    private static ConfigLoader.Result load(Map<String, String> texts) {
        return ConfigLoader.fromTexts(texts);
    }

    private String rootsText() {
        return "paths.sysfs = " + PI4 + "\npaths.procfs = " + PROC + "\npaths.dev = " + dev + "\n";
    }

    @Test
    void listsThermalZoneHwmonIioAndOneWireReadingsOfThePi4Tree() {
        String out = detect(new FakeProbe());
        assertTrue(out.contains("  thermal_zone0  cpu-thermal  48.686 °C\n"), out);
        assertTrue(out.contains("  hwmon0  cpu_thermal: temp1_input 48.686 °C\n"), out);
        assertTrue(out.contains("  hwmon1  rpi_volt: in0_lcrit_alarm 0\n"), out);
        assertTrue(out.contains("  iio:device0  bme280: in_humidityrelative 45.123 %, in_pressure 1009.349 hPa, in_temp 23.45 °C\n"), out);
        // mcp3008: raw 512 and 1023 times the shared in_voltage_scale 3.22265625 mV
        assertTrue(out.contains("  iio:device1  mcp3008: in_voltage0 1.65 V, in_voltage1 3.297 V\n"), out);
        assertTrue(out.contains("  28-0000075d5c1a  23.125 °C\n  28-3c01d6071e2b  26.062 °C\n"), out);
    }

    @Test
    void aPi4SaysItsModelAndThatGpiochip0IsTheHeadersChip() throws IOException {
        Files.createFile(dev.resolve("gpiochip1"));
        String out = detect(new FakeProbe());
        assertTrue(out.contains("\nBoard\n  Raspberry Pi 4 Model B Rev 1.4 (" + PROC.resolve("device-tree/model") + ")\n"), out);
        assertTrue(out.contains("GPIO chips\n  " + dev.resolve("gpiochip0") + " [pinctrl-bcm2711], the 40-pin header's chip: "
                + "accessible (what is on a pin cannot be probed: see the commented gpio and counter examples below)\n  "
                + dev.resolve("gpiochip1") + " [raspberrypi-exp-gpio]: accessible\n"), out);
    }

    /**
     * A Pi 5 with a current kernel: the header's RP1 is gpiochip0, Raspberry Pi OS links gpiochip4
     * to it, the SoC's chips are 10-13; and its hwmon chips show the fan and the RP1's ADC.
     */
    @Test
    void aPi5SaysItsModelTheHeadersChipByLabelItsFanAndTheRp1sAdc() throws IOException {
        for (String n : List.of("gpiochip10", "gpiochip11", "gpiochip12", "gpiochip13")) {
            Files.createFile(dev.resolve(n));
        }
        Files.createSymbolicLink(dev.resolve("gpiochip4"), Path.of("gpiochip0"));
        Path procfs = Fixtures.tree("procfs/pi5");
        String out = detect(Fixtures.tree("sysfs/pi5"), procfs, node -> true, new FakeProbe(), List.of());
        assertTrue(out.contains("\nBoard\n  Raspberry Pi 5 Model B Rev 1.0 (" + procfs.resolve("device-tree/model") + ")\n"), out);
        assertTrue(out.contains("GPIO chips\n  " + dev.resolve("gpiochip0") + " [pinctrl-rp1], the 40-pin header's chip: accessible"
                + " (what is on a pin cannot be probed: see the commented gpio and counter examples below)\n  "
                + dev.resolve("gpiochip4") + " [pinctrl-rp1], a link to gpiochip0: accessible\n  "
                + dev.resolve("gpiochip10") + " [gpio-brcmstb@107d508500 or gpio-brcmstb@107d508520]: accessible\n"), out);
        assertTrue(out.contains("  hwmon1  rp1_adc: in1_input 1.468 V, in2_input 2.161 V, in3_input 1.19 V, in4_input 1.462 V, "
                + "temp1_input 55.472 °C\n  hwmon2  pwmfan: fan1_input 2138 RPM\n  hwmon3  rpi_volt: in0_lcrit_alarm 0\n"), out);
    }

    @Test
    void aPi5WithTheKernelItShippedWithHasItsHeaderOnGpiochip4() throws IOException {
        for (String n : List.of("gpiochip1", "gpiochip2", "gpiochip3", "gpiochip4")) {
            Files.createFile(dev.resolve(n));
        }
        String out = detect(Fixtures.tree("sysfs/pi5-gpiochip4"), node -> true, new FakeProbe(), List.of());
        assertTrue(out.contains("  " + dev.resolve("gpiochip4") + " [pinctrl-rp1], the 40-pin header's chip: accessible"), out);
        assertTrue(out.contains("  " + dev.resolve("gpiochip0") + " [gpio-brcmstb@107d508500 or gpio-brcmstb@107d508520]: accessible\n"), out);
    }

    @Test
    void withoutTheChipsLabelsDetectSaysItCannotTellWhichIsTheHeaders() {
        String out = detect(Fixtures.tree("sysfs/pi4-mainline"), node -> true, new FakeProbe(), List.of());
        assertTrue(out.contains("  which chip drives the 40-pin header is not known here: no label for every chip under "
                + Fixtures.tree("sysfs/pi4-mainline").resolve("class/gpio")), out);
    }

    @Test
    void getThrottledOnThePi4TreeIsReportedWithTheFlagsSet() {
        String out = detect(new FakeProbe());
        // 0x50005: bits 0, 2, 16, 18
        assertTrue(out.contains("get_throttled (" + PI4.resolve("devices/platform/soc/soc:firmware/get_throttled")
                + "): under-voltage now, throttled now, under-voltage has occurred, throttling has occurred\n"), out);
        assertTrue(out.contains("the system device reports the 8 flags as channels pi.*"), out);
    }

    @Test
    void theMainlineTreeHasNoGetThrottledLineAndNamesTheUnderVoltageAlarmInstead() {
        String out = detect(Fixtures.tree("sysfs/pi4-mainline"), node -> true, new FakeProbe(), List.of());
        assertFalse(out.contains("get_throttled"), out);
        assertTrue(out.contains("no throttling flags on this kernel (a mainline kernel?); the system device reports the "
                + "hwmon rpi_volt under-voltage alarm as pi.under_voltage_alarm"), out);
        assertTrue(out.contains("none under " + Fixtures.tree("sysfs/pi4-mainline").resolve("bus/iio/devices")), out);
        assertTrue(out.contains("none: 1-Wire is off: sudo raspi-config nonint do_onewire 0"), out);
    }

    @Test
    void aConfirmedBme280IsListedProbedAtBothAddressesAndTheProbeClosed() {
        FakeProbe probe = new FakeProbe().answer(1, 0x76, I2cProbe.Outcome.BME280, 0x60, "BME280");
        String out = detect(probe);
        assertTrue(out.contains("  " + dev.resolve("i2c-1") + ": accessible\n"
                + "    0x76: BME280 (chip id 0x60)\n"
                + "    0x77: nothing answers (Remote I/O error)\n"), out);
        assertEquals(List.of("1/76", "1/77"), probe.asked);
        assertTrue(probe.closed);
        assertTrue(snippetOf(out).contains("[device.bme280-1-76]\ntype    = bme280\nbus     = 1\naddress = 0x76\n"), out);
    }

    @Test
    void aBmp280IsNamedAsUnsupportedWithTheKernelDriverRouteAndGetsNoSection() {
        FakeProbe probe = new FakeProbe().answer(1, 0x77, I2cProbe.Outcome.BMP280, 0x58, "BMP280");
        String out = detect(probe);
        assertTrue(out.contains("    0x77: BMP280 (chip id 0x58): not supported by the bme280 driver (no humidity); "
                + "the kernel's bmp280 IIO driver reads it: dtoverlay=i2c-sensor,bmp280,addr=0x77 in "
                + "/boot/firmware/config.txt, reboot, then configure it with type = sysfs"), out);
        assertFalse(snippetOf(out).contains("type    = bme280"), out);
    }

    @Test
    void aProbeThatCannotRunSaysWhyOnceAndDetectionGoesOn() {
        FakeProbe probe = new FakeProbe().answer(1, 0x76, I2cProbe.Outcome.UNAVAILABLE, -1,
                "Pi4J's native code does not load on this machine");
        String out = detect(probe);
        assertTrue(out.contains("    could not probe: Pi4J's native code does not load on this machine\n\nSPI devices\n"), out);
        assertEquals(List.of("1/76"), probe.asked); // not again for 0x77: the reason would be the same
    }

    @Test
    void aProbeThatThrowsDespiteItsPromiseIsReportedAndDetectionGoesOn() {
        FakeProbe probe = new FakeProbe() {
            @Override
            public I2cProbe.Finding bme280(int bus, int address) {
                throw new UnsatisfiedLinkError("libpi4j-linuxfs.so: wrong ELF class");
            }
        };
        String out = detect(probe);
        assertTrue(out.contains("could not probe: java.lang.UnsatisfiedLinkError: libpi4j-linuxfs.so: wrong ELF class"), out);
        assertTrue(out.contains("Pi firmware flags"), out);
        assertTrue(probe.closed);
    }

    @Test
    void aBusTheUserMayNotOpenNamesTheNodesGroupAndHowToJoinItAndIsNotProbed() throws IOException {
        FakeProbe probe = new FakeProbe();
        String out = detect(PI4, node -> !node.getFileName().toString().equals("i2c-1"), probe, List.of());
        PosixFileAttributes a = Files.readAttributes(dev.resolve("i2c-1"), PosixFileAttributes.class);
        String group = a.group().getName();
        String line = out.lines().filter(l -> l.startsWith("  " + dev.resolve("i2c-1") + ": ")).findFirst().orElseThrow();
        assertTrue(line.contains("not accessible to user pi: owned by group " + group
                + " (" + PosixFilePermissions.toString(a.permissions()) + ")"), line);
        assertTrue(line.contains("sudo usermod -aG " + (group.equals("root") ? "i2c" : group) + " $USER"), line);
        assertTrue(probe.asked.isEmpty(), "a bus that cannot be opened is not probed");
    }

    @Test
    void anSpiNodeWithMode000IsNotAccessibleToTheRealCheck() throws IOException {
        // Root passes access(2) whatever the mode; this test means something only for a normal user.
        assumeFalse("root".equals(System.getProperty("user.name")), "running as root: mode 000 does not deny root");
        Files.setPosixFilePermissions(dev.resolve("spidev0.0"), PosixFilePermissions.fromString("---------"));
        String out = detect(PI4, DeviceNodes.READ_WRITE, new FakeProbe(), List.of());
        assertTrue(out.contains(dev.resolve("spidev0.0") + ": not accessible to user pi: owned by group "), out);
    }

    @Test
    void noI2cNodeGivesTheRaspiConfigAdviceAndNoProbe() throws IOException {
        Files.delete(dev.resolve("i2c-1"));
        FakeProbe probe = new FakeProbe();
        String out = detect(probe);
        assertTrue(out.contains("I2C buses\n  I2C is off: sudo raspi-config nonint do_i2c 0, or dtparam=i2c_arm=on in "
                + "/boot/firmware/config.txt, then reboot\n"), out);
        assertTrue(probe.asked.isEmpty());
    }

    @Test
    void noSpiOrGpioNodesSayWhatToDoAndTheExamplesStillAppear() throws IOException {
        Files.delete(dev.resolve("spidev0.0"));
        Files.delete(dev.resolve("gpiochip0"));
        String out = detect(new FakeProbe());
        assertTrue(out.contains("SPI devices\n  SPI is off: sudo raspi-config nonint do_spi 0, or dtparam=spi=on in "
                + "/boot/firmware/config.txt, then reboot\n"), out);
        assertTrue(out.contains("GPIO chips\n  none: no " + dev.resolve("gpiochip*")), out);
        assertTrue(snippetOf(out).contains("# [device.adc]\n# type        = mcp3008\n"), out);
        assertTrue(snippetOf(out).contains("# [device.door]\n# type = gpio\n"), out);
    }

    /** Under qemu-arm a 32-bit JVM cannot read an ext4 directory (EOVERFLOW): each bus section says so, detection goes on. */
    @Test
    void aDevDirectoryThatCannotBeReadIsALineOfEachBusSectionAndDetectionGoesOn() {
        Path real = dev;
        dev = UnlistableDirectories.view(real);
        FakeProbe probe = new FakeProbe();
        String out = detect(probe);
        String line = "  cannot list " + real + ": " + UnlistableDirectories.EOVERFLOW + "\n";
        assertTrue(out.contains("I2C buses\n" + line + "\n"), out);
        assertTrue(out.contains("SPI devices\n" + line + "\n"), out);
        assertTrue(out.contains("GPIO chips\n" + line + "\n"), out);
        assertTrue(probe.asked.isEmpty(), probe.asked::toString);
        assertTrue(snippetOf(out).contains("[device.system]\ntype = system\n"), out);
    }

    @Test
    void aSysfsTreeThatCannotBeReadIsALineOfEachSectionThatListsIt() {
        String out = detect(UnlistableDirectories.view(PI4), node -> true, new FakeProbe(), List.of());
        for (String section : List.of("Thermal zones", "hwmon chips", "IIO devices", "1-Wire thermometers (DS18B20)")) {
            String dir = switch (section) {
                case "Thermal zones" -> "class/thermal";
                case "hwmon chips" -> "class/hwmon";
                case "IIO devices" -> "bus/iio/devices";
                default -> "bus/w1/devices";
            };
            assertTrue(out.contains(section + "\n  cannot list " + PI4.resolve(dir) + ": " + UnlistableDirectories.EOVERFLOW + "\n\n"),
                    out);
        }
        assertTrue(snippetOf(out).contains("[device.system]\ntype = system\n"), out);
    }

    @Test
    void theSnippetHasSystemOneWireAndOneSysfsDevicePerIioChannelWithValidIds() {
        String snippet = snippetOf(detect(new FakeProbe().answer(1, 0x76, I2cProbe.Outcome.BME280, 0x60, "BME280")));
        assertTrue(snippet.contains("[device.system]\ntype = system\n"), snippet);
        assertTrue(snippet.contains("[device.probe_75d5c1a]\ntype   = w1\nsensor = 28-0000075d5c1a\n"), snippet);
        assertTrue(snippet.contains("[device.probe_6071e2b]\ntype   = w1\nsensor = 28-3c01d6071e2b\n"), snippet);
        assertTrue(snippet.contains("[device.bme280-temperature]\ntype        = sysfs\niio_device  = "
                + PI4.resolve("bus/iio/devices/iio:device0") + "\niio_channel = in_temp\nquantity    = temperature\n"), snippet);
        assertTrue(snippet.contains("[device.mcp3008-voltage1]\n"), snippet);
        List<String> ids = snippet.lines().filter(l -> l.startsWith("[device.") || l.startsWith("# [device."))
                .map(l -> l.substring(l.indexOf('.') + 1, l.indexOf(']'))).toList();
        assertEquals(List.of("system", "bme280-1-76", "probe_75d5c1a", "probe_6071e2b", "bme280-humidity", "bme280-pressure",
                "bme280-temperature", "mcp3008-voltage0", "mcp3008-voltage1", "adc", "door", "wind"), ids);
        ids.forEach(id -> assertTrue(id.matches("[a-z0-9][a-z0-9_-]{0,31}"), id));
    }

    /**
     * The key end-to-end property: what detect prints, placed in conf.d beside a main file with
     * the same roots, is a configuration check accepts; and every device it defines (but the
     * BME280, which needs Pi4J and a board) builds and reads from the tree.
     */
    @Test
    void theSnippetIsAcceptedByCheckWithTheSameRootsAndItsDevicesReadTheTree() throws Exception {
        String snippet = snippetOf(detect(new FakeProbe().answer(1, 0x77, I2cProbe.Outcome.BME280, 0x60, "BME280")));
        Map<String, String> texts = new LinkedHashMap<>();
        texts.put("sensorcast.conf", rootsText());
        texts.put("conf.d/50-detected.conf", snippet);
        ConfigLoader.Result r = load(texts);
        assertEquals(List.of(), r.errors().stream().map(ConfigError::toString).toList());
        Settings s = r.config().settings();
        assertEquals(PI4, s.sysfsRoot);
        assertEquals(9, r.config().devices().size()); // system, bme280, 2 w1, 5 IIO channels
        for (DeviceConfig d : r.config().devices()) {
            List<Sensor> sensors = Drivers.create(d, s);
            if (d.type().equals("bme280")) {
                assertEquals(1, sensors.size());
                continue;
            }
            for (Sensor sensor : sensors) {
                // rootfs reads this machine's "/", not the tree; CPU use and network rates need a
                // second snapshot of a tree that moved on, which a captured tree is not.
                if (sensor.id().equals("rootfs") || sensor.id().equals("cpu-usage") || sensor.id().startsWith("net-")) {
                    continue;
                }
                double[] v = new double[sensor.channels().size()];
                sensor.read(v);
            }
        }
    }

    @Test
    void theCommentedExamplesAreAcceptedOnceUncommented() {
        String snippet = snippetOf(detect(new FakeProbe()));
        StringBuilder uncommented = new StringBuilder();
        for (String line : snippet.split("\n")) {
            // "# [device.adc]" and "# key = value" lines of the examples; prose comments stay comments.
            boolean exampleLine = line.startsWith("# [device.") || line.matches("# [a-z_]+ +=.*");
            uncommented.append(exampleLine ? line.substring(2) : line).append('\n');
        }
        Map<String, String> texts = new LinkedHashMap<>();
        texts.put("sensorcast.conf", rootsText());
        texts.put("conf.d/50-detected.conf", uncommented.toString());
        ConfigLoader.Result r = load(texts);
        assertEquals(List.of(), r.errors().stream().map(ConfigError::toString).toList());
        assertEquals(List.of("mcp3008", "gpio", "counter"),
                r.config().devices().stream().map(DeviceConfig::type).filter(t -> !List.of("system", "w1", "sysfs").contains(t)).toList());
    }

    @Test
    void devicesAlreadyConfiguredAreLeftOutAndTheirIdsAndPinsAvoided() {
        String main = rootsText() + """
                [device.pi]
                type = system
                [device.probe_6071e2b]
                type = w1
                sensor = 28-0000075d5c1a
                [device.door]
                type = gpio
                pin = 17
                [device.greenhouse]
                type = bme280
                address = 0x76
                """;
        ConfigLoader.Result existing = load(Map.of("sensorcast.conf", main));
        assertTrue(existing.ok(), existing.errors().toString());
        FakeProbe probe = new FakeProbe().answer(1, 0x76, I2cProbe.Outcome.BME280, 0x60, "BME280");
        String snippet = snippetOf(detect(PI4, node -> true, probe, existing.config().devices()));

        assertTrue(snippet.contains("# already configured: the system channels (one system device per configuration), "
                + "by device pi (sensorcast.conf:5)"), snippet);
        assertTrue(snippet.contains("# already configured: 1-Wire sensor 28-0000075d5c1a, by device probe_6071e2b"), snippet);
        assertTrue(snippet.contains("# already configured: I2C bus 1 address 0x76, by device greenhouse"), snippet);
        assertTrue(snippet.contains("[device.probe_6071e2b-2]\ntype   = w1\nsensor = 28-3c01d6071e2b\n"), snippet);
        assertTrue(snippet.contains("# [device.door-2]\n# type = gpio\n# pin  = 27\n"), snippet);
        assertFalse(snippet.contains("[device.system]"), snippet);

        Map<String, String> texts = new LinkedHashMap<>();
        texts.put("sensorcast.conf", main);
        texts.put("conf.d/50-detected.conf", snippet);
        ConfigLoader.Result both = load(texts);
        assertEquals(List.of(), both.errors().stream().map(ConfigError::toString).toList());
    }

    @Test
    void builtInDevicesOfAConfigurationWithoutDevicesDoNotCountAsConfigured() {
        ConfigLoader.Result builtIn = load(Map.of("sensorcast.conf", rootsText()));
        assertEquals(List.of("system", "sim"), builtIn.config().devices().stream().map(DeviceConfig::id).toList());
        String snippet = snippetOf(detect(PI4, node -> true, new FakeProbe(), builtIn.config().devices()));
        assertTrue(snippet.contains("[device.system]\ntype = system\n"), snippet);
    }

    @Test
    void thePasteLineNamesConfDBesideTheMainFile() {
        assertEquals(Path.of("/etc/sensorcast/conf.d/50-detected.conf"),
                DetectCommand.snippetFile(Path.of("/etc/sensorcast/sensorcast.conf")));
        assertTrue(detect(new FakeProbe()).contains("\n# paste into " + tmp.resolve("etc/conf.d/50-detected.conf") + "\n"));
    }

    @Test
    void theProductionProbeRefusesAStandInDevTreeBecausePi4jOpensTheRealDev() {
        try (DetectCommand.ChipProbe p = DetectCommand.pi4jProbe(dev)) {
            I2cProbe.Finding f = p.bme280(1, 0x76);
            assertEquals(I2cProbe.Outcome.UNAVAILABLE, f.outcome());
            assertEquals("paths.dev is " + dev + ", and Pi4J opens the buses under /dev", f.detail());
        }
    }

    @Test
    void iioQuantitiesAreShortChannelIdPartsAndValuesHaveAtMostThreeDecimals() {
        assertEquals("temperature", DetectCommand.quantity("in_temp"));
        assertEquals("humidity", DetectCommand.quantity("in_humidityrelative"));
        assertEquals("voltage0", DetectCommand.quantity("in_voltage0"));
        assertEquals(31, DetectCommand.quantity("in_" + "x".repeat(40)).length());
        assertEquals("1009.349 hPa", DetectCommand.format(1009.348828125, "hPa"));
        assertEquals("0", DetectCommand.format(-0.0001, ""));
        assertEquals("23.45 °C", DetectCommand.format(23.45, "°C"));
    }
}

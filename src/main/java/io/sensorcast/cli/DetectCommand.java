package io.sensorcast.cli;

import io.sensorcast.config.Config;
import io.sensorcast.config.ConfigLoader;
import io.sensorcast.config.DeviceConfig;
import io.sensorcast.config.Settings;
import io.sensorcast.hub.ChannelInfo;
import io.sensorcast.sensor.pi4j.GpioChips;
import io.sensorcast.sensor.pi4j.I2cProbe;
import io.sensorcast.sensor.sysfs.Conversion;
import io.sensorcast.sensor.sysfs.HwmonAttribute;
import io.sensorcast.sensor.sysfs.IioChannel;
import io.sensorcast.sensor.sysfs.SysfsDevices;
import io.sensorcast.sensor.sysfs.SysfsFiles;
import io.sensorcast.sensor.system.BoardModel;
import io.sensorcast.sensor.system.CpuTemperature;
import io.sensorcast.sensor.system.SystemSensors;
import io.sensorcast.sensor.system.ThrottleFlags;
import io.sensorcast.sensor.system.UnderVoltageAlarm;
import io.sensorcast.sensor.w1.W1Thermometer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code sensorcast detect}: what this board offers, section by section, each with what was
 * found or why nothing was, and then a configuration snippet for conf.d that {@code sensorcast
 * check} accepts.
 *
 * <p>Runs as a normal user and reads only: sysfs and procfs attributes, device node permissions,
 * and one register (a BME280's chip id) on I2C buses the user may open. Where it looks comes from
 * the settings (paths.sysfs, paths.procfs, paths.dev), so captured trees stand in for a board.
 * The discovery is the drivers' own ({@link CpuTemperature#zones}, {@link SysfsDevices},
 * {@link W1Thermometer#discover}, {@link ThrottleFlags#find}, {@link I2cProbe}); this class only
 * reports and collects what the snippet ({@link ConfigSnippet}) should hold.
 */
final class DetectCommand {

    /** Reads a BME280's chip id: Pi4J in production, a stand-in in tests (which must touch no hardware). */
    interface ChipProbe extends AutoCloseable {
        I2cProbe.Finding bme280(int bus, int address);

        @Override
        void close();
    }

    /** Where Pi4J opens I2C buses, whatever paths.dev says. */
    static final Path REAL_DEV = Path.of("/dev");
    /** Datasheet section 6.2: SDO to GND gives 0x76, SDO to VDDIO 0x77. */
    private static final int[] BME280_ADDRESSES = {0x76, 0x77};
    private static final Duration INTERVAL = Duration.ofSeconds(5);
    private static final Pattern I2C_NODE = Pattern.compile("i2c-(\\d+)");
    private static final Pattern SPI_NODE = Pattern.compile("spidev(\\d+)\\.(\\d+)");
    private static final Pattern GPIO_NODE = Pattern.compile("gpiochip\\d+");
    /** Header pins free of I2C, SPI, UART and 1-Wire (GPIO 4) defaults, for the commented examples. */
    private static final List<Integer> EXAMPLE_PINS = List.of(17, 27, 22, 23, 24, 25, 5, 6, 12, 13, 16, 26);

    static final String I2C_OFF = "I2C is off: sudo raspi-config nonint do_i2c 0, or dtparam=i2c_arm=on in "
            + "/boot/firmware/config.txt, then reboot";
    static final String SPI_OFF = "SPI is off: sudo raspi-config nonint do_spi 0, or dtparam=spi=on in "
            + "/boot/firmware/config.txt, then reboot";

    private final Settings settings;
    private final List<DeviceConfig> configured;
    private final Path snippetFile;
    private final Predicate<Path> mayOpen;
    private final Supplier<ChipProbe> probes;
    private final String user;

    // What the sections found, for the snippet.
    private final List<I2cFind> bme280s = new ArrayList<>();
    private final List<W1Find> thermometers = new ArrayList<>();
    private final List<IioFind> iioChannels = new ArrayList<>();
    private final List<DeviceNodes.Node> spiNodes = new ArrayList<>();
    private boolean gpioPresent;

    private record I2cFind(int bus, int address, int chipId) {}

    private record W1Find(String serial, String now) {}

    private record IioFind(Path dir, String chip, IioChannel channel, String now) {}

    /**
     * @param configured  the devices of the configuration in place, so the snippet does not repeat them
     * @param snippetFile where the snippet belongs (conf.d beside the main file), for the paste line
     * @param mayOpen     whether this process may open a device node read-write
     * @param probes      makes the chip-id probe, called only if an I2C bus can be opened
     * @param user        named in the advice
     */
    DetectCommand(Settings settings, List<DeviceConfig> configured, Path snippetFile, Predicate<Path> mayOpen,
                  Supplier<ChipProbe> probes, String user) {
        this.settings = settings;
        this.configured = configured;
        this.snippetFile = snippetFile;
        this.mayOpen = mayOpen;
        this.probes = probes;
        this.user = user;
    }

    /** Detection on this machine, for the configuration read from {@code configFile}. */
    static DetectCommand forThisMachine(Settings settings, Config config, Path configFile) {
        return new DetectCommand(settings, config.devices(), snippetFile(configFile), DeviceNodes.READ_WRITE,
                () -> pi4jProbe(settings.devRoot), System.getProperty("user.name"));
    }

    /** conf.d/50-detected.conf beside the main file: ConfigLoader reads conf.d from there. */
    static Path snippetFile(Path configFile) {
        Path parent = configFile.toAbsolutePath().getParent();
        return (parent == null ? ConfigLoader.DEFAULT_FILE.getParent() : parent).resolve("conf.d/50-detected.conf");
    }

    /**
     * The Pi4J probe, but only when paths.dev is /dev: Pi4J opens /dev/i2c-N whatever the
     * setting says, so with a stand-in tree it would read real hardware for a node that is not
     * real. Then every probe reports why it did not run.
     */
    static ChipProbe pi4jProbe(Path devRoot) {
        if (!devRoot.toAbsolutePath().normalize().equals(REAL_DEV)) {
            String why = "paths.dev is " + devRoot + ", and Pi4J opens the buses under " + REAL_DEV;
            return new ChipProbe() {
                @Override
                public I2cProbe.Finding bme280(int bus, int address) {
                    return new I2cProbe.Finding(I2cProbe.Outcome.UNAVAILABLE, -1, why);
                }

                @Override
                public void close() {}
            };
        }
        I2cProbe probe = I2cProbe.raspberryPi();
        return new ChipProbe() {
            @Override
            public I2cProbe.Finding bme280(int bus, int address) {
                return probe.bme280(bus, address);
            }

            @Override
            public void close() {
                probe.close();
            }
        };
    }

    /** Prints every section, then the snippet. Once per instance: the sections collect what the snippet holds. */
    void run(PrintStream out) {
        out.println("sensorcast detect: sysfs " + settings.sysfsRoot + ", procfs " + settings.procfsRoot
                + ", device nodes " + settings.devRoot + ", as user " + user);
        board(out);
        thermalZones(out);
        hwmon(out);
        iio(out);
        oneWire(out);
        i2c(out);
        spi(out);
        gpio(out);
        firmware(out);
        out.println();
        out.println("# paste into " + snippetFile);
        out.print(snippet());
    }

    private void board(PrintStream out) {
        heading(out, "Board");
        Optional<BoardModel.Found> found = BoardModel.find(settings.procfsRoot, settings.sysfsRoot);
        item(out, found.map(f -> f.model() + " (" + f.source() + ")")
                .orElse("unknown: no " + settings.procfsRoot.resolve("device-tree/model") + " (a PC, a VM or a container?)"));
    }

    private void thermalZones(PrintStream out) {
        heading(out, "Thermal zones");
        List<CpuTemperature.Zone> zones = CpuTemperature.zones(settings.sysfsRoot);
        if (zones.isEmpty()) {
            Path thermal = settings.sysfsRoot.resolve("class/thermal");
            item(out, unlistable(thermal).orElse("none: no readable " + thermal + "/thermal_zone*/temp "
                    + "(a container or VM?); the system device then has no cpu.temperature"));
        }
        for (CpuTemperature.Zone z : zones) {
            CpuTemperature t = new CpuTemperature(z.dir().getFileName().toString(), z.tempFile(), INTERVAL);
            item(out, z.dir().getFileName() + "  " + z.type() + "  " + reading(() -> {
                double[] v = new double[1];
                t.read(v);
                return v[0];
            }, "°C"));
        }
    }

    private void hwmon(PrintStream out) {
        heading(out, "hwmon chips");
        List<SysfsDevices.Device> chips = SysfsDevices.hwmon(settings.sysfsRoot);
        if (chips.isEmpty()) {
            Path hwmon = settings.sysfsRoot.resolve("class/hwmon");
            item(out, unlistable(hwmon).orElse("none under " + hwmon));
        }
        for (SysfsDevices.Device chip : chips) {
            List<String> parts = new ArrayList<>();
            for (HwmonAttribute a : SysfsDevices.hwmonReadings(chip.dir())) {
                Conversion c = a.standardConversion();
                parts.add(a.attribute() + " " + reading(() -> c.apply(a.read()), c.unit()));
            }
            item(out, chip.dir().getFileName() + "  " + nameOr(chip.name()) + ": " + (parts.isEmpty()
                    ? unlistable(chip.dir()).orElse("no readings (only limits or controls)") : String.join(", ", parts)));
        }
    }

    private void iio(PrintStream out) {
        heading(out, "IIO devices");
        List<SysfsDevices.Device> devices = SysfsDevices.iio(settings.sysfsRoot);
        if (devices.isEmpty()) {
            Path iio = settings.sysfsRoot.resolve("bus/iio/devices");
            item(out, unlistable(iio).orElse("none under " + iio
                    + " (a kernel sensor driver comes with dtoverlay=i2c-sensor,<chip> in /boot/firmware/config.txt)"));
        }
        for (SysfsDevices.Device d : devices) {
            List<String> parts = new ArrayList<>();
            for (IioChannel ch : SysfsDevices.iioChannels(d.dir())) {
                Conversion c = ch.standardConversion();
                String now;
                try {
                    now = format(c.apply(ch.read()), c.unit());
                } catch (IOException e) {
                    parts.add(ch.stem() + " unreadable: " + e.getMessage());
                    continue; // a channel that cannot be read now is not offered in the snippet
                }
                parts.add(ch.stem() + " " + now);
                iioChannels.add(new IioFind(d.dir(), d.name() == null ? d.dir().getFileName().toString() : d.name(), ch, now));
            }
            item(out, d.dir().getFileName() + "  " + nameOr(d.name()) + ": "
                    + (parts.isEmpty() ? unlistable(d.dir()).orElse("no input channels") : String.join(", ", parts)));
        }
    }

    private void oneWire(PrintStream out) {
        heading(out, "1-Wire thermometers (DS18B20)");
        List<W1Thermometer> found = W1Thermometer.discover(settings.sysfsRoot, INTERVAL);
        Path devices = settings.sysfsRoot.resolve("bus/w1/devices");
        if (found.isEmpty()) {
            item(out, unlistable(devices).orElse(Files.isDirectory(devices) && hasBusMaster(devices)
                    ? "none: 1-Wire is on but no DS18B20 answers (check the wiring and the 4.7 kOhm pull-up on the data line)"
                    : "none: 1-Wire is off: sudo raspi-config nonint do_onewire 0, or dtoverlay=w1-gpio in "
                            + "/boot/firmware/config.txt, then reboot (data on GPIO 4)"));
        }
        for (W1Thermometer t : found) {
            // A sensor that cannot be read now is still offered: the DS18B20 is there, and its
            // device reports the error (usually wiring or power) until it is fixed.
            String now = reading(() -> {
                double[] v = new double[1];
                t.read(v);
                return v[0];
            }, "°C");
            item(out, t.id() + "  " + now);
            thermometers.add(new W1Find(t.id(), now));
        }
    }

    private static boolean hasBusMaster(Path devices) {
        try {
            return !SysfsFiles.list(devices, "w1_bus_master*").isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Why {@code dir} cannot be listed ("cannot list DIR: reason"), when a section found nothing:
     * the drivers' discovery takes such a directory as empty, and "none" would be wrong. Empty when
     * it can be listed or does not exist (then the section's own words say what is missing).
     */
    private static Optional<String> unlistable(Path dir) {
        try {
            SysfsFiles.list(dir, "*");
            return Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(e.getMessage());
        }
    }

    private void i2c(PrintStream out) {
        heading(out, "I2C buses");
        List<DeviceNodes.Node> buses = new ArrayList<>();
        List<DeviceNodes.Node> nodes = nodes(out, "i2c-*");
        if (nodes == null) {
            return;
        }
        for (DeviceNodes.Node n : nodes) {
            if (I2C_NODE.matcher(n.path().getFileName().toString()).matches()) {
                buses.add(n);
            }
        }
        if (buses.isEmpty()) {
            item(out, I2C_OFF);
            return;
        }
        ChipProbe probe = null;
        try {
            for (DeviceNodes.Node n : buses) {
                if (!n.accessible()) {
                    item(out, n.path() + ": " + DeviceNodes.advice(user, n.group(), n.mode(), "i2c"));
                    continue;
                }
                item(out, n.path() + ": accessible");
                if (probe == null) {
                    probe = probes.get();
                }
                Matcher m = I2C_NODE.matcher(n.path().getFileName().toString());
                m.matches();
                probeBus(out, probe, Integer.parseInt(m.group(1)));
            }
        } finally {
            if (probe != null) {
                probe.close();
            }
        }
    }

    private void probeBus(PrintStream out, ChipProbe probe, int bus) {
        for (int address : BME280_ADDRESSES) {
            I2cProbe.Finding f;
            try {
                f = probe.bme280(bus, address);
            } catch (RuntimeException | LinkageError e) {
                // The probe promises findings, not exceptions; should one escape, detection still goes on.
                f = new I2cProbe.Finding(I2cProbe.Outcome.UNAVAILABLE, -1, String.valueOf(e));
            }
            String at = "  " + hex(address) + ": ";
            switch (f.outcome()) {
                case BME280 -> {
                    item(out, at + "BME280 (chip id " + hex(f.chipId()) + ")");
                    bme280s.add(new I2cFind(bus, address, f.chipId()));
                }
                // The i2c-sensor overlay puts its bmp280 at 0x76 unless addr= says otherwise
                // (i2c-sensor-common.dtsi in the Raspberry Pi kernel tree: bmp280@76, the addr override).
                case BMP280 -> item(out, at + "BMP280 (chip id " + hex(f.chipId()) + "): not supported by the bme280 "
                        + "driver (no humidity); the kernel's bmp280 IIO driver reads it: dtoverlay=i2c-sensor,bmp280"
                        + (address == 0x77 ? ",addr=0x77" : "") + " in /boot/firmware/config.txt, reboot, "
                        + "then configure it with type = sysfs (run detect again for the lines)");
                case OTHER_CHIP -> item(out, at + "chip id " + hex(f.chipId()) + ", " + f.detail());
                case NO_ANSWER -> item(out, at + "nothing answers (" + f.detail() + ")");
                default -> {
                    item(out, "  could not probe: " + f.detail());
                    return; // the same reason would repeat for the other address
                }
            }
        }
    }

    private void spi(PrintStream out) {
        heading(out, "SPI devices");
        List<DeviceNodes.Node> nodes = nodes(out, "spidev*");
        if (nodes == null) {
            return;
        }
        for (DeviceNodes.Node n : nodes) {
            if (SPI_NODE.matcher(n.path().getFileName().toString()).matches()) {
                spiNodes.add(n);
            }
        }
        if (spiNodes.isEmpty()) {
            item(out, SPI_OFF);
        }
        for (DeviceNodes.Node n : spiNodes) {
            item(out, n.path() + ": " + (n.accessible()
                    ? "accessible (what is on it cannot be probed: see the commented mcp3008 example below)"
                    : DeviceNodes.advice(user, n.group(), n.mode(), "spi")));
        }
    }

    private void gpio(PrintStream out) {
        heading(out, "GPIO chips");
        List<DeviceNodes.Node> chips = new ArrayList<>();
        List<DeviceNodes.Node> nodes = nodes(out, "gpiochip*");
        if (nodes == null) {
            return;
        }
        for (DeviceNodes.Node n : nodes) {
            if (GPIO_NODE.matcher(n.path().getFileName().toString()).matches()) {
                chips.add(n);
            }
        }
        gpioPresent = !chips.isEmpty();
        if (chips.isEmpty()) {
            item(out, "none: no " + settings.devRoot.resolve("gpiochip*") + "; the gpio and counter devices need the "
                    + "GPIO character device of Raspberry Pi OS or another current kernel");
            return;
        }
        GpioChips labelled = GpioChips.find(settings.sysfsRoot, settings.devRoot);
        Map<Path, GpioChips.Chip> byNode = new HashMap<>();
        labelled.all().forEach(c -> byNode.put(c.node(), c));
        for (DeviceNodes.Node n : chips) {
            GpioChips.Chip chip = byNode.get(n.path());
            String what = chip == null ? "" : (chip.label() == null ? "" : " [" + chip.label() + "]")
                    + (chip.aliasOf() != null ? ", a link to " + chip.aliasOf()
                            : chip.header() ? ", the 40-pin header's chip" : "");
            item(out, n.path() + what + ": " + (n.accessible()
                    ? "accessible" + ((chip != null && chip.header()) || labelled.header().isEmpty()
                            ? " (what is on a pin cannot be probed: see the commented gpio and counter examples below)" : "")
                    : DeviceNodes.advice(user, n.group(), n.mode(), "gpio")));
        }
        Optional<GpioChips.Chip> header = labelled.header();
        if (!labelled.labelsKnown()) {
            item(out, "which chip drives the 40-pin header is not known here: no label for every chip under "
                    + settings.sysfsRoot.resolve("class/gpio") + " (a kernel without CONFIG_GPIO_SYSFS?)");
        } else if (header.isEmpty()) {
            item(out, "none of these drives the 40-pin header (its label would be one of "
                    + String.join(", ", GpioChips.HEADER_LABELS) + "): the gpio and counter devices will not start");
        } else if (labelled.pi4jChoice().map(c -> !c.name().equals(header.get().name())).orElse(true)) {
            item(out, "Pi4J would use " + labelled.pi4jChoice().map(Object::toString).orElse("no chip")
                    + ", not the header's: the gpio and counter devices will not start");
        }
    }

    /** The device nodes matching {@code glob}, or null after a line saying why paths.dev cannot be listed. */
    private List<DeviceNodes.Node> nodes(PrintStream out, String glob) {
        try {
            return DeviceNodes.list(settings.devRoot, glob, mayOpen);
        } catch (IOException e) {
            item(out, e.getMessage());
            return null;
        }
    }

    private void firmware(PrintStream out) {
        heading(out, "Pi firmware flags");
        Optional<ThrottleFlags> flags = ThrottleFlags.find(settings.sysfsRoot, INTERVAL);
        if (flags.isPresent()) {
            ThrottleFlags f = flags.get();
            double[] v = new double[f.channels().size()];
            String state;
            try {
                f.read(v);
                List<String> set = new ArrayList<>();
                for (int i = 0; i < v.length; i++) {
                    if (v[i] != 0) {
                        set.add(f.channels().get(i).name().toLowerCase(Locale.ROOT));
                    }
                }
                state = set.isEmpty() ? "no flag set" : String.join(", ", set);
            } catch (IOException e) {
                state = "unreadable: " + e.getMessage();
            }
            item(out, "get_throttled (" + f.file() + "): " + state);
            item(out, "the system device reports the " + f.channels().size() + " flags as channels "
                    + devices(f.channels()) + ".*, 0 or 1 (" + f.channels().get(0).id() + ", ...)");
            return;
        }
        Optional<UnderVoltageAlarm> alarm = UnderVoltageAlarm.find(settings.sysfsRoot, INTERVAL);
        if (alarm.isPresent()) {
            // Mainline kernels: only the hwmon driver's alarm, not the firmware's throttling bits.
            item(out, "no throttling flags on this kernel (a mainline kernel?); the system device reports the "
                    + "hwmon rpi_volt under-voltage alarm as " + ids(alarm.get().channels()));
        } else {
            item(out, "none: not a Raspberry Pi, or its firmware driver is not loaded");
        }
    }

    /** The snippet: system, BME280s, DS18B20s, IIO channels, then commented examples for SPI and GPIO. */
    String snippet() {
        ConfigSnippet s = new ConfigSnippet(configured);
        List<ChannelInfo> system = SystemSensors.channels(settings.sysfsRoot, settings.procfsRoot, Path.of("/"), List.of());
        s.device("system", "CPU temperature, load, memory, disk, network, Pi flags; here " + system.size()
                + " channels of " + devices(system), "type", "system");
        for (I2cFind b : bme280s) {
            s.device("bme280-" + b.bus() + "-" + String.format(Locale.ROOT, "%02x", b.address()),
                    "BME280 at " + hex(b.address()) + " on i2c-" + b.bus() + " (chip id " + hex(b.chipId()) + ")",
                    "type", "bme280", "bus", Integer.toString(b.bus()), "address", hex(b.address()));
        }
        for (W1Find t : thermometers) {
            String serial = t.serial();
            // The serial's last 7 hex digits: short, and unique in practice (ConfigSnippet numbers a clash).
            s.device("probe_" + serial.substring(serial.length() - 7), "DS18B20 " + serial + ": " + t.now(),
                    "type", "w1", "sensor", serial);
        }
        boolean first = true;
        for (IioFind f : iioChannels) {
            String quantity = quantity(f.channel().stem());
            String comment = f.chip() + " " + f.dir().getFileName() + " " + f.channel().stem() + ": " + f.now();
            if (first) {
                // iio:deviceN is numbered in probe order: another sensor added later can shift it.
                comment = "IIO devices are numbered in probe order; check iio_device after adding one.\n" + comment;
                first = false;
            }
            s.device(f.chip() + "-" + quantity, comment, "type", "sysfs", "iio_device", f.dir().toString(),
                    "iio_channel", f.channel().stem(), "quantity", quantity);
        }
        examples(s);
        return s.text();
    }

    /** SPI and GPIO devices cannot be identified by probing: commented examples with free ids and pins. */
    private void examples(ConfigSnippet s) {
        String bus = "0";
        String cs = "0";
        String where = SPI_OFF.substring(0, SPI_OFF.indexOf(':')) + " now; once on, CE0 is /dev/spidev0.0";
        if (!spiNodes.isEmpty()) {
            Matcher m = SPI_NODE.matcher(spiNodes.get(0).path().getFileName().toString());
            m.matches();
            bus = m.group(1);
            cs = m.group(2);
            where = "if one is on " + spiNodes.get(0).path().getFileName();
        }
        s.example("an MCP3008 ADC on SPI cannot be detected; " + where + ", uncomment:",
                ConfigSnippet.section(s.reserve("adc"), "type", "mcp3008", "bus", bus, "chip_select", cs,
                        "inputs", "0", "vref", "3.3"));
        Set<Integer> pins = usedPins();
        int doorPin = freePin(pins);
        int windPin = freePin(pins);
        String gpioNote = gpioPresent ? "" : " (no GPIO character device now: see above)";
        s.example("what is on a GPIO pin cannot be detected" + gpioNote + "; a switch or button on BCM "
                        + doorPin + " to ground:",
                ConfigSnippet.section(s.reserve("door"), "type", "gpio", "pin", Integer.toString(doorPin), "pull", "up"));
        s.example("a pulse counter (anemometer, flow meter, rain gauge) on BCM " + windPin + ":",
                ConfigSnippet.section(s.reserve("wind"), "type", "counter", "pin", Integer.toString(windPin),
                        "factor", "2.4", "quantity", "speed", "unit", "km/h"));
    }

    private Set<Integer> usedPins() {
        Set<Integer> used = new HashSet<>();
        for (DeviceConfig d : configured) {
            if (d.has("pin")) {
                used.add((int) d.integer("pin"));
            }
        }
        return used;
    }

    private static int freePin(Set<Integer> used) {
        for (int pin : EXAMPLE_PINS) {
            if (used.add(pin)) {
                return pin;
            }
        }
        return EXAMPLE_PINS.get(0);
    }

    /**
     * The channel id's last part for an IIO stem: in_temp → temperature, in_voltage0 → voltage0.
     * At most 31 characters: with a device id of up to 32 and the dot, the channel id stays within
     * the 64 that channel ids may have.
     */
    static String quantity(String stem) {
        String q = stem.startsWith("in_") ? stem.substring(3) : stem;
        if (q.equals("temp")) {
            q = "temperature";
        } else if (q.equals("humidityrelative")) {
            q = "humidity";
        }
        return q.length() > 31 ? q.substring(0, 31) : q;
    }

    @FunctionalInterface
    private interface Reading {
        double get() throws IOException;
    }

    private static String reading(Reading r, String unit) {
        try {
            return format(r.get(), unit);
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        }
    }

    /** At most three decimals, without trailing zeros: 48.686 °C, 1009.349 hPa, 0. */
    static String format(double v, String unit) {
        String s = String.format(Locale.ROOT, "%.3f", v);
        s = s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
        if (s.equals("-0")) {
            s = "0";
        }
        return unit == null || unit.isEmpty() ? s : s + " " + unit;
    }

    /** The devices the channels belong to, in order: "cpu, load, mem" for cpu.temperature, load.1m, ... */
    private static String devices(List<ChannelInfo> channels) {
        Set<String> devices = new LinkedHashSet<>();
        channels.forEach(c -> devices.add(c.id().substring(0, Math.max(0, c.id().lastIndexOf('.')))));
        return String.join(", ", devices);
    }

    private static String ids(List<ChannelInfo> channels) {
        List<String> ids = new ArrayList<>();
        channels.forEach(c -> ids.add(c.id()));
        return String.join(", ", ids);
    }

    private static String nameOr(String name) {
        return name == null ? "(no name)" : name;
    }

    private static String hex(int v) {
        return String.format(Locale.ROOT, "0x%02x", v);
    }

    private static void heading(PrintStream out, String title) {
        out.println();
        out.println(title);
    }

    private static void item(PrintStream out, String line) {
        out.println("  " + line);
    }
}

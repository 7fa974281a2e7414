package io.sensorcast.sensor.system;

import io.sensorcast.hub.ChannelInfo;
import io.sensorcast.sensor.Sensor;
import io.sensorcast.sensor.sysfs.SysfsFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Raspberry Pi's under-voltage and throttling flags, from the firmware's GET_THROTTLED value as
 * the Raspberry Pi kernel exposes it in {@code /sys/devices/platform/soc/soc:firmware/get_throttled}.
 * Each flag is a channel of 0 or 1.
 *
 * <p>What is verified, and from where:
 * <ul>
 * <li>Format: {@code sprintf(buf, "%x\n", fw->get_throttled)} in get_throttled_show(),
 *     drivers/firmware/raspberrypi.c of the raspberrypi/linux tree: hex digits without "0x"
 *     ("50005"). The attribute was added downstream (raspberrypi/linux PR #2397, 2018) and is not
 *     in mainline Linux, which has only the hwmon driver (see {@link UnderVoltageAlarm}).</li>
 * <li>Bits: 0 under-voltage now, 1 ARM frequency capped now, 2 throttled now, 3 soft temperature
 *     limit active now; 16-19 the same four "has occurred". From the vcgencmd get_throttled
 *     documentation of Raspberry Pi Ltd. (raspberrypi/documentation issue #3257 reports the same
 *     bits on the Pi 5's BCM2712).</li>
 * </ul>
 * <p>Caveats, not verified on hardware:
 * <ul>
 * <li>Reading the file logs a one-time kernel warning with a backtrace, "deprecated, use hwmon
 *     sysfs instead" (WARN_ONCE in get_throttled_show). Harmless, but it shows in dmesg.</li>
 * <li>The file shows a value the kernel cached from the last GET_THROTTLED mailbox call; the
 *     raspberrypi-hwmon driver makes that call every 2 s. Without that driver the value would go
 *     stale.</li>
 * <li>That poll asks the firmware to clear the sticky bits (it sends 0xffff, "Request firmware to
 *     clear sticky bits" in raspberrypi-hwmon.c), so bits 16-19 probably mean "since the last poll,
 *     about 2 s" rather than "since boot". Hence channel names "..._occurred", not "..._since_boot".</li>
 * <li>The path is the one for boards whose firmware node is /soc/firmware (Pi 1 to 4); for other
 *     device trees (Pi 5) {@link #locate} also looks for any "*firmware" platform device holding
 *     get_throttled, since the exact path there is not confirmed.</li>
 * </ul>
 */
public final class ThrottleFlags implements Sensor {

    /** The file on a Pi 1-4 with the Raspberry Pi kernel, relative to the sysfs root. */
    public static final String USUAL_PATH = "devices/platform/soc/soc:firmware/get_throttled";

    private static final Pattern HEX = Pattern.compile("(0[xX])?[0-9a-fA-F]{1,8}");

    /** The flags in channel order: bit, id suffix, display name. */
    private enum Flag {
        UNDER_VOLTAGE(0, "under_voltage", "Under-voltage now"),
        FREQ_CAPPED(1, "freq_capped", "ARM frequency capped now"),
        THROTTLED(2, "throttled", "Throttled now"),
        SOFT_TEMP_LIMIT(3, "soft_temp_limit", "Soft temperature limit now"),
        UNDER_VOLTAGE_OCCURRED(16, "under_voltage_occurred", "Under-voltage has occurred"),
        FREQ_CAPPED_OCCURRED(17, "freq_capped_occurred", "ARM frequency capping has occurred"),
        THROTTLED_OCCURRED(18, "throttled_occurred", "Throttling has occurred"),
        SOFT_TEMP_LIMIT_OCCURRED(19, "soft_temp_limit_occurred", "Soft temperature limit has occurred");

        final int bit;
        final String quantity;
        final String label;

        Flag(int bit, String quantity, String label) {
            this.bit = bit;
            this.quantity = quantity;
            this.label = label;
        }
    }

    private final String id;
    private final Path file;
    private final Duration interval;
    private final List<ChannelInfo> channels;

    /**
     * @param deviceId the device id; channels {@code deviceId.under_voltage}, {@code .freq_capped},
     *                 {@code .throttled}, {@code .soft_temp_limit} and the same four with
     *                 {@code _occurred}, each 0 or 1
     * @param file     the get_throttled file
     */
    public ThrottleFlags(String deviceId, Path file, Duration interval) {
        this.id = deviceId;
        this.file = file;
        this.interval = interval;
        List<ChannelInfo> list = new ArrayList<>();
        for (Flag f : Flag.values()) {
            list.add(new ChannelInfo(deviceId + "." + f.quantity, f.label, ""));
        }
        this.channels = List.copyOf(list);
    }

    /** Device "pi" on the get_throttled file under {@code sysfsRoot}, or empty if there is none. */
    public static Optional<ThrottleFlags> find(Path sysfsRoot, Duration interval) {
        return locate(sysfsRoot).map(f -> new ThrottleFlags("pi", f, interval));
    }

    /**
     * The get_throttled file: {@link #USUAL_PATH}, else one under a platform device named
     * "firmware" or "...:firmware" one or two levels below devices/platform.
     */
    static Optional<Path> locate(Path sysfsRoot) {
        Path usual = sysfsRoot.resolve(USUAL_PATH);
        if (Files.isReadable(usual)) {
            return Optional.of(usual);
        }
        Path platform = sysfsRoot.resolve("devices/platform");
        try {
            for (Path d1 : SysfsFiles.list(platform, Files::isDirectory)) {
                Optional<Path> hit = inFirmwareDir(d1);
                if (hit.isPresent()) {
                    return hit;
                }
                for (Path d2 : SysfsFiles.list(d1, Files::isDirectory)) {
                    hit = inFirmwareDir(d2);
                    if (hit.isPresent()) {
                        return hit;
                    }
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static Optional<Path> inFirmwareDir(Path dir) {
        String n = dir.getFileName().toString();
        if (n.equals("firmware") || n.endsWith(":firmware")) {
            Path f = dir.resolve("get_throttled");
            if (Files.isReadable(f)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** The get_throttled file this device reads. */
    public Path file() {
        return file;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public List<ChannelInfo> channels() {
        return channels;
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public void read(double[] values) throws IOException {
        long bits = parse(SysfsFiles.readTrimmed(file), file);
        Flag[] flags = Flag.values();
        for (int i = 0; i < flags.length; i++) {
            values[i] = (bits >>> flags[i].bit) & 1;
        }
    }

    /** The hex value ("50005"; "0x50005" as vcgencmd prints it is taken too). */
    static long parse(String text, Path file) throws IOException {
        if (text.isEmpty()) {
            throw new IOException(file + " is empty, expected the throttled bits in hex");
        }
        if (!HEX.matcher(text).matches()) {
            throw new IOException(file + " holds '" + SysfsFiles.excerpt(text) + "', not the throttled bits in hex");
        }
        String digits = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
        return Long.parseLong(digits, 16);
    }

    /** Nothing is held between reads. */
    @Override
    public void close() {}
}

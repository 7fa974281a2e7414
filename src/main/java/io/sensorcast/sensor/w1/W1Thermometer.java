package io.sensorcast.sensor.w1;

import io.sensorcast.hub.ChannelInfo;
import io.sensorcast.sensor.Sensor;
import io.sensorcast.sensor.sysfs.SysfsFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A DS18B20 1-Wire thermometer through the kernel's w1_therm driver (on a Pi:
 * {@code dtoverlay=w1-gpio}), in {@code /sys/bus/w1/devices/28-xxxxxxxxxxxx/}.
 *
 * <p>Reads {@code w1_slave} when it exists, because its first line carries the CRC verdict (see
 * {@link W1Slave}); otherwise the {@code temperature} attribute of newer kernels (millidegrees,
 * empty when the read failed). Each read makes the sensor convert, which takes up to 750 ms at
 * 12 bits, so intervals below a second make little sense.
 *
 * <p>Values the sensor cannot have measured are errors, not samples (DS18B20 datasheet):
 * <ul>
 * <li>85.000 °C, the power-on reset value of the temperature register: the conversion did not run,
 *     usually a brown-out on parasite power. A real 85 °C reading is rejected too; that is the price
 *     of catching the common fault.</li>
 * <li>Anything outside the measuring range -55..+125 °C, e.g. 127.94 °C (7FFh, insufficient power,
 *     per w1_therm.rst) or the -127 °C that some libraries use for "disconnected".</li>
 * </ul>
 */
public final class W1Thermometer implements Sensor {

    /** DS18B20 family code 28h and a 48-bit serial, as the w1 core names the directory. */
    private static final Pattern DS18B20 = Pattern.compile("28-[0-9a-f]{12}");
    static final long POWER_ON_RESET_MILLI = 85_000;
    static final long MIN_MILLI = -55_000;
    static final long MAX_MILLI = 125_000;

    private final String id;
    private final Path dir;
    private final Duration interval;
    private final List<ChannelInfo> channels;

    /**
     * @param deviceId  the device id; the channel is {@code deviceId.temperature}, in °C
     * @param deviceDir the sensor's directory, ".../bus/w1/devices/28-0000075d5c1a"
     */
    public W1Thermometer(String deviceId, Path deviceDir, Duration interval) {
        this.id = deviceId;
        this.dir = deviceDir;
        this.interval = interval;
        this.channels = List.of(new ChannelInfo(deviceId + ".temperature", "Temperature " + deviceDir.getFileName(), "°C"));
    }

    /** The sensor with serial {@code serial} ("28-0000075d5c1a"), device id = the serial. */
    public static W1Thermometer at(Path sysfsRoot, String serial, Duration interval) {
        if (!DS18B20.matcher(serial).matches()) {
            throw new IllegalArgumentException("'" + serial + "' is not a DS18B20 serial like 28-0000075d5c1a");
        }
        return new W1Thermometer(serial, devicesDir(sysfsRoot).resolve(serial), interval);
    }

    /**
     * Every DS18B20 present under {@code sysfsRoot/bus/w1/devices}, sorted by serial, each with its
     * serial as device id. No 1-Wire bus (the directory is missing) gives an empty list.
     */
    public static List<W1Thermometer> discover(Path sysfsRoot, Duration interval) {
        List<String> serials = new ArrayList<>();
        try {
            for (Path p : SysfsFiles.list(devicesDir(sysfsRoot), "28-*")) {
                String n = p.getFileName().toString();
                if (DS18B20.matcher(n).matches()) {
                    serials.add(n);
                }
            }
        } catch (IOException e) {
            return List.of(); // detect says why; a configured sensor names its serial and needs no listing
        }
        serials.sort(null);
        List<W1Thermometer> list = new ArrayList<>();
        for (String s : serials) {
            list.add(at(sysfsRoot, s, interval));
        }
        return list;
    }

    private static Path devicesDir(Path sysfsRoot) {
        return sysfsRoot.resolve("bus/w1/devices");
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
        Path slave = dir.resolve("w1_slave");
        Path temperature = dir.resolve("temperature");
        long milli;
        Path from;
        if (Files.exists(slave)) {
            from = slave;
            milli = W1Slave.parse(SysfsFiles.readText(slave, SysfsFiles.MAX_ATTRIBUTE_BYTES), slave);
        } else if (Files.exists(temperature)) {
            from = temperature;
            String text = SysfsFiles.readTrimmed(temperature);
            if (text.isEmpty()) {
                throw new IOException(temperature + " is empty: the sensor did not answer on the 1-Wire bus");
            }
            try {
                milli = Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new IOException(temperature + " holds '" + SysfsFiles.excerpt(text) + "', not millidegrees");
            }
        } else {
            throw new IOException(Files.isDirectory(dir)
                    ? dir + " has neither w1_slave nor temperature (not a w1_therm sensor?)"
                    : "1-Wire sensor " + dir + " is not present (unplugged, or the w1-gpio overlay not loaded?)");
        }
        values[0] = check(milli, from) / 1000.0;
    }

    private static long check(long milli, Path file) throws IOException {
        if (milli == POWER_ON_RESET_MILLI) {
            throw new IOException(file + ": 85 °C is the sensor's power-on value: the conversion did not run (weak power supply?)");
        }
        if (milli < MIN_MILLI || milli > MAX_MILLI) {
            throw new IOException(file + ": " + milli / 1000.0 + " °C is outside the DS18B20's range of -55 to 125 °C");
        }
        return milli;
    }

    /** Nothing is held between reads. */
    @Override
    public void close() {}
}

package io.sensorcast.sensor.sysfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One channel of an Industrial I/O device ({@code /sys/bus/iio/devices/iio:deviceN}), given as the
 * attribute stem without its suffix: {@code in_temp}, {@code in_humidityrelative},
 * {@code in_pressure}, {@code in_voltage0}.
 *
 * <p>Per Documentation/ABI/testing/sysfs-bus-iio: {@code <stem>_input} is the processed value,
 * already in the channel type's unit; otherwise the value is {@code (<stem>_raw + offset) * scale},
 * with {@code offset} and {@code scale} from {@code <stem>_offset} / {@code <stem>_scale}, or from
 * the type-wide {@code in_<type>_offset} / {@code in_<type>_scale} when the channel has none of its
 * own; an absent offset is 0 ("not present if the offset is always 0 or unknown") and an absent
 * scale is 1. Units after that, from the same document: temperature in millidegrees Celsius,
 * relative humidity in milli-percent, pressure in kilopascal, voltage in millivolts, current in
 * milliamps. {@link #standardConversion} maps those to what a dashboard shows.
 *
 * <p>The kernel's bmp280 driver (a BME280 with {@code dtoverlay=i2c-sensor,bme280}) registers an
 * IIO device named "bme280" with processed {@code in_temp_input}, {@code in_humidityrelative_input}
 * and {@code in_pressure_input}; it is not a hwmon device.
 */
public final class IioChannel implements NumberSource {

    private static final Pattern STEM = Pattern.compile("(in|out)_([a-z]+)[a-z0-9_-]*");

    private final DeviceByName byName; // null when the directory is fixed
    private final Path fixedDir;
    private final String stem;
    private final String typeStem;

    private IioChannel(DeviceByName byName, Path fixedDir, String stem) {
        Matcher m = STEM.matcher(stem == null ? "" : stem);
        if (!m.matches()) {
            throw new IllegalArgumentException("IIO channel '" + stem + "' must look like in_temp, in_pressure or in_voltage0");
        }
        if (stem.endsWith("_raw") || stem.endsWith("_input") || stem.endsWith("_scale") || stem.endsWith("_offset")) {
            throw new IllegalArgumentException("IIO channel '" + stem + "': give the channel without its suffix, e.g. "
                    + stem.substring(0, stem.lastIndexOf('_')));
        }
        this.byName = byName;
        this.fixedDir = fixedDir;
        this.stem = stem;
        this.typeStem = m.group(1) + "_" + m.group(2); // in_voltage0 -> in_voltage
    }

    /** The channel {@code stem} of the device in {@code deviceDir} (".../iio:device0"). */
    public static IioChannel at(Path deviceDir, String stem) {
        return new IioChannel(null, deviceDir, stem);
    }

    /**
     * The channel {@code stem} of the IIO device whose {@code name} is {@code deviceName}
     * ("bme280"), under {@code sysfsRoot/bus/iio/devices}. The device is looked up on the first
     * read and again after a failed one; two devices of that name are an error.
     */
    public static IioChannel byName(Path sysfsRoot, String deviceName, String stem) {
        return new IioChannel(new DeviceByName(sysfsRoot.resolve("bus/iio/devices"), "iio:device*", deviceName, "IIO device"),
                null, stem);
    }

    public String stem() {
        return stem;
    }

    @Override
    public double read() throws IOException {
        Path dir = byName == null ? fixedDir : byName.get();
        try {
            return readFrom(dir);
        } catch (IOException e) {
            if (byName != null) {
                byName.forget();
            }
            throw e;
        }
    }

    private double readFrom(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("IIO device " + dir + " does not exist");
        }
        Path input = dir.resolve(stem + "_input");
        if (Files.exists(input)) {
            return SysfsFiles.readNumber(input);
        }
        Path raw = dir.resolve(stem + "_raw");
        if (!Files.exists(raw)) {
            throw new IOException(dir + " has neither " + stem + "_input nor " + stem + "_raw");
        }
        double value = SysfsFiles.readNumber(raw);
        double offset = optional(dir, "offset", 0);
        double scale = optional(dir, "scale", 1);
        return (value + offset) * scale;
    }

    /** The channel's own attribute, else the type-wide one, else {@code absent}. */
    private double optional(Path dir, String what, double absent) throws IOException {
        Path own = dir.resolve(stem + "_" + what);
        if (Files.exists(own)) {
            return SysfsFiles.readNumber(own);
        }
        Path shared = dir.resolve(typeStem + "_" + what);
        if (!typeStem.equals(stem) && Files.exists(shared)) {
            return SysfsFiles.readNumber(shared);
        }
        return absent;
    }

    /**
     * How to show this channel's type: the multiplier from the ABI unit and the unit symbol.
     * Temperature millidegrees to °C, humidity milli-percent to %, pressure kPa to hPa (what
     * weather reports use), voltage mV to V, current mA to A; other types as they are.
     */
    public Conversion standardConversion() {
        String type = typeStem.substring(typeStem.indexOf('_') + 1);
        switch (type) {
            case "temp":
                return new Conversion(0, 0.001, "°C");
            case "humidityrelative":
                return new Conversion(0, 0.001, "%");
            case "pressure":
                return new Conversion(0, 10, "hPa");
            case "voltage":
                return new Conversion(0, 0.001, "V");
            case "current":
                return new Conversion(0, 0.001, "A");
            case "illuminance":
                return new Conversion(0, 1, "lx");
            default:
                return new Conversion(0, 1, "");
        }
    }

    @Override
    public String toString() {
        return stem + " of " + (byName == null ? fixedDir : byName);
    }
}

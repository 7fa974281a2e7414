package io.sensorcast.sensor.sysfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What hwmon chips and IIO devices a sysfs tree holds, and which of their attributes are
 * readings: the listing behind {@code sensorcast detect}. The attributes are returned as the
 * drivers' own {@link HwmonAttribute} and {@link IioChannel}, so reading them, their units and
 * what counts as a valid name stay in one place.
 */
public final class SysfsDevices {

    /** hwmon attributes worth showing: measured values and alarms. Limits (_max, _crit) are not readings. */
    private static final Pattern HWMON_READING = Pattern.compile("[a-z]+\\d+_(input|alarm|[a-z]+_alarm)");
    /** IIO channel attributes: the processed value or the raw one (Documentation/ABI/testing/sysfs-bus-iio). */
    private static final Pattern IIO_READING = Pattern.compile("(in_[a-z0-9_]+?)_(input|raw)");
    private static final Pattern TRAILING_NUMBER = Pattern.compile("(\\d+)$");

    /**
     * One device directory and its {@code name} attribute.
     *
     * @param dir  ".../class/hwmon/hwmon0" or ".../bus/iio/devices/iio:device0"
     * @param name the {@code name} attribute, or null when it has none or it cannot be read
     */
    public record Device(Path dir, String name) {}

    private SysfsDevices() {}

    /** Every {@code class/hwmon/hwmonN} under {@code sysfsRoot}, by number; none if the class is absent. */
    public static List<Device> hwmon(Path sysfsRoot) {
        return list(sysfsRoot.resolve("class/hwmon"), "hwmon*");
    }

    /** Every {@code bus/iio/devices/iio:deviceN} under {@code sysfsRoot}, by number; none if the bus is absent. */
    public static List<Device> iio(Path sysfsRoot) {
        return list(sysfsRoot.resolve("bus/iio/devices"), "iio:device*");
    }

    /**
     * The readings of a hwmon chip: each {@code *_input} (temp1_input, in0_input, fan1_input) and
     * each alarm (in0_lcrit_alarm), in name order. Attributes outside the hwmon naming scheme are
     * left out.
     */
    public static List<HwmonAttribute> hwmonReadings(Path hwmonDir) {
        List<HwmonAttribute> list = new ArrayList<>();
        for (String name : fileNames(hwmonDir)) {
            if (HWMON_READING.matcher(name).matches()) {
                try {
                    list.add(HwmonAttribute.at(hwmonDir, name));
                } catch (IllegalArgumentException e) {
                    // Not a hwmon attribute after all (a vendor's own file): nothing we can convert.
                }
            }
        }
        return list;
    }

    /**
     * The input channels of an IIO device, one per stem that has an {@code _input} or a
     * {@code _raw} attribute (in_temp, in_humidityrelative, in_voltage0), in name order.
     */
    public static List<IioChannel> iioChannels(Path iioDir) {
        TreeSet<String> stems = new TreeSet<>();
        for (String name : fileNames(iioDir)) {
            Matcher m = IIO_READING.matcher(name);
            if (m.matches()) {
                stems.add(m.group(1)); // a channel with both _input and _raw is one channel
            }
        }
        List<IioChannel> list = new ArrayList<>();
        for (String stem : stems) {
            try {
                list.add(IioChannel.at(iioDir, stem));
            } catch (IllegalArgumentException e) {
                // A stem the IIO driver code would not accept either: skip it rather than offer it.
            }
        }
        return list;
    }

    private static List<Device> list(Path parent, String glob) {
        List<Device> devices = new ArrayList<>();
        try {
            for (Path dir : SysfsFiles.list(parent, glob)) {
                devices.add(new Device(dir, DeviceByName.nameOf(dir)));
            }
        } catch (IOException e) {
            return List.of(); // detect says why
        }
        // By number, so that hwmon10 comes after hwmon2 as the kernel numbered them.
        devices.sort(Comparator.comparingLong((Device d) -> number(d.dir())).thenComparing(d -> d.dir().toString()));
        return devices;
    }

    private static long number(Path dir) {
        Matcher m = TRAILING_NUMBER.matcher(dir.getFileName().toString());
        if (!m.find()) {
            return Long.MAX_VALUE;
        }
        try {
            return Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** The regular files in {@code dir}, sorted; none when it cannot be listed. */
    private static List<String> fileNames(Path dir) {
        List<String> names = new ArrayList<>();
        try {
            for (Path f : SysfsFiles.list(dir, Files::isRegularFile)) {
                names.add(f.getFileName().toString());
            }
        } catch (IOException e) {
            return List.of();
        }
        names.sort(null);
        return names;
    }
}

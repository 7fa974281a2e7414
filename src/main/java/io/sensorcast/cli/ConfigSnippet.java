package io.sensorcast.cli;

import io.sensorcast.config.ConfigError;
import io.sensorcast.config.ConfigLoader;
import io.sensorcast.config.ConfigSchema;
import io.sensorcast.config.DeviceConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The configuration {@code sensorcast detect} prints for pasting into conf.d: {@code [device.<id>]}
 * sections that {@code sensorcast check} accepts next to the configuration already in place.
 *
 * <p>Each section is validated by {@link ConfigLoader} as it is added, so what is printed is what
 * the loader takes, and the hardware it claims is compared with the devices already configured:
 * a device the configuration already has (the same DS18B20, the same BME280 address, the one
 * system device) is printed as a comment saying where, since pasting it again would be a
 * mistake {@code check} reports. Ids avoid the ones in use, because a conf.d file that reuses an
 * id changes that device instead of adding one.
 */
final class ConfigSnippet {

    /** Device ids, as ConfigLoader checks them. */
    private static final Pattern DEVICE_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
    private static final int MAX_ID = 32;

    private final Set<String> ids = new HashSet<>();
    /** Hardware already claimed (a claim text as ConfigSchema words it) → "device X (file:line)". */
    private final Map<String, String> claimed = new HashMap<>();
    private final StringBuilder text = new StringBuilder();
    private final List<String> added = new ArrayList<>();

    /** @param existing the devices the configuration defines; built-in ones do not count (the snippet replaces them) */
    ConfigSnippet(List<DeviceConfig> existing) {
        for (DeviceConfig d : existing) {
            if (d.isBuiltIn()) {
                continue;
            }
            ids.add(d.id());
            for (String h : hardware(d)) {
                claimed.putIfAbsent(h, "device " + d.id() + " (" + d.origin() + ")");
            }
        }
    }

    /**
     * Adds a device section, or a comment when the configuration already has that hardware.
     *
     * @param wantedId the id to use if it is free; sanitised to the id alphabet, "-2", "-3", ... if not free
     * @param comment  lines above the section (without '#'), or null
     * @param keys     key, value, key, value, ...; the first key is {@code type}
     * @return the id given to the device, or null if it was left out
     */
    String device(String wantedId, String comment, String... keys) {
        if (keys.length < 2 || keys.length % 2 != 0 || !keys[0].equals("type")) {
            throw new IllegalArgumentException("keys must be pairs starting with type");
        }
        String id = freeId(sanitize(wantedId));
        String section = section(id, keys);
        ConfigLoader.Result r = ConfigLoader.fromTexts(Map.of("detected", section));
        if (!r.ok()) {
            // Not expected: the values come from the schema's own words. Printed commented out,
            // so that a surprise here cannot make the pasted file fail check.
            appendBlank();
            text.append("# left out, the configuration would not accept it:");
            for (ConfigError e : r.errors()) {
                text.append(' ').append(e.message());
            }
            text.append('\n');
            appendCommented(section);
            return null;
        }
        DeviceConfig d = r.config().devices().get(0);
        for (String h : hardware(d)) {
            String owner = claimed.get(h);
            if (owner != null) {
                appendBlank();
                text.append("# already configured: ").append(h).append(", by ").append(owner).append('\n');
                return null;
            }
        }
        hardware(d).forEach(h -> claimed.put(h, "device " + id + " (above)"));
        ids.add(id);
        added.add(id);
        appendBlank();
        appendComment(comment);
        text.append(section);
        return id;
    }

    /** A free id for a commented example, kept from the devices added later, so uncommenting it collides with nothing. */
    String reserve(String wantedId) {
        String id = freeId(sanitize(wantedId));
        ids.add(id);
        return id;
    }

    /** A block of lines, each commented out: examples a person completes. */
    void example(String comment, String block) {
        appendBlank();
        appendComment(comment);
        appendCommented(block);
    }

    /** The ids of the devices added, in order. */
    List<String> ids() {
        return List.copyOf(added);
    }

    String text() {
        return text.toString();
    }

    /** {@code [device.id]} and aligned {@code key = value} lines. */
    static String section(String id, String... keys) {
        int width = 0;
        for (int i = 0; i < keys.length; i += 2) {
            width = Math.max(width, keys[i].length());
        }
        StringBuilder b = new StringBuilder("[device.").append(id).append("]\n");
        for (int i = 0; i < keys.length; i += 2) {
            b.append(String.format(Locale.ROOT, "%-" + width + "s = %s", keys[i], quote(keys[i + 1]))).append('\n');
        }
        return b.toString();
    }

    /**
     * The value as the file format reads it back: bare when that is unambiguous, else in quotes
     * (a '#' or ';' after a space would start a comment; a leading quote or edge spaces would be lost).
     */
    static String quote(String value) {
        boolean plain = !value.isEmpty() && !value.contains("\"") && !value.contains("\\") && !value.contains("#")
                && !value.contains(";") && value.strip().equals(value);
        return plain ? value : "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Lower case, other characters as '-', starting with a letter or digit, at most 32 long. */
    static String sanitize(String wanted) {
        String s = wanted.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-").replaceAll("^[-_]+", "");
        if (s.isEmpty()) {
            s = "device";
        }
        return s.length() > MAX_ID ? s.substring(0, MAX_ID) : s;
    }

    private String freeId(String id) {
        if (!ids.contains(id)) {
            return id;
        }
        for (int n = 2; ; n++) {
            String suffix = "-" + n;
            String candidate = (id.length() + suffix.length() > MAX_ID ? id.substring(0, MAX_ID - suffix.length()) : id) + suffix;
            if (!ids.contains(candidate) && DEVICE_ID.matcher(candidate).matches()) {
                return candidate;
            }
        }
    }

    /**
     * What a device occupies: the claims ConfigSchema checks (a GPIO, an I2C address, a 1-Wire
     * sensor, the system channels), and for sysfs devices the file or IIO channel read, which the
     * schema does not claim (two readers do no harm) but which is pointless to add twice.
     */
    private static List<String> hardware(DeviceConfig d) {
        List<String> list = new ArrayList<>(ConfigSchema.types().get(d.type()).claims().apply(d));
        if (d.type().equals("sysfs")) {
            list.add(d.has("path")
                    ? "the file " + Path.of(d.string("path")).normalize()
                    : "IIO channel " + d.string("iio_channel") + " of " + Path.of(d.string("iio_device")).normalize());
        }
        return list;
    }

    private void appendBlank() {
        if (text.length() > 0) {
            text.append('\n');
        }
    }

    /** Each line of {@code comment} (none if null) as a comment line. */
    private void appendComment(String comment) {
        if (comment != null) {
            for (String line : comment.split("\n")) {
                text.append("# ").append(line).append('\n');
            }
        }
    }

    private void appendCommented(String block) {
        for (String line : block.split("\n")) {
            text.append(line.isEmpty() ? "#" : "# " + line).append('\n');
        }
    }
}

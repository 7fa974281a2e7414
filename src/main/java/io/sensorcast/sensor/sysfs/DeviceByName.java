package io.sensorcast.sensor.sysfs;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the one device directory (hwmonN, iio:deviceN) whose {@code name} attribute is a given
 * chip name. The number N is given out in probe order and changes between boots or when a driver
 * is reloaded, so a configuration names the chip, and the directory is looked up again whenever a
 * read fails (the device may have come back under another number).
 */
final class DeviceByName {

    private final Path parent;
    private final String glob;
    private final String name;
    private final String kind;
    private Path resolved;

    /**
     * @param parent the directory holding the devices ({@code class/hwmon})
     * @param glob   their names ({@code hwmon*})
     * @param kind   for messages ("hwmon device")
     */
    DeviceByName(Path parent, String glob, String name, String kind) {
        this.parent = parent;
        this.glob = glob;
        this.name = name;
        this.kind = kind;
    }

    /** The directory, looked up if not known yet. */
    Path get() throws IOException {
        if (resolved == null) {
            resolved = lookUp();
        }
        return resolved;
    }

    /** Forgets the directory, so that the next {@link #get} looks again. */
    void forget() {
        resolved = null;
    }

    private Path lookUp() throws IOException {
        List<Path> matches = new ArrayList<>();
        try {
            for (Path dir : SysfsFiles.list(parent, glob)) {
                if (name.equals(nameOf(dir))) {
                    matches.add(dir);
                }
            }
        } catch (NoSuchFileException e) {
            throw new IOException("no " + kind + " named '" + name + "': " + parent + " does not exist", e);
        }
        if (matches.isEmpty()) {
            throw new IOException("no " + kind + " named '" + name + "' under " + parent);
        }
        if (matches.size() > 1) {
            // Two identical chips (a BME280 at 0x76 and one at 0x77): picking one would be a guess.
            List<String> names = new ArrayList<>();
            matches.forEach(m -> names.add(m.getFileName().toString()));
            names.sort(null);
            throw new IOException(matches.size() + " " + kind + "s are named '" + name + "' (" + String.join(", ", names)
                    + "): configure the device directory instead of the name");
        }
        return matches.get(0);
    }

    /** The device's name, or null if it has none or it cannot be read (that device is not ours to judge). */
    static String nameOf(Path dir) {
        try {
            return SysfsFiles.readTrimmed(dir.resolve("name"));
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return kind + " '" + name + "' under " + parent;
    }
}

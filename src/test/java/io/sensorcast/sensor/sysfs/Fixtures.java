package io.sensorcast.sensor.sysfs;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

/**
 * The captured sysfs/procfs trees under src/test/resources, and the file failures a real kernel
 * produces, made on demand in a test's own directory.
 */
public final class Fixtures {

    private Fixtures() {}

    /** A fixture tree on the test class path, e.g. "sysfs/pi4". Read-only: copy it to change it. */
    public static Path tree(String name) {
        URL url = Fixtures.class.getResource("/" + name);
        if (url == null) {
            throw new IllegalArgumentException("no fixture " + name + " on the test class path");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Copies fixture {@code name} into {@code target} (created) and returns {@code target}. */
    public static Path copy(String name, Path target) throws IOException {
        Path from = tree(name);
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path to = target.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.createDirectories(to.getParent());
                    Files.copy(p, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return target;
    }

    /** Writes {@code text} to {@code file}, creating its directories. */
    public static Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    /**
     * Makes {@code file} a file whose read fails with EIO, as a sysfs attribute of a sensor that
     * stopped answering does: a link to /proc/self/mem, whose first page is never mapped, so
     * reading it from offset 0 fails with "Input/output error" on every Linux.
     */
    public static Path failingWithEio(Path file) throws IOException {
        Path mem = Path.of("/proc/self/mem");
        assumeTrue(Files.exists(mem), "needs /proc/self/mem");
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        return Files.createSymbolicLink(file, mem);
    }

    /**
     * Makes {@code file} one the test process may not read. Without root: mode 000. As root, which
     * reads any regular file, a link to a write-only sysfs attribute: kernfs refuses to open those
     * for reading even to root (KERNFS_ROOT_EXTRA_OPEN_PERM_CHECK), with a real EACCES.
     */
    public static Path unreadable(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        Files.writeString(file, "1\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        if (!Files.isReadable(file)) {
            return file;
        }
        Files.delete(file);
        for (String candidate : List.of("/sys/bus/platform/drivers_probe", "/sys/bus/platform/uevent", "/sys/bus/cpu/uevent")) {
            Path target = Path.of(candidate);
            if (Files.exists(target)) {
                return Files.createSymbolicLink(file, target);
            }
        }
        assumeTrue(false, "running as root and no write-only sysfs attribute to stand for an unreadable file");
        return file;
    }
}

package io.sensorcast.cli;

import io.sensorcast.sensor.sysfs.SysfsFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The device nodes of one kind of bus under /dev (i2c-N, spidevB.C, gpiochipN), whether this
 * process may open them, and what to do when it may not.
 *
 * <p>"May open" is a {@link Predicate} handed in: in production readable and writable per
 * {@link Files#isReadable}/{@link Files#isWritable} (the drivers open nodes read-write), which
 * asks the kernel (access(2)) and so counts groups and ACLs. Tests hand in their own, since they
 * run as root here, and root passes access(2) for any file whatever its mode.
 */
final class DeviceNodes {

    /** The production check: what the drivers need to open a node. */
    static final Predicate<Path> READ_WRITE = node -> Files.isReadable(node) && Files.isWritable(node);

    private static final Pattern NUMBER = Pattern.compile("\\d+");

    /**
     * @param path       the node
     * @param accessible whether this process may open it read-write
     * @param group      the group owning it, or null when it cannot be told
     * @param mode       its permissions ("rw-rw----"), or null
     */
    record Node(Path path, boolean accessible, String group, String mode) {}

    private DeviceNodes() {}

    /**
     * The nodes under {@code devRoot} matching {@code glob}, in numeric order (i2c-2 before i2c-10);
     * none when {@code devRoot} does not exist.
     *
     * @throws IOException "cannot list DIR: reason" when {@code devRoot} cannot be read
     */
    static List<Node> list(Path devRoot, String glob, Predicate<Path> mayOpen) throws IOException {
        List<Path> paths;
        try {
            paths = SysfsFiles.list(devRoot, glob);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        paths.sort(Comparator.comparing((Path p) -> p.getFileName().toString(), DeviceNodes::naturalOrder));
        List<Node> nodes = new ArrayList<>();
        for (Path p : paths) {
            String group = null;
            String mode = null;
            try {
                PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class);
                group = a.group().getName();
                mode = PosixFilePermissions.toString(a.permissions());
            } catch (IOException | UnsupportedOperationException e) {
                // Unknown owner: the advice falls back to the group Raspberry Pi OS uses.
            }
            nodes.add(new Node(p, mayOpen.test(p), group, mode));
        }
        return nodes;
    }

    /**
     * What to do about a node this user may not open.
     *
     * @param group       the node's group, or null if unknown
     * @param usualGroup  the group Raspberry Pi OS's udev rules give such nodes (i2c, spi, gpio)
     */
    static String advice(String user, String group, String mode, String usualGroup) {
        String who = "not accessible to user " + user + ": ";
        if (group == null) {
            return who + "join the group that owns it (on Raspberry Pi OS " + usualGroup + "): sudo usermod -aG "
                    + usualGroup + " $USER, then log in again";
        }
        String owner = "owned by group " + group + (mode == null ? "" : " (" + mode + ")");
        if (group.equals("root")) {
            // "usermod -aG root" would hand the user far more than this bus: say what is usual instead.
            return who + owner + ", not " + usualGroup + " as Raspberry Pi OS's udev rules set it, so only root may open it; "
                    + "restore that rule, then sudo usermod -aG " + usualGroup + " $USER and log in again";
        }
        return who + owner + ": sudo usermod -aG " + group + " $USER, then log in again";
    }

    /** Names compared with their numbers as numbers: spidev0.2 before spidev0.10, i2c-2 before i2c-10. */
    static int naturalOrder(String a, String b) {
        Matcher ma = NUMBER.matcher(a);
        Matcher mb = NUMBER.matcher(b);
        int ia = 0;
        int ib = 0;
        while (ma.find(ia) && mb.find(ib)) {
            int c = a.substring(ia, ma.start()).compareTo(b.substring(ib, mb.start()));
            if (c != 0) {
                return c;
            }
            c = Long.compare(parse(ma.group()), parse(mb.group()));
            if (c != 0) {
                return c;
            }
            ia = ma.end();
            ib = mb.end();
        }
        return a.substring(ia).compareTo(b.substring(ib));
    }

    private static long parse(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}

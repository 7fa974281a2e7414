package io.sensorcast.sensor.pi4j;

import io.sensorcast.sensor.sysfs.SysfsFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The GPIO chips ({@code /dev/gpiochipN}) with their labels, and which of them drives the 40-pin
 * header. Its number is not fixed: a Pi 3 or 4 has it as gpiochip0, a Pi 5 as gpiochip4 with the
 * kernels it shipped with and as gpiochip0 since Raspberry Pi OS's 6.6.45 kernel (raspberrypi/linux
 * pull request 6144 gave its RP1 chip the number 0 and moved the SoC's four chips to 10-13), and
 * the numbers may move again. Its label does not: {@code pinctrl-rp1} (Pi 5), {@code pinctrl-bcm2711}
 * (Pi 4), {@code pinctrl-bcm2835} (Pi 3 and older, and a Pi 4 with old kernels).
 *
 * <p>The label is what the character device's GPIO_GET_CHIPINFO ioctl reports, which Java cannot
 * call; sysfs has it too, in the legacy GPIO class ({@code /sys/class/gpio/gpiochipBASE/label},
 * named by the chip's first global GPIO number, not by N). That directory sits beside the chip's
 * device ({@code /sys/bus/gpio/devices/gpiochipN}) under their common parent, the controller's
 * platform device, which its {@code device} link points to: so {@code gpiochipBASE/device/gpiochipN}
 * names N (gpiolib-sysfs.c, gpiochip_sysfs_register: the class device's parent is the chip's parent
 * device). A controller with two banks (the Pi 5's gpio-brcmstb) holds two chips there; those
 * labels stay unknown, and no header chip has two banks.
 *
 * <p>Pi4J 2.8.0's gpiod provider takes the first chip, in the alphabetical order of the names in
 * /dev, whose label contains "pinctrl" (GpioDContext.initialize; it has no setting to choose
 * another), and libgpiod 1.6's chip iterator that it uses opens every chip first. {@link #pi4jChoice}
 * is that rule, so the drivers can tell before Pi4J does whether it would land on the header.
 */
public final class GpioChips {

    /** Labels of the chips that drive the 40-pin header, newest board first. */
    public static final List<String> HEADER_LABELS = List.of("pinctrl-rp1", "pinctrl-bcm2711", "pinctrl-bcm2835");

    private static final Pattern CHIP = Pattern.compile("gpiochip\\d+");

    /**
     * One chip.
     *
     * @param node  its device node, /dev/gpiochipN
     * @param label its label, or null when sysfs does not tell it
     * @param aliasOf the chip it is a link to (Raspberry Pi OS links gpiochip4 to gpiochip0 on a Pi 5), or null
     */
    public record Chip(Path node, String label, String aliasOf) {
        /** Whether this chip drives the 40-pin header. */
        public boolean header() {
            return aliasOf == null && label != null && HEADER_LABELS.contains(label);
        }

        public String name() {
            return node.getFileName().toString();
        }

        /** "gpiochip4 [pinctrl-rp1]", or the name alone when the label is unknown. */
        @Override
        public String toString() {
            return name() + (label == null ? "" : " [" + label + "]");
        }
    }

    private final List<Chip> chips;
    private final String unlisted;

    private GpioChips(List<Chip> chips) {
        this(chips, null);
    }

    private GpioChips(List<Chip> chips, String unlisted) {
        this.chips = List.copyOf(chips);
        this.unlisted = unlisted;
    }

    /**
     * The chips under {@code devRoot} in numeric order (gpiochip4 before gpiochip10), labelled from
     * {@code sysfsRoot} (null: labels unknown). None when the device directory does not exist, or
     * cannot be read ({@link #unlisted} then says why).
     */
    public static GpioChips find(Path sysfsRoot, Path devRoot) {
        Map<String, String> labels = labels(sysfsRoot);
        List<Path> nodes = new ArrayList<>();
        try {
            for (Path p : SysfsFiles.list(devRoot, "gpiochip*")) {
                if (CHIP.matcher(p.getFileName().toString()).matches()) {
                    nodes.add(p);
                }
            }
        } catch (NoSuchFileException e) {
            return new GpioChips(List.of());
        } catch (IOException e) {
            // A directory read that fails (a 32-bit JVM under qemu-user on ext4): no chips, and why.
            return new GpioChips(List.of(), e.getMessage());
        }
        nodes.sort((a, b) -> Integer.compare(number(a), number(b)));
        List<Chip> list = new ArrayList<>();
        for (Path node : nodes) {
            String aliasOf = null;
            String real = node.getFileName().toString();
            if (Files.isSymbolicLink(node)) {
                try {
                    real = node.toRealPath().getFileName().toString();
                    aliasOf = real.equals(node.getFileName().toString()) ? null : real;
                } catch (IOException e) {
                    // A dangling link: no chip behind it, its label unknown.
                }
            }
            list.add(new Chip(node, labels.get(real), aliasOf));
        }
        return new GpioChips(list);
    }

    public List<Chip> all() {
        return chips;
    }

    /** Why the device directory could not be read ("cannot list /dev: reason"), if it could not. */
    public Optional<String> unlisted() {
        return Optional.ofNullable(unlisted);
    }

    /** Whether every chip's label is known, so that "no header chip" is a fact and not a guess. */
    public boolean labelsKnown() {
        return !chips.isEmpty() && chips.stream().allMatch(c -> c.label() != null);
    }

    /** The chip of the 40-pin header, found by its label. */
    public Optional<Chip> header() {
        return chips.stream().filter(Chip::header).findFirst();
    }

    /**
     * The chip Pi4J 2.8.0 will use: the first by name (alphabetical, as scandir sorts: gpiochip10
     * before gpiochip4) whose label has "pinctrl"; a link stands for the chip it points to.
     */
    public Optional<Chip> pi4jChoice() {
        Optional<Chip> first = chips.stream().filter(c -> c.label() != null && c.label().contains("pinctrl"))
                .min((a, b) -> a.name().compareTo(b.name()));
        if (first.isPresent() && first.get().aliasOf() != null) {
            String real = first.get().aliasOf();
            return chips.stream().filter(c -> c.aliasOf() == null && c.name().equals(real)).findFirst();
        }
        return first;
    }

    /** "gpiochip0 [pinctrl-rp1], gpiochip10 [gpio-brcmstb@107d508500], ...", for messages. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        chips.forEach(c -> parts.add(c.toString()));
        return String.join(", ", parts);
    }

    /**
     * gpiochipN → label, from the legacy GPIO class; empty when the kernel has none (CONFIG_GPIO_SYSFS
     * off). The chips of a controller with several banks get all its labels joined with " or "
     * (which bank is which cannot be told from sysfs), unless one has "pinctrl" in it: then they
     * stay unknown, since Pi4J's choice would be a guess.
     */
    private static Map<String, String> labels(Path sysfsRoot) {
        Map<String, String> labels = new HashMap<>();
        if (sysfsRoot == null) {
            return labels;
        }
        Map<List<String>, List<String>> byController = new HashMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(sysfsRoot.resolve("class/gpio"), "gpiochip*")) {
            for (Path entry : ds) {
                String label = label(entry);
                List<String> chips = chipsOf(entry.resolve("device"));
                if (label != null && !chips.isEmpty()) {
                    byController.computeIfAbsent(chips, k -> new ArrayList<>()).add(label);
                }
            }
        } catch (IOException | RuntimeException e) {
            return labels; // no legacy class here: the labels stay unknown
        }
        byController.forEach((chips, found) -> {
            found.sort(null);
            if (chips.size() == 1 && found.size() == 1) {
                labels.put(chips.get(0), found.get(0));
            } else if (chips.size() == found.size() && found.stream().noneMatch(l -> l.contains("pinctrl"))) {
                chips.forEach(c -> labels.put(c, String.join(" or ", found)));
            }
        });
        return labels;
    }

    private static String label(Path entry) {
        try {
            byte[] bytes = Files.readAllBytes(entry.resolve("label"));
            String s = new String(bytes, 0, Math.min(bytes.length, 256), java.nio.charset.StandardCharsets.UTF_8).trim();
            return s.isEmpty() ? null : s;
        } catch (IOException e) {
            return null;
        }
    }

    /** The gpiochipN directories under a controller's device, sorted; none when it cannot be listed. */
    private static List<String> chipsOf(Path device) {
        List<String> found = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(device, "gpiochip*")) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (CHIP.matcher(name).matches() && Files.isDirectory(p)) {
                    found.add(name);
                }
            }
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        if (found.isEmpty()) {
            // A chip without a parent device has its class entry under its own directory.
            try {
                String own = device.toRealPath().getFileName().toString();
                return CHIP.matcher(own).matches() ? List.of(own) : List.of();
            } catch (IOException | RuntimeException e) {
                return List.of();
            }
        }
        found.sort(null);
        return found;
    }

    private static int number(Path node) {
        try {
            return Integer.parseInt(node.getFileName().toString().substring("gpiochip".length()));
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }
}

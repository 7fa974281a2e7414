package io.sensorcast.sensor.pi4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a failure to open a device into a message that says what to do. Pi4J reports a missing
 * bus as "Sysfs validation failed ..." and a missing native library as an UnsatisfiedLinkError;
 * a person needs "enable I2C in raspi-config" or "add the user to group i2c". The diagnosis
 * looks at the device node itself, so it does not depend on the wording of Pi4J's messages.
 */
final class DeviceAdvice {

    /** What the process can do with a device node. */
    enum Access { MISSING, NO_ACCESS, PRESENT }

    private DeviceAdvice() {}

    static Access access(Path node) {
        if (!Files.exists(node)) {
            return Access.MISSING;
        }
        // The drivers open nodes read-write (I2C_RDWR, SPI_IOC_MESSAGE, GPIO line requests).
        return Files.isReadable(node) && Files.isWritable(node) ? Access.PRESENT : Access.NO_ACCESS;
    }

    /**
     * The GPIO chip to talk about. Pi4J's gpiod provider opens every /dev/gpiochip* before it picks
     * one (libgpiod 1.6's chip iterator), so a chip this process cannot open is the one to name,
     * the header's first; otherwise the header's chip, found by its label ({@link GpioChips}: on a
     * Pi 5 it is gpiochip4 or gpiochip0 depending on the kernel); otherwise the first chip.
     *
     * @throws IOException "cannot list DIR: reason" when {@code devRoot} cannot be read (see {@link #unlistedGpio})
     */
    static Path gpioNode(Path sysfsRoot, Path devRoot) throws IOException {
        GpioChips chips = GpioChips.find(sysfsRoot, devRoot);
        if (chips.unlisted().isPresent()) {
            throw new IOException(chips.unlisted().get());
        }
        if (chips.all().isEmpty()) {
            return devRoot.resolve("gpiochip0");
        }
        List<GpioChips.Chip> order = new ArrayList<>();
        chips.header().ifPresent(order::add);
        order.addAll(chips.all());
        for (GpioChips.Chip chip : order) {
            if (access(chip.node()) == Access.NO_ACCESS) {
                return chip.node();
            }
        }
        return order.get(0).node();
    }

    /**
     * GPIO failed on a board Pi4J does not recognise: its gpiod provider then opens no chip, and
     * what it says ("No gpio chip yet initialized!") would send a person looking for chips.
     */
    static String unknownBoard(Throwable cause) {
        return "Pi4J does not recognise this board as a Raspberry Pi (it goes by /proc/cpuinfo's Revision and "
                + "/proc/device-tree/model), and its GPIO driver works only on one it knows (" + rootMessage(cause) + ")";
    }

    /** GPIO failed with {@code cause}, and the chips could not be looked at to say why: both, in one line. */
    static String unlistedGpio(Throwable cause, IOException listing) {
        if (find(cause, LinkageError.class) != null) {
            return nativeAdvice(cause);
        }
        return rootMessage(cause) + " (the GPIO chips could not be looked at: " + listing.getMessage() + ")";
    }

    /** Why {@code node} could not be opened, and what to do about it. */
    static String cannotOpen(Peripheral peripheral, Path node, Throwable cause) {
        return cannotOpen(peripheral, node, access(node), cause);
    }

    static String cannotOpen(Peripheral peripheral, Path node, Access access, Throwable cause) {
        Throwable nativeFailure = find(cause, LinkageError.class);
        if (nativeFailure != null) {
            return nativeAdvice(nativeFailure);
        }
        switch (access) {
            case MISSING:
                return "no " + node + ": " + peripheral.enableAdvice();
            case NO_ACCESS:
                String group = group(node, peripheral);
                return "permission denied on " + node + ": add the user to group " + group
                        + " (sudo usermod -aG " + group + " " + System.getProperty("user.name")
                        + "), then log in again or restart the service";
            default:
                return "cannot open " + node + ": " + rootMessage(cause);
        }
    }

    /** Pi4J's native code (JNA, libgpiod, its linuxfs helper) is built for armhf and aarch64 only. */
    static String nativeAdvice(Throwable nativeFailure) {
        return "Pi4J's native code does not load on this machine (" + System.getProperty("os.arch")
                + ": " + rootMessage(nativeFailure) + "); the Pi4J drivers run on a Raspberry Pi "
                + "with 32- or 64-bit Raspberry Pi OS";
    }

    /** The innermost message in the chain: Pi4J wraps the errno text ("Remote I/O error") deep down. */
    static String rootMessage(Throwable t) {
        String message = null;
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                message = c.getMessage();
            }
        }
        return message != null ? message : t.getClass().getSimpleName();
    }

    static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    /** The node's actual group when it can be read (it is what usermod needs), else the usual one. */
    private static String group(Path node, Peripheral peripheral) {
        try {
            return Files.readAttributes(node, PosixFileAttributes.class).group().getName();
        } catch (IOException | UnsupportedOperationException e) {
            return peripheral.group();
        }
    }
}

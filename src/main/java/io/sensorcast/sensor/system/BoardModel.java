package io.sensorcast.sensor.system;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Which board this is, as its device tree says: "Raspberry Pi 5 Model B Rev 1.0". For
 * {@code sensorcast detect}, the hello of the monitor stream and /healthz.
 *
 * <p>Where, in order:
 * <ol>
 * <li>{@code /proc/device-tree/model}, the device tree's root {@code model} property: a string
 *     ending in a NUL byte, with no newline (Raspberry Pi OS links /proc/device-tree to
 *     /sys/firmware/devicetree/base);</li>
 * <li>{@code /sys/firmware/devicetree/base/model}, the same property where /proc has no link;</li>
 * <li>the {@code Model} line of {@code /proc/cpuinfo}, which Raspberry Pi kernels add.</li>
 * </ol>
 * A PC, a container or a VM has none of them: then the model is unknown, and nothing says one.
 */
public final class BoardModel {

    /** Longer than any model string; a file that is not one is cut here. */
    private static final int MAX_BYTES = 256;
    /** /proc/cpuinfo of a many-core machine is long; the Model line is at its end on a Pi (4 cores). */
    private static final int MAX_CPUINFO_LINES = 4096;

    /**
     * @param model  what the board says it is
     * @param source the file it came from
     */
    public record Found(String model, Path source) {}

    private BoardModel() {}

    /** The model under these roots, or empty when no source has one. */
    public static Optional<Found> find(Path procfsRoot, Path sysfsRoot) {
        for (Path file : new Path[] {procfsRoot.resolve("device-tree/model"), sysfsRoot.resolve("firmware/devicetree/base/model")}) {
            String model = deviceTreeString(file);
            if (model != null) {
                return Optional.of(new Found(model, file));
            }
        }
        Path cpuinfo = procfsRoot.resolve("cpuinfo");
        String model = cpuinfoModel(cpuinfo);
        return model == null ? Optional.empty() : Optional.of(new Found(model, cpuinfo));
    }

    /** The model string, or null when the board does not say. */
    public static String of(Path procfsRoot, Path sysfsRoot) {
        return find(procfsRoot, sysfsRoot).map(Found::model).orElse(null);
    }

    /** A device-tree string property: up to the first NUL, printable, or null if absent, unreadable or empty. */
    static String deviceTreeString(Path file) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return clean(new String(bytes, 0, end, StandardCharsets.UTF_8));
    }

    private static String cpuinfoModel(Path cpuinfo) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(Files.newInputStream(cpuinfo), StandardCharsets.UTF_8))) {
            String line;
            for (int n = 0; n < MAX_CPUINFO_LINES && (line = r.readLine()) != null; n++) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals("Model")) {
                    String value = line.substring(colon + 1);
                    return clean(value.length() > MAX_BYTES ? value.substring(0, MAX_BYTES) : value);
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /** Control characters dropped (the value goes into JSON and a terminal), blanks trimmed; null if nothing is left. */
    private static String clean(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().filter(c -> !Character.isISOControl(c) && c != 0xFFFD).forEach(b::appendCodePoint);
        String t = b.toString().strip();
        return t.isEmpty() ? null : t;
    }
}

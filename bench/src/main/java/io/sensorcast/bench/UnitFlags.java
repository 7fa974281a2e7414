package io.sensorcast.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM flags of the service unit's ExecStart (everything between the command and -jar): the
 * benchmark runs every server with them, so the figures are those of the JVM a Pi runs.
 */
final class UnitFlags {

    /** The unit in the checkout: bench/run runs from its root, the benchmark's tests from bench/. */
    static final Path UNIT = Files.exists(Path.of("systemd/sensorcast.service"))
            ? Path.of("systemd/sensorcast.service") : Path.of("../systemd/sensorcast.service");

    private UnitFlags() {}

    static List<String> read(Path unit) {
        try {
            return parse(Files.readAllLines(unit));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the unit's JVM flags from " + unit, e);
        }
    }

    static List<String> parse(List<String> unitLines) {
        for (String line : unitLines) {
            String l = line.strip();
            if (!l.startsWith("ExecStart=")) {
                continue;
            }
            String[] words = l.substring("ExecStart=".length()).split("\\s+");
            List<String> flags = new ArrayList<>();
            for (int i = 1; i < words.length && !words[i].equals("-jar"); i++) {
                flags.add(words[i]);
            }
            if (flags.isEmpty() || !flags.contains("-Xmx64m")) {
                throw new IllegalStateException("the unit's ExecStart has no JVM flags before -jar: " + l);
            }
            return List.copyOf(flags);
        }
        throw new IllegalStateException("the unit has no ExecStart line");
    }
}

package io.sensorcast.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the signals of the JVM running the tests are set to. */
public final class Signals {

    public static final int SIGHUP = 1;

    private Signals() {}

    /**
     * Whether this JVM was started with the signal ignored (under nohup, SIGHUP): its children
     * inherit that, and the JVM in them will not take the signal over (the SigIgn mask in
     * /proc/self/status, bit n-1).
     */
    public static boolean ignoredHere(int signal) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).trim(), 16) >>> (signal - 1) & 1) != 0;
            }
        }
        throw new AssertionError("no SigIgn in /proc/self/status");
    }
}

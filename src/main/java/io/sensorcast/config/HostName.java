package io.sensorcast.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine's host name, the default device name: what a person calls the Pi on their LAN. */
final class HostName {

    private HostName() {}

    static String get() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        try {
            String name = Files.readString(Path.of("/etc/hostname")).trim();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | SecurityException e) {
            // No /etc/hostname (not Linux, or a sandbox): fall through to the neutral name.
        }
        return "sensorcast";
    }
}

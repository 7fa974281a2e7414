package io.sensorcast.config;

/** One {@code key = value} line, with where it came from. */
public record ConfigEntry(String file, int line, String key, String value) {

    ConfigError error(String message) {
        return new ConfigError(file, line, key, message);
    }
}

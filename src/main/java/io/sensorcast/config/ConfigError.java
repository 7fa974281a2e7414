package io.sensorcast.config;

/**
 * One mistake in the configuration, located so a person can fix it over SSH with nano:
 * {@code /etc/sensorcast/conf.d/10-greenhouse.conf:12: device.greenhouse.adress: unknown key (did you mean 'address'?)}.
 *
 * @param file    the file as given (or "command line")
 * @param line    1-based line number, or 0 when the mistake is not on one line (a missing key)
 * @param key     the full key, or "" for a syntax error
 * @param message what is wrong, and where possible what would be right
 */
public record ConfigError(String file, int line, String key, String message) {

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(file);
        if (line > 0) {
            sb.append(':').append(line);
        }
        sb.append(": ");
        if (!key.isEmpty()) {
            sb.append(key).append(": ");
        }
        return sb.append(message).toString();
    }
}

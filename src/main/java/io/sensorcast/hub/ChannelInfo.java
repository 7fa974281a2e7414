package io.sensorcast.hub;

import java.util.regex.Pattern;

/**
 * One measured quantity of a device: id, display name, unit.
 *
 * @param id   dotted lower-case name, unique on the device ("bme280.temperature")
 * @param name what the dashboard shows ("Greenhouse temperature")
 * @param unit the unit symbol ("°C", "%", "" for none)
 */
public record ChannelInfo(String id, String name, String unit) {

    /** Ids end up in URLs, JSON and metric labels: keep them to a safe alphabet. */
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

    public ChannelInfo {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("channel id '" + id
                    + "' must be 1-64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit");
        }
        if (name == null || name.isBlank()) {
            name = id;
        }
        if (unit == null) {
            unit = "";
        }
    }
}

package io.sensorcast.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One configured device, validated: every key of its type is present, with its typed value or
 * default. Drivers are built from this (sensor/Drivers).
 *
 * @param id     the device id from {@code device.<id>.*}
 * @param type   the driver type
 * @param values typed values by key (without the {@code device.<id>.} prefix): Long, Double,
 *               Boolean, Duration, String or List of String; absent keys are optional and unset
 * @param origin "file:line" of the device's {@code type} key, for messages
 */
public record DeviceConfig(String id, String type, Map<String, Object> values, String origin) {

    public String name() {
        return string("name");
    }

    public Duration interval() {
        return duration("interval");
    }

    public Duration timeout() {
        return duration("timeout");
    }

    public boolean onDemand() {
        return "on-demand".equals(values.get("mode"));
    }

    public Duration grace() {
        return duration("grace");
    }

    /** One of the devices that run when the configuration defines none. */
    public boolean isBuiltIn() {
        return origin.startsWith(ConfigLoader.BUILT_IN);
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public String string(String key) {
        return (String) values.get(key);
    }

    public long integer(String key) {
        return (Long) values.get(key);
    }

    public double number(String key) {
        return (Double) values.get(key);
    }

    public boolean bool(String key) {
        return (Boolean) values.get(key);
    }

    public Duration duration(String key) {
        return (Duration) values.get(key);
    }

    @SuppressWarnings("unchecked")
    public List<String> list(String key) {
        return (List<String>) values.get(key);
    }
}

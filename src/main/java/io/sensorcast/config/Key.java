package io.sensorcast.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * One known key: its type, default, allowed range and a line of documentation (the README's key
 * table and {@code sensorcast check --keys} are printed from these).
 */
public final class Key {

    public enum Type { STRING, INT, NUMBER, BOOL, DURATION, SIZE, LIST, CHOICE }

    final String name;
    final Type type;
    final String defaultText;
    final double min;
    final double max;
    final List<String> choices;
    final boolean required;
    final String doc;
    /** Integers shown in hexadecimal in messages (I2C addresses). */
    private boolean hex;

    private Key(String name, Type type, String defaultText, double min, double max, List<String> choices,
                boolean required, String doc) {
        this.name = name;
        this.type = type;
        this.defaultText = defaultText;
        this.min = min;
        this.max = max;
        this.choices = choices;
        this.required = required;
        this.doc = doc;
    }

    static Key string(String name, String def, String doc) {
        return new Key(name, Type.STRING, def, 0, 0, List.of(), false, doc);
    }

    static Key integer(String name, long def, long min, long max, String doc) {
        return new Key(name, Type.INT, Long.toString(def), min, max, List.of(), false, doc);
    }

    /** An integer written in hexadecimal in datasheets and messages, e.g. an I2C address. */
    static Key address(String name, long def, long min, long max, String doc) {
        Key k = new Key(name, Type.INT, String.format("0x%02x", def), min, max, List.of(), false, doc);
        k.hex = true;
        return k;
    }

    static Key number(String name, double def, double min, double max, String doc) {
        return new Key(name, Type.NUMBER, trim(def), min, max, List.of(), false, doc);
    }

    static Key bool(String name, boolean def, String doc) {
        return new Key(name, Type.BOOL, Boolean.toString(def), 0, 0, List.of(), false, doc);
    }

    static Key duration(String name, String def, String min, String max, String doc) {
        return new Key(name, Type.DURATION, def, Values.duration(min).toNanos(), Values.duration(max).toNanos(),
                List.of(), false, doc);
    }

    static Key size(String name, String def, String min, String max, String doc) {
        return new Key(name, Type.SIZE, def, Values.size(min), Values.size(max), List.of(), false, doc);
    }

    static Key list(String name, String def, String doc) {
        return new Key(name, Type.LIST, def, 0, 0, List.of(), false, doc);
    }

    static Key choice(String name, String def, List<String> choices, String doc) {
        return new Key(name, Type.CHOICE, def, 0, 0, List.copyOf(choices), false, doc);
    }

    /** The same key, with no default: the configuration must set it. */
    Key required() {
        Key k = new Key(name, type, null, min, max, choices, true, doc);
        k.hex = hex;
        return k;
    }

    /** The same key, with no default: unset unless the configuration sets it. */
    Key optional() {
        Key k = new Key(name, type, null, min, max, choices, false, doc);
        k.hex = hex;
        return k;
    }

    public String name() {
        return name;
    }

    public String defaultText() {
        return defaultText;
    }

    public String doc() {
        return doc;
    }

    public boolean isRequired() {
        return required;
    }

    /** Parses and range-checks a value; the exception's message says what would be right. */
    Object parse(String raw) {
        switch (type) {
            case STRING:
                return raw;
            case INT: {
                long v = Values.integer(raw);
                if (v < min || v > max) {
                    throw new IllegalArgumentException(raw + " is out of range; allowed " + show((long) min) + " to " + show((long) max));
                }
                return v;
            }
            case NUMBER: {
                double v = Values.number(raw);
                if (v < min || v > max) {
                    throw new IllegalArgumentException(raw + " is out of range; allowed " + trim(min) + " to " + trim(max));
                }
                return v;
            }
            case BOOL:
                return Values.bool(raw);
            case DURATION: {
                Duration d = Values.duration(raw);
                if (d.toNanos() < min || d.toNanos() > max) {
                    throw new IllegalArgumentException(raw + " is out of range; allowed "
                            + Values.format(Duration.ofNanos((long) min)) + " to " + Values.format(Duration.ofNanos((long) max)));
                }
                return d;
            }
            case SIZE: {
                long v = Values.size(raw);
                if (v < min || v > max) {
                    throw new IllegalArgumentException(raw + " is out of range; allowed " + bytes((long) min) + " to " + bytes((long) max));
                }
                return v;
            }
            case LIST:
                return Values.list(raw);
            case CHOICE: {
                String v = raw.strip().toLowerCase(Locale.ROOT);
                if (!choices.contains(v)) {
                    throw new IllegalArgumentException("'" + raw + "' is not one of " + String.join(", ", choices));
                }
                return v;
            }
            default:
                throw new IllegalStateException(type.toString());
        }
    }

    private String show(long v) {
        return hex ? String.format("0x%02x", v) : Long.toString(v);
    }

    private static String trim(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    private static String bytes(long b) {
        if (b >= 1 << 20 && b % (1 << 20) == 0) {
            return (b >> 20) + "MiB";
        }
        if (b >= 1024 && b % 1024 == 0) {
            return (b >> 10) + "KiB";
        }
        return Long.toString(b);
    }
}

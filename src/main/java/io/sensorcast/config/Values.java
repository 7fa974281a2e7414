package io.sensorcast.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Value syntax shared by every key: durations ({@code 500ms}, {@code 5s}, {@code 1m}, {@code 2h}),
 * sizes ({@code 64KiB}, {@code 1MiB}, {@code 512}), booleans, integers (decimal or {@code 0x76}),
 * numbers and comma lists. Each parser throws {@link IllegalArgumentException} with a message that
 * shows the accepted form.
 */
public final class Values {

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB|K|M|G|KB|MB|GB)?", Pattern.CASE_INSENSITIVE);

    private Values() {}

    public static Duration duration(String s) {
        Matcher m = DURATION.matcher(s.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + s + "' is not a duration; write e.g. 500ms, 5s, 1m, 2h");
        }
        double n = Double.parseDouble(m.group(1));
        double nanos = n * switch (m.group(2)) {
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "m" -> 60e9;
            case "h" -> 3600e9;
            default -> 86_400e9;
        };
        if (nanos > 365 * 86_400e9) {
            throw new IllegalArgumentException("'" + s + "' is longer than a year");
        }
        return Duration.ofNanos(Math.round(nanos));
    }

    /** Bytes. KiB/MiB/GiB are powers of 1024; K/M/G and KB/MB/GB are read the same way, as people mean them here. */
    public static long size(String s) {
        Matcher m = SIZE.matcher(s.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + s + "' is not a size; write e.g. 512, 64KiB, 1MiB");
        }
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is too large");
        }
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        int shift = switch (unit.charAt(0)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 0;
        };
        if (n > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("'" + s + "' is too large");
        }
        return n << shift;
    }

    public static boolean bool(String s) {
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException("'" + s + "' is not a boolean; write true or false");
        };
    }

    /** Decimal, or hexadecimal with 0x (I2C addresses are written 0x76 in every datasheet). */
    public static long integer(String s) {
        String t = s.strip().replace("_", "");
        try {
            if (t.startsWith("0x") || t.startsWith("0X")) {
                return Long.parseLong(t.substring(2), 16);
            }
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is not a whole number");
        }
    }

    public static double number(String s) {
        try {
            double d = Double.parseDouble(s.strip());
            if (!Double.isFinite(d) || s.strip().matches(".*[a-zA-Z].*") && !s.strip().matches("[-+]?[0-9.]+[eE][-+]?[0-9]+")) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is not a number");
        }
    }

    /** Comma-separated, blanks trimmed, empty items dropped. */
    public static List<String> list(String s) {
        List<String> out = new ArrayList<>();
        for (String part : s.split(",")) {
            String p = part.strip();
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
        return out;
    }

    /** How a duration reads back in messages: "500ms", "5s", "2m". */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000 == 0 && ms > 0) {
            return ms / 86_400_000 + "d";
        }
        if (ms % 3_600_000 == 0 && ms > 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms > 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}

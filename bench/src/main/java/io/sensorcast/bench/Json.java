package io.sensorcast.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Just enough JSON writing for results.json: maps, lists, strings and numbers. */
final class Json {

    private Json() {}

    static String write(Object value) {
        StringBuilder b = new StringBuilder();
        write(b, value, 0);
        return b.append('\n').toString();
    }

    private static void write(StringBuilder b, Object v, int indent) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof String s) {
            string(b, s);
        } else if (v instanceof Double d) {
            b.append(d.isNaN() || d.isInfinite() ? "null" : String.format(Locale.ROOT, "%.3f", d));
        } else if (v instanceof Number || v instanceof Boolean) {
            b.append(v);
        } else if (v instanceof Map<?, ?> m) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                b.append(first ? "\n" : ",\n").append("  ".repeat(indent + 1));
                string(b, e.getKey().toString());
                b.append(": ");
                write(b, e.getValue(), indent + 1);
                first = false;
            }
            b.append(first ? "}" : "\n" + "  ".repeat(indent) + "}");
        } else if (v instanceof List<?> l) {
            b.append('[');
            boolean first = true;
            for (Object o : l) {
                b.append(first ? "\n" : ",\n").append("  ".repeat(indent + 1));
                write(b, o, indent + 1);
                first = false;
            }
            b.append(first ? "]" : "\n" + "  ".repeat(indent) + "]");
        } else {
            string(b, v.toString());
        }
    }

    /** {@code s} as a JSON string, quotes included. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder();
        string(b, s);
        return b.toString();
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}

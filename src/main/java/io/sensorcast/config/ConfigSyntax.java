package io.sensorcast.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The file format: what a person edits comfortably with nano over SSH.
 *
 * <pre>
 * # a comment (also ; at the start of a line)
 * http.port = 8080
 *
 * [device.greenhouse]        # a section: the keys below are prefixed with "device.greenhouse."
 * type     = bme280
 * address  = 0x76
 * interval = 5s
 * name     = "Greenhouse "   # quotes keep spaces; \" and \\ inside them
 * </pre>
 *
 * Keys are lower-case words joined by dots; {@code [ ]} alone returns to the top level. A comment
 * after a value needs a space before its {@code #}, so that values such as regular expressions
 * ({@code temp=([0-9.]+)'C}) keep their own characters. Pure syntax: what keys mean is {@link ConfigSchema}'s.
 */
final class ConfigSyntax {

    private ConfigSyntax() {}

    /** Parses {@code text}; each mistake goes to {@code errors}, the good lines are returned. */
    static List<ConfigEntry> parse(String file, String text, List<ConfigError> errors) {
        List<ConfigEntry> entries = new ArrayList<>();
        String prefix = "";
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String line = lines[i].strip();
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1).strip(); // a BOM left by a Windows editor
            }
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[")) {
                int close = line.indexOf(']');
                String rest = close < 0 ? "" : line.substring(close + 1).strip();
                if (close < 0 || !(rest.isEmpty() || rest.startsWith("#") || rest.startsWith(";"))) {
                    errors.add(new ConfigError(file, lineNo, "", "a section header looks like [device.greenhouse]"));
                    continue;
                }
                String section = line.substring(1, close).strip();
                if (section.isEmpty()) {
                    prefix = "";
                } else if (!isKey(section)) {
                    errors.add(new ConfigError(file, lineNo, "", "section name '" + section
                            + "' may hold only a-z, 0-9, '_', '-' and dots"));
                } else {
                    prefix = section + ".";
                }
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                errors.add(new ConfigError(file, lineNo, "", "expected 'key = value', found '" + abbreviate(line) + "'"));
                continue;
            }
            String key = line.substring(0, eq).strip();
            if (!isKey(key)) {
                errors.add(new ConfigError(file, lineNo, key, "a key may hold only lower-case a-z, 0-9, '_', '-' and dots"));
                continue;
            }
            String value;
            try {
                value = value(line.substring(eq + 1).strip());
            } catch (IllegalArgumentException e) {
                errors.add(new ConfigError(file, lineNo, prefix + key, e.getMessage()));
                continue;
            }
            entries.add(new ConfigEntry(file, lineNo, prefix + key, value));
        }
        return entries;
    }

    /**
     * Lower-case words of a-z, 0-9, '_' and '-' joined by single dots. A loop rather than the regular expression
     * {@code [a-z0-9_-]+(\.[a-z0-9_-]+)*}: java.util.regex recurses once per repetition of the group, so a key or
     * section name of a few thousand dotted words threw StackOverflowError out of the loader.
     */
    static boolean isKey(String s) {
        boolean wordStart = true;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.') {
                if (wordStart) {
                    return false;
                }
                wordStart = true;
            } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-') {
                wordStart = false;
            } else {
                return false;
            }
        }
        return !wordStart;
    }

    /** The value: quoted (escapes \" and \\), or bare up to a " #" / " ;" comment. */
    private static String value(String raw) {
        if (raw.startsWith("\"")) {
            StringBuilder sb = new StringBuilder();
            int i = 1;
            for (; i < raw.length(); i++) {
                char c = raw.charAt(i);
                if (c == '\\' && i + 1 < raw.length()) {
                    sb.append(raw.charAt(++i));
                } else if (c == '"') {
                    break;
                } else {
                    sb.append(c);
                }
            }
            if (i >= raw.length()) {
                throw new IllegalArgumentException("the quoted value has no closing \"");
            }
            String rest = raw.substring(i + 1).strip();
            if (!rest.isEmpty() && !rest.startsWith("#") && !rest.startsWith(";")) {
                throw new IllegalArgumentException("unexpected text after the closing quote: '" + abbreviate(rest) + "'");
            }
            return sb.toString();
        }
        for (int i = 1; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if ((c == '#' || c == ';') && Character.isWhitespace(raw.charAt(i - 1))) {
                return raw.substring(0, i).strip();
            }
        }
        if (raw.startsWith("#") || raw.startsWith(";")) {
            return "";
        }
        return raw;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}

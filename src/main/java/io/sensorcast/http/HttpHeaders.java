package io.sensorcast.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** Header fields in arrival order, names matched case-insensitively (RFC 9110 5.1). Immutable after parsing. */
public final class HttpHeaders {
    /** name0, value0, name1, value1, ... — a flat array keeps a typical 10-field request to one allocation. */
    private final String[] fields;

    /** @param namesAndValues alternating field names and values, as the parser received them */
    HttpHeaders(List<String> namesAndValues) {
        if (namesAndValues.size() % 2 != 0) {
            throw new IllegalArgumentException("names and values must alternate");
        }
        this.fields = namesAndValues.toArray(new String[0]);
    }

    /** The first value of the named field, or null. */
    public String get(String name) {
        for (int i = 0; i < fields.length; i += 2) {
            if (fields[i].equalsIgnoreCase(name)) {
                return fields[i + 1];
            }
        }
        return null;
    }

    /** Every value of the named field, in arrival order; empty if absent. */
    public List<String> getAll(String name) {
        List<String> values = new ArrayList<>(2);
        for (int i = 0; i < fields.length; i += 2) {
            if (fields[i].equalsIgnoreCase(name)) {
                values.add(fields[i + 1]);
            }
        }
        return Collections.unmodifiableList(values);
    }

    /** Does a comma-separated header (Connection, Upgrade) contain this token, case-insensitively? (RFC 9110 5.6.1) */
    public boolean hasToken(String name, String token) {
        for (String member : listMembers(name)) {
            if (!member.isEmpty() && member.equalsIgnoreCase(token)) { // RFC 9110 5.6.1: empty members are ignored
                return true;
            }
        }
        return false;
    }

    /** Number of field lines received (a repeated name counts each time). */
    public int size() {
        return fields.length / 2;
    }

    /**
     * The members of a list-valued field across all its lines, OWS-trimmed (RFC 9110 5.6.1: several lines of one
     * field are equivalent to one comma-joined line). Empty members are kept so that callers can reject them.
     */
    List<String> listMembers(String name) {
        List<String> members = new ArrayList<>(2);
        for (String value : getAll(name)) {
            int start = 0;
            while (start <= value.length()) {
                int comma = value.indexOf(',', start);
                int end = comma < 0 ? value.length() : comma;
                int next = end + 1;
                while (start < end && isWhitespace(value.charAt(start))) {
                    start++;
                }
                while (end > start && isWhitespace(value.charAt(end - 1))) {
                    end--;
                }
                members.add(value.substring(start, end));
                start = next;
            }
        }
        return members;
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t'; // OWS, RFC 9110 5.6.3
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HttpHeaders that && Arrays.equals(fields, that.fields);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(fields);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("{");
        for (int i = 0; i < fields.length; i += 2) {
            text.append(i == 0 ? "" : ", ").append(fields[i]).append(": ").append(fields[i + 1]);
        }
        return text.append('}').toString();
    }
}

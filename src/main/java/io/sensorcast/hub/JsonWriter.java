package io.sensorcast.hub;

import java.nio.charset.StandardCharsets;

/**
 * A small streaming JSON writer (RFC 8259) for what the server says: monitor messages and the
 * /api and /healthz bodies. It writes into a {@link StringBuilder} that the caller may reuse, and
 * tracks commas itself so call sites read like the document they produce.
 */
public final class JsonWriter {

    private final StringBuilder out;
    /** Bit i set: the container at depth i already has a member, so the next one needs a comma. */
    private long hasMember;
    private int depth;
    private boolean afterName;

    public JsonWriter(StringBuilder out) {
        this.out = out;
    }

    public JsonWriter() {
        this(new StringBuilder(128));
    }

    public JsonWriter beginObject() {
        separate();
        out.append('{');
        push();
        return this;
    }

    public JsonWriter endObject() {
        depth--;
        out.append('}');
        return this;
    }

    public JsonWriter beginArray() {
        separate();
        out.append('[');
        push();
        return this;
    }

    public JsonWriter endArray() {
        depth--;
        out.append(']');
        return this;
    }

    public JsonWriter name(String name) {
        separate();
        string(name);
        out.append(':');
        afterName = true;
        return this;
    }

    public JsonWriter value(String s) {
        separate();
        if (s == null) {
            out.append("null");
        } else {
            string(s);
        }
        return this;
    }

    public JsonWriter value(long v) {
        separate();
        out.append(v);
        return this;
    }

    public JsonWriter value(boolean v) {
        separate();
        out.append(v);
        return this;
    }

    /** A double; NaN and infinities, which JSON cannot carry, become null. */
    public JsonWriter value(double v) {
        separate();
        appendDouble(out, v);
        return this;
    }

    /** Epoch microseconds as milliseconds with three decimals: "1732500000123.456". */
    public JsonWriter millisFromMicros(long epochMicros) {
        separate();
        appendMillis(out, epochMicros);
        return this;
    }

    public JsonWriter nullValue() {
        separate();
        out.append("null");
        return this;
    }

    /** Inserts already-encoded JSON as one value. */
    public JsonWriter raw(CharSequence json) {
        separate();
        out.append(json);
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    public byte[] toUtf8() {
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    static void appendDouble(StringBuilder sb, double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            sb.append("null");
        } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            sb.append((long) v); // "21" rather than "21.0"
        } else {
            sb.append(v);
        }
    }

    static void appendMillis(StringBuilder sb, long epochMicros) {
        long millis = Math.floorDiv(epochMicros, 1000);
        int frac = (int) Math.floorMod(epochMicros, 1000);
        sb.append(millis).append('.');
        if (frac < 100) {
            sb.append('0');
        }
        if (frac < 10) {
            sb.append('0');
        }
        sb.append(frac);
    }

    private void push() {
        depth++;
        if (depth >= 64) {
            throw new IllegalStateException("JSON nested too deep");
        }
        hasMember &= ~(1L << depth);
    }

    private void separate() {
        if (afterName) {
            afterName = false;
            return;
        }
        if (depth > 0) {
            long bit = 1L << depth;
            if ((hasMember & bit) != 0) {
                out.append(',');
            }
            hasMember |= bit;
        }
    }

    /** RFC 8259 7: quote, backslash and control characters escaped; the rest as is (UTF-8 later). */
    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else if (Character.isSurrogate(c) && !validSurrogatePair(s, i)) {
                        out.append("\\ufffd"); // a lone surrogate cannot be encoded as UTF-8
                    } else {
                        out.append(c);
                        if (Character.isHighSurrogate(c)) {
                            out.append(s.charAt(++i));
                        }
                    }
                }
            }
        }
        out.append('"');
    }

    private static boolean validSurrogatePair(String s, int i) {
        return Character.isHighSurrogate(s.charAt(i)) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
}

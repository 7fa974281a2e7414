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
            return;
        }
        int decimals = decimals(v);
        if (decimals < 0) {
            sb.append(v);
            return;
        }
        long m = scaled(v, decimals);
        if (decimals == 0) {
            sb.append(m);
            return;
        }
        if (m < 0) {
            sb.append('-');
            m = -m;
        }
        long unit = (long) POWERS[decimals];
        sb.append(m / unit).append('.');
        String frac = Long.toString(m % unit + unit); // "1005" for .005: the leading 1 keeps the zeros
        sb.append(frac, 1, frac.length());
    }

    /** Powers of ten that a double holds exactly: the scales of the decimal form. */
    private static final double[] POWERS = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6};
    /** Below 2^53 every integer is exact in a double, so the decimal form's digits never round. */
    private static final double EXACT_INTEGERS = 0x1p53;

    /**
     * How numbers are written: with the fewest decimals, up to six, that read back as exactly
     * {@code v} ("21", "48.312": every reading taken from a sysfs integer in milli-units), or -1
     * when it takes more ({@link Double#toString} writes those). A finite {@code v} only.
     */
    static int decimals(double v) {
        for (int k = 0; k < POWERS.length; k++) {
            double scaled = v * POWERS[k];
            if (Math.abs(scaled) >= EXACT_INTEGERS) {
                return -1;
            }
            // m / 10^k, both exact, rounds to the double nearest to that decimal: if that is v,
            // the decimal reads back as v.
            if (Math.round(scaled) / POWERS[k] == v) {
                return k;
            }
        }
        return -1;
    }

    /** {@code v} times 10^decimals, rounded: the digits of its decimal form. */
    static long scaled(double v, int decimals) {
        return Math.round(v * POWERS[decimals]);
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

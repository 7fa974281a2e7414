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
        long unit = LONG_POWERS[decimals];
        sb.append(m / unit).append('.');
        String frac = Long.toString(m % unit + unit); // "1005" for .005: the leading 1 keeps the zeros
        sb.append(frac, 1, frac.length());
    }

    /** Powers of ten that a double holds exactly, 10^0 to 10^18: the scales of the decimal form. */
    static final double[] POWERS = new double[19];
    /** The same powers as longs, to split the digits into integer and fraction. */
    static final long[] LONG_POWERS = new long[19];
    /** Below 2^53 every integer is exact in a double, so the decimal form's digits never round. */
    private static final double EXACT_INTEGERS = 0x1p53;

    static {
        long p = 1;
        for (int k = 0; k < POWERS.length; k++) {
            POWERS[k] = p;
            LONG_POWERS[k] = p;
            p *= 10;
        }
    }

    /**
     * How numbers are written: as a decimal with the fewest decimals, up to 18, that reads back as
     * exactly {@code v} (-0.0 as 0), that many returned; or with {@link Double#toString} when -1 is
     * returned. A finite {@code v} only.
     *
     * <p>The decimal with k decimals is m / 10^k, m an integer below 2^53: both exact in a double,
     * so their quotient, rounded once, is the double nearest to the decimal, which is what a reader
     * makes of it. If that is {@code v}, the decimal reads back as exactly {@code v}. So "21" and
     * "48.312" (every reading taken from a sysfs integer in milli-units), and 48.37064864692279
     * from a formula. Left to Double.toString are the values whose digits do not fit below 2^53:
     * those that need 17 significant digits, those of 2^53 and more, and those below 10^-18. It
     * costs some 200 ns under C1 where this costs 30 to 70.
     */
    static int decimals(double v) {
        for (int k = 0; k < POWERS.length; k++) {
            double scaled = v * POWERS[k];
            if (Math.abs(scaled) >= EXACT_INTEGERS) {
                return -1;
            }
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
        // Truncated, with the sign in front: -1 µs is "-0.001" (floorDiv would make it "-1.999").
        long millis = epochMicros / 1000;
        int frac = (int) Math.abs(epochMicros % 1000);
        if (epochMicros < 0 && millis == 0) {
            sb.append('-');
        }
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

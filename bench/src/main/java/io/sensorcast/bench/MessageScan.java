package io.sensorcast.bench;

/**
 * Reads the few fields the load client needs straight from a text frame's bytes, without a JSON
 * library: the client must keep up with hundreds of thousands of frames a second on one core.
 * Works on the flat objects sensorcast and the peers send, where the keys looked for appear once
 * at the top level before any nested object.
 */
final class MessageScan {

    private static final byte[] TYPE = key("type");
    private static final byte[] CHANNEL = key("channel");
    private static final byte[] SEQ = key("seq");
    private static final byte[] T = key("t");
    private static final byte[] COUNT = key("count");
    private static final byte[] STATE = key("state");

    private MessageScan() {}

    private static byte[] key(String name) {
        return ("\"" + name + "\":").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Kinds of message the client tells apart. */
    enum Kind { SAMPLE, DROPPED, STATUS, OTHER }

    static Kind kind(byte[] b, int from, int to) {
        int at = valueOf(TYPE, b, from, to);
        if (at < 0 || at >= to || b[at] != '"') {
            return Kind.OTHER;
        }
        if (startsWith(b, at + 1, to, "sample\"")) {
            return Kind.SAMPLE;
        }
        if (startsWith(b, at + 1, to, "dropped\"")) {
            return Kind.DROPPED;
        }
        if (startsWith(b, at + 1, to, "status\"")) {
            return Kind.STATUS;
        }
        return Kind.OTHER;
    }

    /** Start of the channel id (after its opening quote), or -1; it ends at the next quote. */
    static int channelStart(byte[] b, int from, int to) {
        int at = valueOf(CHANNEL, b, from, to);
        return at >= 0 && at < to && b[at] == '"' ? at + 1 : -1;
    }

    static int channelEnd(byte[] b, int start, int to) {
        for (int i = start; i < to; i++) {
            if (b[i] == '"') {
                return i;
            }
        }
        return -1;
    }

    /** The "seq" number, or -1. */
    static long seq(byte[] b, int from, int to) {
        return longValue(SEQ, b, from, to);
    }

    /** The "count" number of a dropped message, or -1. */
    static long count(byte[] b, int from, int to) {
        return longValue(COUNT, b, from, to);
    }

    /** True for a status message whose state is "error". */
    static boolean isErrorState(byte[] b, int from, int to) {
        int at = valueOf(STATE, b, from, to);
        return at >= 0 && startsWith(b, at, to, "\"error\"");
    }

    /**
     * "t" (epoch milliseconds with a fraction) as epoch microseconds, or -1. Digits past the
     * third decimal are ignored; no double is parsed, so no rounding and no garbage.
     */
    static long timeMicros(byte[] b, int from, int to) {
        int i = valueOf(T, b, from, to);
        if (i < 0) {
            return -1;
        }
        long millis = 0;
        int digits = 0;
        while (i < to && b[i] >= '0' && b[i] <= '9') {
            millis = millis * 10 + (b[i++] - '0');
            digits++;
        }
        if (digits == 0) {
            return -1;
        }
        long micros = millis * 1000;
        if (i < to && b[i] == '.') {
            i++;
            long scale = 100;
            while (i < to && b[i] >= '0' && b[i] <= '9') {
                if (scale > 0) {
                    micros += (b[i] - '0') * scale;
                    scale /= 10;
                }
                i++;
            }
        }
        return micros;
    }

    private static long longValue(byte[] key, byte[] b, int from, int to) {
        int i = valueOf(key, b, from, to);
        if (i < 0) {
            return -1;
        }
        long v = 0;
        int digits = 0;
        while (i < to && b[i] >= '0' && b[i] <= '9') {
            v = v * 10 + (b[i++] - '0');
            digits++;
        }
        return digits == 0 ? -1 : v;
    }

    /** Index just after `"key":` (and any spaces), or -1. */
    private static int valueOf(byte[] key, byte[] b, int from, int to) {
        int last = to - key.length;
        outer:
        for (int i = from; i <= last; i++) {
            for (int k = 0; k < key.length; k++) {
                if (b[i + k] != key[k]) {
                    continue outer;
                }
            }
            int v = i + key.length;
            while (v < to && b[v] == ' ') {
                v++;
            }
            return v;
        }
        return -1;
    }

    private static boolean startsWith(byte[] b, int at, int to, String ascii) {
        if (to - at < ascii.length()) {
            return false;
        }
        for (int k = 0; k < ascii.length(); k++) {
            if (b[at + k] != ascii.charAt(k)) {
                return false;
            }
        }
        return true;
    }
}

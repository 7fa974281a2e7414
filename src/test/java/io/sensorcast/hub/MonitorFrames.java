package io.sensorcast.hub;

import java.nio.charset.StandardCharsets;

/**
 * Reading the monitor stream's JSON where tests see thousands of frames a second: a few byte
 * searches instead of a JSON parser per frame. Only for the server's own compact output.
 */
final class MonitorFrames {

    private static final byte[] TYPE = ascii("{\"type\":\"");
    private static final byte[] CHANNEL = ascii("\"channel\":\"");
    private static final byte[] SEQ = ascii("\"seq\":");
    private static final byte[] COUNT = ascii("\"count\":");
    private static final byte[] TOTAL = ascii("\"total\":");

    private MonitorFrames() {}

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** The "type" of a message ("sample", "hello", ...), or null if it does not start like one. */
    static String type(byte[] b, int off, int len) {
        if (!startsWith(b, off, len, TYPE)) {
            return null;
        }
        int start = off + TYPE.length;
        int end = start;
        while (end < off + len && b[end] != '"') {
            end++;
        }
        return new String(b, start, end - start, StandardCharsets.US_ASCII);
    }

    static boolean isType(byte[] b, int off, int len, byte[] typeWithQuote) {
        return startsWith(b, off, len, TYPE) && startsWith(b, off + TYPE.length, len - TYPE.length, typeWithQuote);
    }

    /** The channel id's last character, for channels named "...0" to "...9". */
    static int channelDigit(byte[] b, int off, int len) {
        int at = indexOf(b, off, len, CHANNEL);
        if (at < 0) {
            return -1;
        }
        int end = at + CHANNEL.length;
        while (end < off + len && b[end] != '"') {
            end++;
        }
        return b[end - 1] - '0';
    }

    static String channel(byte[] b, int off, int len) {
        int at = indexOf(b, off, len, CHANNEL);
        if (at < 0) {
            return null;
        }
        int start = at + CHANNEL.length;
        int end = start;
        while (end < off + len && b[end] != '"') {
            end++;
        }
        return new String(b, start, end - start, StandardCharsets.US_ASCII);
    }

    static long seq(byte[] b, int off, int len) {
        return number(b, off, len, SEQ);
    }

    static long count(byte[] b, int off, int len) {
        return number(b, off, len, COUNT);
    }

    static long total(byte[] b, int off, int len) {
        return number(b, off, len, TOTAL);
    }

    private static long number(byte[] b, int off, int len, byte[] name) {
        int at = indexOf(b, off, len, name);
        if (at < 0) {
            return -1;
        }
        long v = 0;
        int i = at + name.length;
        int digits = 0;
        while (i < off + len && b[i] >= '0' && b[i] <= '9') {
            v = v * 10 + (b[i] - '0');
            i++;
            digits++;
        }
        return digits == 0 ? -1 : v;
    }

    private static boolean startsWith(byte[] b, int off, int len, byte[] prefix) {
        if (len < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[off + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] b, int off, int len, byte[] needle) {
        outer:
        for (int i = off; i <= off + len - needle.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (b[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}

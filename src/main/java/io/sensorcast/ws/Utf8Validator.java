package io.sensorcast.ws;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Incremental UTF-8 validator following the byte-sequence grammar of RFC 3629 section 4, which excludes overlong
 * forms, surrogates (U+D800..DFFF) and anything above U+10FFFF. Input may be split anywhere, so text frames can be
 * checked as their bytes arrive and a bad byte fails the connection at once (RFC 6455 8.1). Not thread-safe.
 */
public final class Utf8Validator {
    private static final int INVALID = -1;

    /** Continuation bytes the current sequence still needs; INVALID once the input can no longer be UTF-8. */
    private int pending;
    /** Allowed range of the next continuation byte; RFC 3629 narrows it right after E0, ED, F0 and F4. */
    private int low = 0x80;
    private int high = 0xBF;

    public void reset() {
        pending = 0;
        low = 0x80;
        high = 0xBF;
    }

    /** false as soon as the bytes seen so far cannot be the prefix of valid UTF-8, and from then on until reset(). */
    public boolean feed(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        if (pending == INVALID) {
            return false;
        }
        int end = off + len;
        for (int i = off; i < end; i++) {
            if (pending == 0) {
                while (i < end && b[i] >= 0) {
                    i++;  // ASCII fast path: between sequences, bytes below 0x80 need no state change
                }
                if (i == end) {
                    break;
                }
            }
            if (!step(b[i] & 0xFF)) {
                return false;
            }
        }
        return true;
    }

    /** Same as {@link #feed(byte[], int, int)} over absolute indexes of buf; does not move its position. */
    public boolean feed(ByteBuffer buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.limit());
        if (buf.hasArray()) {
            return feed(buf.array(), buf.arrayOffset() + off, len);
        }
        if (pending == INVALID) {
            return false;
        }
        for (int i = off, end = off + len; i < end; i++) {
            byte c = buf.get(i);
            if ((c < 0 || pending != 0) && !step(c & 0xFF)) {
                return false;
            }
        }
        return true;
    }

    /** true when the input so far ends on a character boundary (and was valid). */
    public boolean isComplete() {
        return pending == 0;
    }

    /** Advances over one byte; c is unsigned. */
    private boolean step(int c) {
        if (pending > 0) {
            if (c < low || c > high) {
                return fail();
            }
            low = 0x80;
            high = 0xBF;
            pending--;
            return true;
        }
        if (c < 0x80) {
            return true;
        }
        if (c < 0xC2) {
            return fail();  // 80..BF: continuation without a lead byte; C0, C1: overlong encodings of ASCII
        }
        if (c < 0xE0) {
            pending = 1;
        } else if (c < 0xF0) {
            pending = 2;
            if (c == 0xE0) {
                low = 0xA0;   // E0 80..9F would be overlong (< U+0800)
            } else if (c == 0xED) {
                high = 0x9F;  // ED A0..BF would encode surrogates U+D800..DFFF
            }
        } else if (c < 0xF5) {
            pending = 3;
            if (c == 0xF0) {
                low = 0x90;   // F0 80..8F would be overlong (< U+10000)
            } else if (c == 0xF4) {
                high = 0x8F;  // F4 90.. would exceed U+10FFFF
            }
        } else {
            return fail();  // F5..FF: lead bytes for code points beyond U+10FFFF
        }
        return true;
    }

    private boolean fail() {
        pending = INVALID;
        return false;
    }
}

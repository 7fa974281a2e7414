package io.sensorcast.ws;

import java.nio.charset.StandardCharsets;

/**
 * Server-to-client frames (RFC 6455 5.2). Servers never mask (5.1), and every frame is a whole message (FIN set),
 * so a frame is just header + payload. Each method returns a new, exact-size array, but
 * {@link #writeHeader(byte[], int, int, long)}, which writes a header into the caller's array.
 */
public final class FrameEncoder {
    /** Opcodes, RFC 6455 5.2; 0x3-0x7 and 0xB-0xF are reserved. */
    public static final int OP_CONTINUATION = 0x0, OP_TEXT = 0x1, OP_BINARY = 0x2,
            OP_CLOSE = 0x8, OP_PING = 0x9, OP_PONG = 0xA;

    /** RFC 6455 5.5: control frame payloads are at most 125 bytes so they fit the 7-bit length. */
    static final int MAX_CONTROL_PAYLOAD = 125;
    /** A close body is a 2-byte status code followed by the reason (5.5.1). */
    private static final int MAX_CLOSE_REASON = MAX_CONTROL_PAYLOAD - 2;
    private static final int FIN = 0x80;

    private FrameEncoder() {
    }

    /** A text message; the caller guarantees the bytes are valid UTF-8 (RFC 6455 5.6). */
    public static byte[] text(byte[] utf8) {
        return frame(OP_TEXT, utf8);
    }

    public static byte[] binary(byte[] payload) {
        return frame(OP_BINARY, payload);
    }

    /** @throws IllegalArgumentException if payload exceeds 125 bytes (RFC 6455 5.5) */
    public static byte[] ping(byte[] payload) {
        return frame(OP_PING, payload);
    }

    /** @throws IllegalArgumentException if payload exceeds 125 bytes (RFC 6455 5.5) */
    public static byte[] pong(byte[] payload) {
        return frame(OP_PONG, payload);
    }

    /**
     * A close frame (RFC 6455 5.5.1). The reason is truncated on a character boundary to fit 123 UTF-8 bytes.
     * {@link CloseCodes#NO_STATUS} means "no code" and yields an empty body, so a body-less close from the peer can be
     * echoed as is; it cannot carry a reason.
     *
     * @throws IllegalArgumentException if code may not be sent (see {@link CloseCodes#isValidOnWire}), or a reason is
     *         given with NO_STATUS
     */
    public static byte[] close(int code, String reason) {
        String r = reason == null ? "" : reason;
        if (code == CloseCodes.NO_STATUS) {
            if (!r.isEmpty()) {
                throw new IllegalArgumentException("a close reason needs a status code (RFC 6455 5.5.1)");
            }
            return frame(OP_CLOSE, new byte[0]);
        }
        if (!CloseCodes.isValidOnWire(code)) {
            throw new IllegalArgumentException("close code " + code + " may not be sent (RFC 6455 7.4)");
        }
        byte[] utf8 = r.getBytes(StandardCharsets.UTF_8);
        int reasonLength = characterBoundaryAtOrBefore(utf8, MAX_CLOSE_REASON);
        byte[] out = new byte[2 + 2 + reasonLength];
        writeHeader(out, OP_CLOSE, 2 + reasonLength);
        out[2] = (byte) (code >>> 8);  // network byte order (5.2)
        out[3] = (byte) code;
        System.arraycopy(utf8, 0, out, 4, reasonLength);
        return out;
    }

    /**
     * Just the header (FIN set) for a payload of {@code length} bytes, so a large payload can be queued without
     * copying it.
     *
     * @throws IllegalArgumentException for an undefined opcode, a negative length, or a control frame over 125 bytes
     */
    public static byte[] header(int opcode, long length) {
        checkFrame(opcode, length);
        byte[] out = new byte[headerLength(length)];
        writeHeader(out, opcode, length);
        return out;
    }

    /** RFC 6455 5.2: 2 bytes, plus 2 for a 16-bit length (126..65535) or 8 for a 64-bit length. */
    public static int headerLength(long payloadLength) {
        if (payloadLength < 0) {
            throw new IllegalArgumentException("negative payload length " + payloadLength);
        }
        return payloadLength <= MAX_CONTROL_PAYLOAD ? 2 : payloadLength <= 0xFFFF ? 4 : 10;
    }

    private static byte[] frame(int opcode, byte[] payload) {
        checkFrame(opcode, payload.length);
        byte[] out = new byte[headerLength(payload.length) + payload.length];
        int headerLength = writeHeader(out, opcode, payload.length);
        System.arraycopy(payload, 0, out, headerLength, payload.length);
        return out;
    }

    /** Writes the unmasked header at dst[0..] using the minimal length form (5.2 requires it); returns its size. */
    private static int writeHeader(byte[] dst, int opcode, long length) {
        return writeHeader(dst, 0, opcode, length);
    }

    /**
     * Writes a FIN frame's unmasked header at {@code dst[at..]}, in the minimal length form (5.2
     * requires it), and returns its size ({@link #headerLength}): for encoders that write the
     * payload first and the header in front of it.
     */
    public static int writeHeader(byte[] dst, int at, int opcode, long length) {
        dst[at] = (byte) (FIN | opcode);
        if (length <= MAX_CONTROL_PAYLOAD) {
            dst[at + 1] = (byte) length;
            return 2;
        }
        if (length <= 0xFFFF) {
            dst[at + 1] = 126;
            dst[at + 2] = (byte) (length >>> 8);
            dst[at + 3] = (byte) length;
            return 4;
        }
        dst[at + 1] = 127;
        for (int i = 0; i < 8; i++) {
            dst[at + 2 + i] = (byte) (length >>> (56 - 8 * i));
        }
        return 10;
    }

    private static void checkFrame(int opcode, long length) {
        switch (opcode) {
            case OP_CONTINUATION, OP_TEXT, OP_BINARY -> { }
            case OP_CLOSE, OP_PING, OP_PONG -> {
                if (length > MAX_CONTROL_PAYLOAD) {
                    throw new IllegalArgumentException("control frame payload of " + length + " bytes exceeds 125");
                }
            }
            default -> throw new IllegalArgumentException("undefined opcode 0x" + Integer.toHexString(opcode));
        }
        if (length < 0) {
            throw new IllegalArgumentException("negative payload length " + length);
        }
    }

    /** Largest n ≤ limit such that utf8[0..n) ends on a character boundary (never splits a multi-byte sequence). */
    private static int characterBoundaryAtOrBefore(byte[] utf8, int limit) {
        if (utf8.length <= limit) {
            return utf8.length;
        }
        int n = limit;
        while (n > 0 && (utf8[n] & 0xC0) == 0x80) {
            n--;  // utf8[n] is a continuation byte, so the character it belongs to started before n
        }
        return n;
    }
}

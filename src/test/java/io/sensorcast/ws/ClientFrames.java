package io.sensorcast.ws;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds frames the way a browser sends them: masked (RFC 6455 5.3), with the minimal length form. */
final class ClientFrames {
    /** The masking key of the RFC 6455 5.7 examples. */
    static final byte[] MASK = {0x37, (byte) 0xfa, 0x21, 0x3d};

    private ClientFrames() {
    }

    /** A masked frame whose first byte (FIN, RSV, opcode) is given verbatim. */
    static byte[] frame(int firstByte, byte[] payload) {
        byte[] header = header(firstByte, payload.length);
        byte[] out = new byte[header.length + payload.length];
        System.arraycopy(header, 0, out, 0, header.length);
        for (int i = 0; i < payload.length; i++) {
            out[header.length + i] = (byte) (payload[i] ^ MASK[i & 3]);
        }
        return out;
    }

    static byte[] frame(int firstByte, String utf8Payload) {
        return frame(firstByte, utf8Payload.getBytes(StandardCharsets.UTF_8));
    }

    /** Just the masked header of a frame announcing {@code length} payload bytes. */
    static byte[] header(int firstByte, long length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(firstByte);
        if (length <= 125) {
            out.write(0x80 | (int) length);
        } else if (length <= 0xFFFF) {
            out.write(0x80 | 126);
            out.write((int) (length >>> 8));
            out.write((int) length);
        } else {
            out.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) (length >>> shift));
            }
        }
        out.writeBytes(MASK);
        return out.toByteArray();
    }

    /** A close frame from the client carrying the raw body bytes given. */
    static byte[] close(int code, byte[] reason) {
        byte[] body = new byte[2 + reason.length];
        body[0] = (byte) (code >>> 8);
        body[1] = (byte) code;
        System.arraycopy(reason, 0, body, 2, reason.length);
        return frame(0x88, body);
    }

    static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }
}

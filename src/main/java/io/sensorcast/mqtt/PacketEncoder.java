package io.sensorcast.mqtt;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Encodes the packets a client sends (MQTT 3.1.1, section 3): each call gives the whole packet,
 * fixed header included, as a new array that nobody writes to again, so it can be queued as an
 * {@code OutboundFrame} as it is. Arguments that the specification forbids (a wildcard in a
 * topic name, a string over 65,535 bytes, packet id 0) throw {@link IllegalArgumentException}:
 * they are our bugs or unchecked configuration, never the broker's.
 */
public final class PacketEncoder {

    /** 2.2.3: the largest remaining length the four-byte variable length can say. */
    public static final int MAX_REMAINING_LENGTH = 268_435_455;

    static final int CONNECT = 1;
    static final int CONNACK = 2;
    static final int PUBLISH = 3;
    static final int PUBACK = 4;
    static final int SUBSCRIBE = 8;
    static final int SUBACK = 9;
    static final int PINGREQ = 12;
    static final int PINGRESP = 13;
    static final int DISCONNECT = 14;

    private static final byte PROTOCOL_LEVEL = 4; // 3.1.2.2: 3.1.1
    private static final byte[] PINGREQ_BYTES = {(byte) 0xC0, 0};
    private static final byte[] DISCONNECT_BYTES = {(byte) 0xE0, 0};

    /** The will the broker publishes for us when our connection dies without a DISCONNECT (3.1.2.5). */
    public record Will(String topic, byte[] message, int qos, boolean retain) {
        public Will {
            checkTopicName(topic);
            checkQos(qos);
        }
    }

    private PacketEncoder() {
    }

    /**
     * 3.1: CONNECT. {@code will}, {@code username} and {@code password} may be null; a password
     * needs a user name (3.1.2-22).
     */
    public static byte[] connect(String clientId, boolean cleanSession, int keepAliveSeconds, Will will,
            String username, byte[] password) {
        if (keepAliveSeconds < 0 || keepAliveSeconds > 0xFFFF) {
            throw new IllegalArgumentException("keep alive must be 0 to 65535 seconds: " + keepAliveSeconds);
        }
        if (password != null && username == null) {
            throw new IllegalArgumentException("a password needs a user name (MQTT 3.1.1, 3.1.2-22)");
        }
        int flags = (username != null ? 0x80 : 0) | (password != null ? 0x40 : 0) | (cleanSession ? 0x02 : 0);
        if (will != null) {
            flags |= 0x04 | will.qos() << 3 | (will.retain() ? 0x20 : 0);
        }
        Body b = new Body();
        b.string("MQTT");
        b.write(PROTOCOL_LEVEL);
        b.write(flags);
        b.u16(keepAliveSeconds);
        b.string(clientId);
        if (will != null) {
            b.string(will.topic());
            b.binary(will.message());
        }
        if (username != null) {
            b.string(username);
        }
        if (password != null) {
            b.binary(password);
        }
        return b.packet(CONNECT << 4);
    }

    /** 3.3: PUBLISH; {@code packetId} is needed at QoS 1 and ignored (not sent) at QoS 0. */
    public static byte[] publish(String topic, byte[] payload, int qos, boolean retain, boolean dup, int packetId) {
        checkTopicName(topic);
        checkQos(qos);
        if (qos == 0 && dup) {
            throw new IllegalArgumentException("DUP must be 0 at QoS 0 (MQTT 3.1.1, 3.3.1-2)");
        }
        Body b = new Body();
        b.string(topic);
        if (qos > 0) {
            b.u16(checkPacketId(packetId));
        }
        b.write(payload, 0, payload.length);
        return b.packet(PUBLISH << 4 | (dup ? 0x08 : 0) | qos << 1 | (retain ? 0x01 : 0));
    }

    /** 3.4: PUBACK, the answer to the broker's QoS 1 PUBLISH. */
    public static byte[] puback(int packetId) {
        checkPacketId(packetId);
        return new byte[] {(byte) (PUBACK << 4), 2, (byte) (packetId >> 8), (byte) packetId};
    }

    /** 3.8: SUBSCRIBE to {@code filters}, each at the QoS of the same index; at least one. */
    public static byte[] subscribe(int packetId, String[] filters, int[] qos) {
        if (filters.length == 0 || filters.length != qos.length) {
            throw new IllegalArgumentException("SUBSCRIBE needs one QoS per topic filter, and at least one filter");
        }
        Body b = new Body();
        b.u16(checkPacketId(packetId));
        for (int i = 0; i < filters.length; i++) {
            if (filters[i].isEmpty()) {
                throw new IllegalArgumentException("empty topic filter (MQTT 3.1.1, 4.7.3)");
            }
            b.string(filters[i]);
            b.write(checkQos(qos[i]));
        }
        return b.packet(SUBSCRIBE << 4 | 0x02); // 3.8.1: the reserved flags are 0010
    }

    /** 3.12: PINGREQ (the same two bytes every time, shared). */
    public static byte[] pingreq() {
        return PINGREQ_BYTES;
    }

    /** 3.14: DISCONNECT (shared): the broker discards the will. */
    public static byte[] disconnect() {
        return DISCONNECT_BYTES;
    }

    /** 2.2.3: the remaining length as 1 to 4 bytes, 7 bits each, least significant first. */
    public static byte[] remainingLength(int length) {
        if (length < 0 || length > MAX_REMAINING_LENGTH) {
            throw new IllegalArgumentException("remaining length out of 0.." + MAX_REMAINING_LENGTH + ": " + length);
        }
        byte[] out = new byte[length < 128 ? 1 : length < 16_384 ? 2 : length < 2_097_152 ? 3 : 4];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (length & 0x7F | (i < out.length - 1 ? 0x80 : 0));
            length >>>= 7;
        }
        return out;
    }

    /** 4.7.1, 4.7.3: a topic name is at least one character and has no wildcard. */
    static void checkTopicName(String topic) {
        if (topic.isEmpty() || topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
            throw new IllegalArgumentException("not a topic name (empty, or with + or #): '" + topic + "'");
        }
    }

    private static int checkQos(int qos) {
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("QoS must be 0, 1 or 2: " + qos);
        }
        return qos;
    }

    private static int checkPacketId(int id) {
        if (id < 1 || id > 0xFFFF) {
            throw new IllegalArgumentException("packet identifier must be 1 to 65535: " + id);
        }
        return id;
    }

    /** A packet's variable header and payload, then the fixed header in front. */
    private static final class Body extends ByteArrayOutputStream {
        Body() {
            super(64);
        }

        void u16(int v) {
            write(v >> 8);
            write(v);
        }

        /** 1.5.3: a UTF-8 string with a two-byte length, no U+0000. */
        void string(String s) {
            if (s.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("U+0000 in an MQTT string (MQTT 3.1.1, 1.5.3-2)");
            }
            binary(s.getBytes(StandardCharsets.UTF_8));
        }

        void binary(byte[] bytes) {
            if (bytes.length > 0xFFFF) {
                throw new IllegalArgumentException("string or binary field over 65535 bytes: " + bytes.length);
            }
            u16(bytes.length);
            write(bytes, 0, bytes.length);
        }

        byte[] packet(int firstByte) {
            byte[] length = remainingLength(count);
            byte[] out = new byte[1 + length.length + count];
            out[0] = (byte) firstByte;
            System.arraycopy(length, 0, out, 1, length.length);
            System.arraycopy(buf, 0, out, 1 + length.length, count);
            return out;
        }
    }
}

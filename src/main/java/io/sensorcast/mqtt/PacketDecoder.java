package io.sensorcast.mqtt;

import static io.sensorcast.mqtt.PacketEncoder.CONNACK;
import static io.sensorcast.mqtt.PacketEncoder.PINGRESP;
import static io.sensorcast.mqtt.PacketEncoder.PUBACK;
import static io.sensorcast.mqtt.PacketEncoder.PUBLISH;
import static io.sensorcast.mqtt.PacketEncoder.SUBACK;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Incremental decoder for what a broker sends a client (MQTT 3.1.1): CONNACK, PUBLISH, PUBACK,
 * SUBACK and PINGRESP. Bytes in, packets out; it touches no socket, and input may be cut anywhere.
 *
 * <p>Limits: the remaining length is at most four bytes (2.2.3) and at most {@code maxPacketBytes};
 * each packet's length and flags are checked as soon as its fixed header is in, so garbage fails
 * before its body arrives, and a body is allocated only once it is known to fit. Between packets
 * the decoder holds nothing. Malformed input gives a {@link MqttProtocolException} naming the
 * packet and the field; the decoder is finished then. One instance per connection, loop thread.
 */
public final class PacketDecoder {

    private static final String[] NAMES = {"reserved type 0", "CONNECT", "CONNACK", "PUBLISH", "PUBACK", "PUBREC",
        "PUBREL", "PUBCOMP", "SUBSCRIBE", "SUBACK", "UNSUBSCRIBE", "UNSUBACK", "PINGREQ", "PINGRESP", "DISCONNECT",
        "reserved type 15"};
    private static final byte[] EMPTY = new byte[0];

    private final int maxPacketBytes;

    // The fixed header of the packet in progress: its first byte, then the remaining length's bytes.
    private int firstByte = -1;
    private int lengthBytes;
    private int remaining;
    // Its body, allocated once the fixed header is checked.
    private byte[] body;
    private int bodyCount;

    private MqttProtocolException error;

    /** maxPacketBytes: the largest remaining length accepted (a packet's size less its 2 to 5 header bytes). */
    public PacketDecoder(int maxPacketBytes) {
        if (maxPacketBytes < 2 || maxPacketBytes > PacketEncoder.MAX_REMAINING_LENGTH) {
            throw new IllegalArgumentException("maxPacketBytes out of 2.." + PacketEncoder.MAX_REMAINING_LENGTH);
        }
        this.maxPacketBytes = maxPacketBytes;
    }

    /**
     * Consumes all of {@code in}, giving each complete packet to {@code out} in order. Throws at the
     * first violation (and again on every later call: the stream cannot be resynchronised); the
     * packets before it have been delivered. Never writes into {@code in}.
     */
    public void decode(ByteBuffer in, Consumer<MqttPacket> out) throws MqttProtocolException {
        if (error != null) {
            in.position(in.limit());
            throw error;
        }
        try {
            while (in.hasRemaining()) {
                if (body == null) {
                    readHeader(in);
                    if (body != null && remaining == 0) {
                        out.accept(finish());
                    }
                } else {
                    int n = Math.min(remaining - bodyCount, in.remaining());
                    in.get(body, bodyCount, n);
                    bodyCount += n;
                    if (bodyCount == remaining) {
                        out.accept(finish());
                    }
                }
            }
        } catch (MqttProtocolException e) {
            error = e;
            body = null;
            in.position(in.limit());
            throw e;
        }
    }

    /** True between packets: no partial packet is held. */
    public boolean isIdle() {
        return firstByte < 0 && error == null;
    }

    private void readHeader(ByteBuffer in) throws MqttProtocolException {
        if (firstByte < 0) {
            firstByte = in.get() & 0xFF;
            checkType();
            lengthBytes = 0;
            remaining = 0;
            return;
        }
        int b = in.get() & 0xFF;
        remaining |= (b & 0x7F) << 7 * lengthBytes;
        lengthBytes++;
        if ((b & 0x80) != 0) {
            if (lengthBytes == 4) {
                throw malformed("remaining length longer than 4 bytes (MQTT 3.1.1, 2.2.3)");
            }
            return;
        }
        checkLength();
        body = remaining == 0 ? EMPTY : new byte[remaining];
        bodyCount = 0;
    }

    private void checkType() throws MqttProtocolException {
        int type = firstByte >> 4;
        int flags = firstByte & 0x0F;
        switch (type) {
            case CONNACK, PUBACK, SUBACK, PINGRESP -> {
                if (flags != 0) {
                    throw malformed("reserved flags " + Integer.toBinaryString(flags) + ", must be 0 (MQTT 3.1.1, 2.2.2)");
                }
            }
            case PUBLISH -> {
                if ((flags & 0x06) == 0x06) {
                    throw malformed("QoS 3 (MQTT 3.1.1, 3.3.1-4)");
                }
                if ((flags & 0x06) == 0 && (flags & 0x08) != 0) {
                    throw malformed("DUP set at QoS 0 (MQTT 3.1.1, 3.3.1-2)");
                }
            }
            default -> throw new MqttProtocolException("unexpected " + NAMES[type] + " packet from the broker (first byte 0x"
                    + Integer.toHexString(firstByte) + ")");
        }
    }

    private void checkLength() throws MqttProtocolException {
        int type = firstByte >> 4;
        if (remaining > maxPacketBytes) {
            throw malformed("remaining length " + remaining + " over the limit of " + maxPacketBytes + " bytes");
        }
        int min = switch (type) {
            case PUBLISH -> ((firstByte >> 1) & 3) > 0 ? 5 : 3; // topic length, one character, packet id at QoS > 0
            case SUBACK -> 3;                                   // packet id and one return code
            default -> 0;
        };
        int exact = switch (type) {
            case CONNACK, PUBACK -> 2;
            case PINGRESP -> 0;
            default -> -1;
        };
        if (exact >= 0 && remaining != exact) {
            throw malformed("remaining length " + remaining + ", must be " + exact);
        }
        if (remaining < min) {
            throw malformed("remaining length " + remaining + ", at least " + min + " needed");
        }
    }

    private MqttPacket finish() throws MqttProtocolException {
        byte[] b = body;
        int type = firstByte >> 4;
        int flags = firstByte & 0x0F;
        MqttPacket packet = switch (type) {
            case CONNACK -> connack(b);
            case PUBLISH -> publish(b, flags);
            case PUBACK -> new MqttPacket.PubAck(packetId(b, 0));
            case SUBACK -> suback(b);
            case PINGRESP -> new MqttPacket.PingResp();
            default -> throw new IllegalStateException("type checked in the header: " + type);
        };
        firstByte = -1;
        body = null;
        return packet;
    }

    private MqttPacket.ConnAck connack(byte[] b) throws MqttProtocolException {
        if ((b[0] & 0xFE) != 0) {
            throw malformed("acknowledge flags 0x" + Integer.toHexString(b[0] & 0xFF) + ", bits 7-1 must be 0 (MQTT 3.1.1, 3.2.2.1)");
        }
        int code = b[1] & 0xFF;
        if (code > 5) {
            throw malformed("return code " + code + " is not one of 0 to 5 (MQTT 3.1.1, table 3.1)");
        }
        boolean sessionPresent = (b[0] & 1) != 0;
        if (sessionPresent && code != 0) {
            throw malformed("session present with a refusal (MQTT 3.1.1, 3.2.2-4)");
        }
        return new MqttPacket.ConnAck(sessionPresent, code);
    }

    private MqttPacket.Publish publish(byte[] b, int flags) throws MqttProtocolException {
        int qos = (flags >> 1) & 3;
        int topicLength = (b[0] & 0xFF) << 8 | b[1] & 0xFF;
        int idBytes = qos > 0 ? 2 : 0;
        if (2 + topicLength + idBytes > b.length) {
            throw malformed("topic length " + topicLength + " runs past the packet's " + b.length + " bytes");
        }
        String topic = utf8(b, 2, topicLength, "topic name");
        if (topic.isEmpty() || topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
            throw malformed("topic name '" + printable(topic) + "' is empty or has a wildcard (MQTT 3.1.1, 4.7)");
        }
        int id = qos > 0 ? packetId(b, 2 + topicLength) : 0;
        int start = 2 + topicLength + idBytes;
        return new MqttPacket.Publish(topic, Arrays.copyOfRange(b, start, b.length), qos, (flags & 1) != 0,
                (flags & 8) != 0, id);
    }

    private MqttPacket.SubAck suback(byte[] b) throws MqttProtocolException {
        int id = packetId(b, 0);
        byte[] codes = Arrays.copyOfRange(b, 2, b.length);
        for (byte c : codes) {
            int v = c & 0xFF;
            if (v > 2 && v != MqttPacket.SubAck.FAILURE) {
                throw malformed("return code 0x" + Integer.toHexString(v) + " is not 0, 1, 2 or 0x80 (MQTT 3.1.1, 3.9.3)");
            }
        }
        return new MqttPacket.SubAck(id, codes);
    }

    private int packetId(byte[] b, int at) throws MqttProtocolException {
        int id = (b[at] & 0xFF) << 8 | b[at + 1] & 0xFF;
        if (id == 0) {
            throw malformed("packet identifier 0 (MQTT 3.1.1, 2.3.1-1)");
        }
        return id;
    }

    private String utf8(byte[] b, int offset, int length, String what) throws MqttProtocolException {
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, offset, length)).toString();
            if (s.indexOf('\0') >= 0) {
                throw malformed(what + " contains U+0000 (MQTT 3.1.1, 1.5.3-2)");
            }
            return s;
        } catch (CharacterCodingException e) {
            throw malformed(what + " is not valid UTF-8 (MQTT 3.1.1, 1.5.3)");
        }
    }

    private MqttProtocolException malformed(String what) {
        return new MqttProtocolException("malformed " + NAMES[firstByte >> 4] + ": " + what);
    }

    private static String printable(String s) {
        String cut = s.length() > 60 ? s.substring(0, 60) + "..." : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}

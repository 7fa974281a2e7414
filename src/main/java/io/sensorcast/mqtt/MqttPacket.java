package io.sensorcast.mqtt;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The packets a broker sends a client (MQTT 3.1.1, section 3), as {@link PacketDecoder} delivers
 * them. Immutable; the arrays are the decoder's copies, not shared with the input.
 */
public sealed interface MqttPacket {

    /** 3.2: the broker's answer to CONNECT; {@code returnCode} 0 is accepted, 1 to 5 a refusal. */
    record ConnAck(boolean sessionPresent, int returnCode) implements MqttPacket {
        public static final int ACCEPTED = 0;

        /** What a refusal means, in the words of table 3.1, for a log line. */
        public String meaning() {
            return switch (returnCode) {
                case 0 -> "accepted";
                case 1 -> "unacceptable protocol version (the broker does not speak MQTT 3.1.1)";
                case 2 -> "client identifier rejected";
                case 3 -> "server unavailable";
                case 4 -> "bad user name or password";
                case 5 -> "not authorised";
                default -> "return code " + returnCode;
            };
        }
    }

    /** 3.3: a message on a topic the client subscribed to; {@code packetId} is 0 at QoS 0. */
    record Publish(String topic, byte[] payload, int qos, boolean retain, boolean dup, int packetId)
            implements MqttPacket {
        @Override
        public boolean equals(Object o) {
            return o instanceof Publish p && topic.equals(p.topic) && Arrays.equals(payload, p.payload)
                    && qos == p.qos && retain == p.retain && dup == p.dup && packetId == p.packetId;
        }

        @Override
        public int hashCode() {
            return topic.hashCode() * 31 + Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "Publish[" + topic + ", " + HexFormat.of().formatHex(payload) + ", qos " + qos
                    + (retain ? ", retain" : "") + (dup ? ", dup" : "") + ", id " + packetId + "]";
        }
    }

    /** 3.4: the broker has the client's QoS 1 PUBLISH of {@code packetId}. */
    record PubAck(int packetId) implements MqttPacket {}

    /** 3.9: one return code per topic filter of the SUBSCRIBE: the granted QoS 0 to 2, or 0x80 for a failure. */
    record SubAck(int packetId, byte[] returnCodes) implements MqttPacket {
        public static final int FAILURE = 0x80;

        @Override
        public boolean equals(Object o) {
            return o instanceof SubAck s && packetId == s.packetId && Arrays.equals(returnCodes, s.returnCodes);
        }

        @Override
        public int hashCode() {
            return packetId * 31 + Arrays.hashCode(returnCodes);
        }

        @Override
        public String toString() {
            return "SubAck[id " + packetId + ", " + HexFormat.of().formatHex(returnCodes) + "]";
        }
    }

    /** 3.13: the answer to PINGREQ. */
    record PingResp() implements MqttPacket {}
}

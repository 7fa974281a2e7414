package io.sensorcast.mqtt;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * What the client needs to reach a broker. {@code broker} is resolved already: the loop never
 * looks a name up (that would block it). {@code brokerName} is how logs name it
 * ({@code mqtt://host:port}); {@code username} and {@code password} may be null.
 */
public record MqttOptions(InetSocketAddress broker, String brokerName, String clientId, String username,
        byte[] password, int keepAliveSeconds, String topicPrefix, int qos) {

    /** The largest packet accepted from the broker: we subscribe only to short status topics. */
    public static final int MAX_PACKET_BYTES = 64 * 1024;

    public MqttOptions {
        Objects.requireNonNull(broker, "broker");
        Objects.requireNonNull(brokerName, "brokerName");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(topicPrefix, "topicPrefix");
        if (qos != 0 && qos != 1) {
            throw new IllegalArgumentException("qos must be 0 or 1: " + qos);
        }
        if (keepAliveSeconds < 0 || keepAliveSeconds > 0xFFFF) {
            throw new IllegalArgumentException("keep alive must be 0 to 65535 s: " + keepAliveSeconds);
        }
        if (password != null && username == null) {
            throw new IllegalArgumentException("a password needs a user name");
        }
    }

    /** {@code <prefix>/status}: {@code online} while connected, the will {@code offline} otherwise; both retained. */
    public String statusTopic() {
        return topicPrefix + "/status";
    }
}

package io.sensorcast.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * The mqtt.* keys, checked. {@link #enabled()} is false while mqtt.broker is empty (the default).
 * Defaults that follow server.name are resolved by {@link #clientId(String)} and
 * {@link #topicPrefix(String)}. The password is never logged or printed.
 */
public record MqttSettings(String broker, String host, int port, String username, String password, Path passwordFile,
        String clientId, String topicPrefix, int qos, Duration publishInterval, boolean discovery,
        String discoveryPrefix, Duration keepalive) {

    public static final int DEFAULT_PORT = 1883;
    public static final MqttSettings OFF = new MqttSettings("", "", DEFAULT_PORT, "", "", null, "", "", 0,
            Duration.ofSeconds(10), true, "homeassistant", Duration.ofSeconds(60));

    public boolean enabled() {
        return !broker.isEmpty();
    }

    /** mqtt.client_id, or {@code sensorcast-<server.name>} in the characters every broker takes. */
    public String clientId(String serverName) {
        return clientId.isEmpty() ? "sensorcast-" + safe(serverName) : clientId;
    }

    /** mqtt.topic_prefix, or {@code sensorcast/<server.name>} (lower case, no wildcard or slash). */
    public String topicPrefix(String serverName) {
        return topicPrefix.isEmpty() ? "sensorcast/" + safe(serverName) : topicPrefix;
    }

    /** How logs name the broker: {@code mqtt://host:port}. */
    public String brokerName() {
        return "mqtt://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** A name for topics, object ids and client ids: lower case a-z, 0-9, '_' and '-'. */
    public static String safe(String name) {
        String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "_");
        return s.isEmpty() ? "sensorcast" : s;
    }

    /**
     * Checks mqtt.broker: {@code mqtt://host[:port]}, or empty. The messages are what
     * {@code sensorcast check} prints after file:line:key.
     */
    static MqttSettings withBroker(MqttSettings s, String value) {
        String v = value.strip();
        if (v.isEmpty()) {
            return new MqttSettings("", "", DEFAULT_PORT, s.username, s.password, s.passwordFile, s.clientId,
                    s.topicPrefix, s.qos, s.publishInterval, s.discovery, s.discoveryPrefix, s.keepalive);
        }
        String lower = v.toLowerCase(Locale.ROOT);
        if (lower.startsWith("mqtts://") || lower.startsWith("ssl://") || lower.startsWith("tls://")) {
            throw new IllegalArgumentException("TLS is not supported yet; run a mosquitto on the Pi that bridges to"
                    + " this broker over TLS (README, MQTT: a TLS broker) and set mqtt.broker = mqtt://127.0.0.1:1883");
        }
        if (!lower.startsWith("mqtt://")) {
            throw new IllegalArgumentException("'" + v + "' is not a broker address like mqtt://192.168.1.10:1883"
                    + " (or mqtt://homeassistant.local)");
        }
        URI uri;
        try {
            uri = new URI(v);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + v + "' is not a broker address like mqtt://192.168.1.10:1883: "
                    + e.getReason());
        }
        String host = uri.getHost();
        if (host == null || uri.getUserInfo() != null || (uri.getPath() != null && !uri.getPath().isEmpty())
                || uri.getQuery() != null || uri.getFragment() != null) {
            throw new IllegalArgumentException("'" + v + "' is not a broker address like mqtt://192.168.1.10:1883"
                    + " (host and port only; the user name goes in mqtt.username)");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
        if (port == 0) {
            throw new IllegalArgumentException("port 0 in '" + v + "'; the usual MQTT port is 1883");
        }
        return new MqttSettings(v, host, port, s.username, s.password, s.passwordFile, s.clientId, s.topicPrefix,
                s.qos, s.publishInterval, s.discovery, s.discoveryPrefix, s.keepalive);
    }

    /** A topic prefix or discovery prefix: levels without wildcards, no leading or trailing slash. */
    static String topicLevels(String value, String what) {
        String v = value.strip();
        if (v.contains("+") || v.contains("#") || v.startsWith("/") || v.endsWith("/") || v.contains("\0")) {
            throw new IllegalArgumentException("'" + v + "' is not a " + what + ": no + or #, and no leading or trailing /");
        }
        return v;
    }
}

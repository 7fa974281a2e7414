package io.sensorcast.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Every limit and timeout of the server, read in one place (as the JDK's {@code ServerConfig} does)
 * instead of literals scattered through the code. Immutable; {@link #defaults()} are the values the
 * README documents, and {@link Builder} changes them (command line now, the config file later).
 */
public final class Settings {

    /** Listen address; all interfaces, so that browsers on the LAN reach the Pi. */
    public final String bind;
    public final int port;
    /** Shown in the dashboard and the hello frame; the host name by default. */
    public final String deviceName;
    /** Enables /ws/echo, for RFC 6455 conformance suites. Off in production. */
    public final boolean wsEcho;
    /** Origins allowed besides the page's own (and clients that send none), e.g. "http://grafana.lan:3000". */
    public final List<String> allowedOrigins;
    /**
     * The access token /ws, /api and /metrics require (Bearer or the login cookie); empty: no
     * token, everything open. Never logged or printed.
     */
    public final String accessToken;

    /** Open connections of any kind; over it a new connection is closed at once. */
    public final int maxConnections;
    /** WebSocket monitors on /ws; an upgrade beyond it gets 503 with Retry-After. */
    public final int maxMonitors;
    /** Request line plus header fields; over it the answer is 431. */
    public final int maxHeaderBytes;
    /** Request bodies; over it the answer is 413. */
    public final int maxBodyBytes;
    /** Largest WebSocket message a monitor may send (they send small JSON commands); over it, close 1009. */
    public final int maxMessageBytes;
    /** Largest message on /ws/echo: conformance suites send 16 MiB. */
    public final int echoMaxMessageBytes;
    /** Queued outbound bytes per connection before the oldest sample frames are dropped. */
    public final int outboundCapBytes;
    /** Messages waiting in the loop's inbox before posts are refused (and counted). */
    public final int inboxCapacity;

    /** From accept to a complete request (slowloris guard); then 408 and close. */
    public final Duration handshakeTimeout;
    /** An HTTP keep-alive connection with no request in flight is closed after this. */
    public final Duration idleTimeout;
    /** A monitor is pinged after this much silence from it ... */
    public final Duration pingInterval;
    /** ... and closed (1001) if no pong or other frame follows within this. */
    public final Duration pongTimeout;
    /** A connection whose peer reads nothing for this long while bytes wait is closed (1008). */
    public final Duration writeStallTimeout;
    /** How long a closing connection may take to flush its last frames before the socket is cut. */
    public final Duration closeLinger;

    /** Where sysfs and procfs are mounted: settings, so that tests and captured trees can stand in. */
    public final Path sysfsRoot;
    public final Path procfsRoot;
    /** Where device nodes live (/dev/i2c-1, /dev/spidev0.0, /dev/gpiochip0): for detection. */
    public final Path devRoot;
    /** Samples per second of the simulated channel. */
    public final double simRate;
    /** How far back each channel's raw ring reaches (at its configured rate, capped per channel). */
    public final Duration historyRawWindow;
    /** How far back the per-minute min/avg/max aggregates reach. */
    public final Duration historyAggregateWindow;
    /**
     * history.dir as written: an absolute directory, "none" (memory only), or null when the file
     * does not say (the serve command then picks the state directory; tests keep memory only).
     */
    public final String historyDir;
    /** How often finished minutes are appended to disk. */
    public final Duration historyFlushInterval;
    /** The MQTT client's keys; off while mqtt.broker is empty. */
    public final MqttSettings mqtt;
    /** The {@code [notify.NAME]} sections that are enabled, in file order; none by default. */
    public final List<NotifySettings> notifiers;
    /** The alert rules that are on ({@code [alert.NAME]} and the built-in ones), in file order. */
    public final List<io.sensorcast.alert.AlertRule> alerts;

    private Settings(Builder b) {
        bind = b.bind;
        port = b.port;
        deviceName = b.deviceName;
        wsEcho = b.wsEcho;
        allowedOrigins = List.copyOf(b.allowedOrigins);
        accessToken = b.accessToken;
        maxConnections = b.maxConnections;
        maxMonitors = b.maxMonitors;
        maxHeaderBytes = b.maxHeaderBytes;
        maxBodyBytes = b.maxBodyBytes;
        maxMessageBytes = b.maxMessageBytes;
        echoMaxMessageBytes = b.echoMaxMessageBytes;
        outboundCapBytes = b.outboundCapBytes;
        inboxCapacity = b.inboxCapacity;
        handshakeTimeout = b.handshakeTimeout;
        idleTimeout = b.idleTimeout;
        pingInterval = b.pingInterval;
        pongTimeout = b.pongTimeout;
        writeStallTimeout = b.writeStallTimeout;
        closeLinger = b.closeLinger;
        sysfsRoot = b.sysfsRoot;
        procfsRoot = b.procfsRoot;
        devRoot = b.devRoot;
        simRate = b.simRate;
        historyRawWindow = b.historyRawWindow;
        historyAggregateWindow = b.historyAggregateWindow;
        historyDir = b.historyDir;
        historyFlushInterval = b.historyFlushInterval;
        mqtt = b.mqtt;
        notifiers = List.copyOf(b.notifiers);
        alerts = List.copyOf(b.alerts);
    }

    /** Shortest access token accepted: 16 characters (e.g. {@code openssl rand -hex 16} prints 32). */
    public static final int MIN_TOKEN_LENGTH = 16;
    public static final int MAX_TOKEN_LENGTH = 256;

    /**
     * Why {@code token} cannot be the access token, or null if it can (empty turns it off). It
     * travels in an Authorization header and a cookie, so it is printable ASCII without space,
     * quote, comma, semicolon or backslash (a cookie value's characters, RFC 6265 4.1.1).
     */
    public static String accessTokenProblem(String token) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '"' || c == ',' || c == ';' || c == '\\') {
                return "the token may hold letters, digits and punctuation other than \" , ; \\"
                        + " (no spaces); e.g. the output of: openssl rand -hex 16";
            }
        }
        if (token.length() < MIN_TOKEN_LENGTH || token.length() > MAX_TOKEN_LENGTH) {
            return "the token must be " + MIN_TOKEN_LENGTH + " to " + MAX_TOKEN_LENGTH + " characters long, this one has "
                    + token.length() + "; e.g. the output of: openssl rand -hex 16";
        }
        return null;
    }

    public static Settings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.bind = bind;
        b.port = port;
        b.deviceName = deviceName;
        b.wsEcho = wsEcho;
        b.allowedOrigins = allowedOrigins;
        b.accessToken = accessToken;
        b.maxConnections = maxConnections;
        b.maxMonitors = maxMonitors;
        b.maxHeaderBytes = maxHeaderBytes;
        b.maxBodyBytes = maxBodyBytes;
        b.maxMessageBytes = maxMessageBytes;
        b.echoMaxMessageBytes = echoMaxMessageBytes;
        b.outboundCapBytes = outboundCapBytes;
        b.inboxCapacity = inboxCapacity;
        b.handshakeTimeout = handshakeTimeout;
        b.idleTimeout = idleTimeout;
        b.pingInterval = pingInterval;
        b.pongTimeout = pongTimeout;
        b.writeStallTimeout = writeStallTimeout;
        b.closeLinger = closeLinger;
        b.sysfsRoot = sysfsRoot;
        b.procfsRoot = procfsRoot;
        b.devRoot = devRoot;
        b.simRate = simRate;
        b.historyRawWindow = historyRawWindow;
        b.historyAggregateWindow = historyAggregateWindow;
        b.historyDir = historyDir;
        b.historyFlushInterval = historyFlushInterval;
        b.mqtt = mqtt;
        b.notifiers = notifiers;
        b.alerts = alerts;
        return b;
    }

    /** Mutable twin of {@link Settings}; every field starts at its documented default. */
    public static final class Builder {
        private String bind = "0.0.0.0";
        private int port = 8080;
        private String deviceName = HostName.get();
        private boolean wsEcho = false;
        private List<String> allowedOrigins = List.of();
        private String accessToken = "";
        private int maxConnections = 1024;
        private int maxMonitors = 1024;
        private int maxHeaderBytes = 8 * 1024;
        private int maxBodyBytes = 8 * 1024;
        private int maxMessageBytes = 8 * 1024;
        private int echoMaxMessageBytes = 16 * 1024 * 1024;
        private int outboundCapBytes = 1024 * 1024;
        private int inboxCapacity = 65_536;
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private Duration idleTimeout = Duration.ofSeconds(60);
        private Duration pingInterval = Duration.ofSeconds(30);
        private Duration pongTimeout = Duration.ofSeconds(10);
        private Duration writeStallTimeout = Duration.ofSeconds(30);
        private Duration closeLinger = Duration.ofSeconds(2);
        private Path sysfsRoot = Path.of("/sys");
        private Path procfsRoot = Path.of("/proc");
        private Path devRoot = Path.of("/dev");
        private double simRate = 1.0;
        private Duration historyRawWindow = Duration.ofHours(1);
        private Duration historyAggregateWindow = Duration.ofDays(7);
        private String historyDir = null;
        private Duration historyFlushInterval = Duration.ofMinutes(10);
        private MqttSettings mqtt = MqttSettings.OFF;
        private List<NotifySettings> notifiers = List.of();
        private List<io.sensorcast.alert.AlertRule> alerts = List.of();

        public Builder bind(String v) { bind = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder deviceName(String v) { deviceName = v; return this; }
        public Builder wsEcho(boolean v) { wsEcho = v; return this; }
        public Builder allowedOrigins(List<String> v) { allowedOrigins = v; return this; }

        /** Empty turns the token off; else checked here, so that the config names the file and line. */
        public Builder accessToken(String v) {
            String reason = accessTokenProblem(v);
            if (reason != null) {
                throw new IllegalArgumentException(reason);
            }
            accessToken = v;
            return this;
        }
        public Builder maxConnections(int v) { maxConnections = v; return this; }
        public Builder maxMonitors(int v) { maxMonitors = v; return this; }
        public Builder maxHeaderBytes(int v) { maxHeaderBytes = v; return this; }
        public Builder maxBodyBytes(int v) { maxBodyBytes = v; return this; }
        public Builder maxMessageBytes(int v) { maxMessageBytes = v; return this; }
        public Builder echoMaxMessageBytes(int v) { echoMaxMessageBytes = v; return this; }
        public Builder outboundCapBytes(int v) { outboundCapBytes = v; return this; }
        public Builder inboxCapacity(int v) { inboxCapacity = v; return this; }
        public Builder handshakeTimeout(Duration v) { handshakeTimeout = v; return this; }
        public Builder idleTimeout(Duration v) { idleTimeout = v; return this; }
        public Builder pingInterval(Duration v) { pingInterval = v; return this; }
        public Builder pongTimeout(Duration v) { pongTimeout = v; return this; }
        public Builder writeStallTimeout(Duration v) { writeStallTimeout = v; return this; }
        public Builder closeLinger(Duration v) { closeLinger = v; return this; }
        public Builder sysfsRoot(Path v) { sysfsRoot = v; return this; }
        public Builder procfsRoot(Path v) { procfsRoot = v; return this; }
        public Builder devRoot(Path v) { devRoot = v; return this; }
        public Builder simRate(double v) { simRate = v; return this; }
        public Builder historyRawWindow(Duration v) { historyRawWindow = v; return this; }
        public Builder historyAggregateWindow(Duration v) { historyAggregateWindow = v; return this; }
        public Builder historyFlushInterval(Duration v) { historyFlushInterval = v; return this; }

        /** An absolute directory or "none"; null: not said (see {@link Settings#historyDir}). */
        public Builder historyDir(String v) {
            String d = v == null ? null : v.strip();
            if (d != null && !d.equals("none") && (d.isEmpty() || !Path.of(d).isAbsolute())) {
                throw new IllegalArgumentException("must be an absolute directory (e.g. /var/lib/sensorcast/history)"
                        + " or none (memory only), was '" + d + "'");
            }
            historyDir = d;
            return this;
        }

        public Builder mqtt(MqttSettings v) { mqtt = v; return this; }
        public Builder notifiers(List<NotifySettings> v) { notifiers = v; return this; }
        public Builder alerts(List<io.sensorcast.alert.AlertRule> v) { alerts = v; return this; }

        /** mqtt.broker: mqtt://host[:port] or empty; mqtts:// is refused with how to bridge. */
        public Builder mqttBroker(String v) { mqtt = MqttSettings.withBroker(mqtt, v); return this; }

        public Builder mqttUsername(String v) { mqtt = m(v.strip(), mqtt.password(), mqtt.passwordFile(), mqtt.clientId(), mqtt.topicPrefix(), mqtt.qos(), mqtt.publishInterval(), mqtt.discovery(), mqtt.discoveryPrefix(), mqtt.keepalive()); return this; }
        public Builder mqttPassword(String v) { mqtt = m(mqtt.username(), v, mqtt.passwordFile(), mqtt.clientId(), mqtt.topicPrefix(), mqtt.qos(), mqtt.publishInterval(), mqtt.discovery(), mqtt.discoveryPrefix(), mqtt.keepalive()); return this; }
        public Builder mqttPasswordFile(String v) { mqtt = m(mqtt.username(), mqtt.password(), v.isBlank() ? null : Path.of(v.strip()), mqtt.clientId(), mqtt.topicPrefix(), mqtt.qos(), mqtt.publishInterval(), mqtt.discovery(), mqtt.discoveryPrefix(), mqtt.keepalive()); return this; }

        public Builder mqttClientId(String v) {
            String id = v.strip();
            if (id.length() > 65_535 || id.contains("\0")) {
                throw new IllegalArgumentException("not a client id");
            }
            mqtt = m(mqtt.username(), mqtt.password(), mqtt.passwordFile(), id, mqtt.topicPrefix(), mqtt.qos(), mqtt.publishInterval(), mqtt.discovery(), mqtt.discoveryPrefix(), mqtt.keepalive());
            return this;
        }
        public Builder mqttTopicPrefix(String v) { mqtt = m(mqtt.username(), mqtt.password(), mqtt.passwordFile(), mqtt.clientId(), MqttSettings.topicLevels(v, "topic prefix"), mqtt.qos(), mqtt.publishInterval(), mqtt.discovery(), mqtt.discoveryPrefix(), mqtt.keepalive()); return this; }
        public Builder mqttQos(int v) { mqtt = m(mqtt.username(), mqtt.password(), mqtt.passwordFile(), mqtt.clientId(), mqtt.topicPrefix(), v, mqtt.publishInterval(), mqtt.discovery(), mqtt.discoveryPrefix(), mqtt.keepalive()); return this; }
        public Builder mqttPublishInterval(Duration v) { mqtt = m(mqtt.username(), mqtt.password(), mqtt.passwordFile(), mqtt.clientId(), mqtt.topicPrefix(), mqtt.qos(), v, mqtt.discovery(), mqtt.discoveryPrefix(), mqtt.keepalive()); return this; }
        public Builder mqttDiscovery(boolean v) { mqtt = m(mqtt.username(), mqtt.password(), mqtt.passwordFile(), mqtt.clientId(), mqtt.topicPrefix(), mqtt.qos(), mqtt.publishInterval(), v, mqtt.discoveryPrefix(), mqtt.keepalive()); return this; }
        public Builder mqttDiscoveryPrefix(String v) {
            String p = MqttSettings.topicLevels(v, "discovery prefix");
            if (p.isEmpty()) {
                throw new IllegalArgumentException("empty; Home Assistant's default is homeassistant");
            }
            mqtt = m(mqtt.username(), mqtt.password(), mqtt.passwordFile(), mqtt.clientId(), mqtt.topicPrefix(), mqtt.qos(), mqtt.publishInterval(), mqtt.discovery(), p, mqtt.keepalive());
            return this;
        }
        public Builder mqttKeepalive(Duration v) { mqtt = m(mqtt.username(), mqtt.password(), mqtt.passwordFile(), mqtt.clientId(), mqtt.topicPrefix(), mqtt.qos(), mqtt.publishInterval(), mqtt.discovery(), mqtt.discoveryPrefix(), v); return this; }

        private MqttSettings m(String user, String password, Path file, String clientId, String prefix, int qos,
                Duration interval, boolean discovery, String discoveryPrefix, Duration keepalive) {
            return new MqttSettings(mqtt.broker(), mqtt.host(), mqtt.port(), user, password, file, clientId, prefix, qos,
                    interval, discovery, discoveryPrefix, keepalive);
        }

        public Settings build() {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0-65535, was " + port);
            }
            if (!(simRate > 0) || simRate > 1_000_000) {
                throw new IllegalArgumentException("sim rate must be above 0 and at most 1000000 per second, was " + simRate);
            }
            if (outboundCapBytes < 1024) {
                throw new IllegalArgumentException("outbound cap must be at least 1 KiB, was " + outboundCapBytes);
            }
            return new Settings(this);
        }
    }
}

package io.sensorcast.mqtt;

import io.sensorcast.loop.Connection;
import io.sensorcast.loop.EventLoop;
import io.sensorcast.loop.OutboundFrame;
import io.sensorcast.loop.Protocol;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * An MQTT 3.1.1 client that is one more connection of the event loop, like Mongoose's
 * {@code mg_mqtt_connect}: no thread of its own. It connects without blocking, sends CONNECT with
 * the will {@code <prefix>/status = offline} (retained), waits for CONNACK, says {@code online}
 * (retained), pings on the keep alive from the loop's timers, and reconnects after 1 s, doubling
 * to 60 s (plus up to a fifth of jitter), whenever the broker goes away or refuses it; only a
 * connection that lasted 10 s starts the back-off again from 1 s.
 *
 * <p>Publishing never waits: retained topics (a channel's state) keep their latest payload here
 * and are published again on every connect; a newer state replaces an older one still queued on
 * the socket (counted as replaced: the newer value goes, nothing is lost). Other publishes go as
 * the connection's sample frames: over the outbound cap the oldest are dropped, and counted as
 * dropped. Each change of the connection's state is logged once.
 *
 * <p>Every method but {@link #start} runs on the loop thread.
 */
public final class MqttClient implements Protocol {

    /** What the connection is doing, for /healthz and the log. */
    public enum State { CONNECTING, CONNECTED, WAITING, STOPPED }

    static final long MIN_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);
    static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** From the start of a connect to CONNACK; then the connection is given up and retried. */
    static final long CONNACK_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** A connection that lasted this long resets the back-off to 1 s. */
    static final long STABLE_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long GOODBYE_LINGER_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** QoS 1 packets awaiting PUBACK that are remembered; older ones are forgotten (and counted as unacknowledged). */
    private static final int MAX_IN_FLIGHT = 1024;
    private static final byte[] ONLINE = "online".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OFFLINE = "offline".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMPTY = new byte[0];

    private final TaggedLogger log = Logger.tag("mqtt");
    private final EventLoop loop;
    private final MqttOptions options;
    private final byte[] connectPacket;
    private final Map<String, byte[]> retained = new LinkedHashMap<>();
    /** Retained topics to empty on the broker at the next connect: forgotten while disconnected. */
    private final java.util.Set<String> toClear = new java.util.LinkedHashSet<>();
    /** Completed once a stopped client's connection is closed (its last packets read by the broker, or the linger over). */
    private final java.util.concurrent.CompletableFuture<Void> closed = new java.util.concurrent.CompletableFuture<>();
    private final List<String> subscriptions = new ArrayList<>();
    private Consumer<MqttPacket.Publish> messages = p -> { };

    private State state = State.CONNECTING; // connect() is queued on the loop
    private Connection connection;
    private PacketDecoder decoder;
    /** Counts connections: a timer of an older one finds a different number and does nothing. */
    private int generation;
    private long connectStartedNanos;
    private long connectedNanos;
    private long backoffNanos = MIN_BACKOFF_NANOS;
    private boolean pingOutstanding;
    private String closeReason;
    /** The last problem said in the log: the same one again is not repeated. */
    private String lastProblem;
    /** A CONNACK's refusal, said when the connection it closes is gone (onClosed logs). */
    private String refusal;
    private int nextPacketId = 1;
    private final LinkedHashMap<Integer, String> inFlight = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, String> eldest) {
            if (size() > MAX_IN_FLIGHT) {
                unacknowledged++;
                return true;
            }
            return false;
        }
    };

    private long published;
    private long dropped;
    private long droppedOnClosedConnections;
    private long replacedOnClosedConnections;
    private long reconnects;
    private long attempts;
    private long acknowledged;
    private long unacknowledged;

    private MqttClient(EventLoop loop, MqttOptions options) {
        this.loop = loop;
        this.options = options;
        PacketEncoder.Will will = new PacketEncoder.Will(options.statusTopic(), OFFLINE, options.qos(), true);
        this.connectPacket = PacketEncoder.connect(options.clientId(), true, options.keepAliveSeconds(), will,
                options.username(), options.password());
    }

    /** Any thread: a client that starts connecting on the loop at once. */
    public static MqttClient start(EventLoop loop, MqttOptions options) {
        MqttClient client = new MqttClient(loop, options);
        loop.execute(client::connect);
        return client;
    }

    public MqttOptions options() {
        return options;
    }

    // ---- what the application calls (loop thread) -----------------------------------------------

    /**
     * Publishes at the configured QoS. A retained topic's latest payload is kept and published again
     * after each reconnect; any other publish while disconnected is dropped and counted.
     */
    public void publish(String topic, byte[] payload, boolean retain) {
        loop.owner().check();
        if (state == State.STOPPED) {
            return;
        }
        if (retain) {
            retained.put(topic, payload);
            toClear.remove(topic);
        }
        if (state != State.CONNECTED) {
            if (!retain) {
                dropped++;
            }
            return;
        }
        send(topic, payload, retain);
    }

    /**
     * Forgets a retained topic (no more republishing); {@code clear} also empties it on the broker
     * (an empty retained payload: MQTT 3.1.1, 3.3.1.3), now or, while disconnected, at the next connect.
     */
    public void forget(String topic, boolean clear) {
        loop.owner().check();
        retained.remove(topic);
        if (clear) {
            clearLater(List.of(topic));
        }
    }

    /**
     * Empties these retained topics on the broker (an empty retained payload each): now if
     * connected, else first thing at the next connect, unless one is published again before.
     */
    public void clearLater(java.util.Collection<String> topics) {
        loop.owner().check();
        if (state == State.STOPPED) {
            return;
        }
        for (String t : topics) {
            retained.remove(t);
            if (state == State.CONNECTED) {
                send(t, EMPTY, true);
            } else {
                toClear.add(t);
            }
        }
    }

    /** The retained topics this client has published and keeps (states, attributes, configs), and its status topic. */
    public java.util.Set<String> retainedTopics() {
        loop.owner().check();
        java.util.Set<String> topics = new java.util.LinkedHashSet<>(retained.keySet());
        topics.add(options.statusTopic());
        return topics;
    }

    /** Subscribes to {@code filter} at QoS 1 on every connect from now on; messages go to {@link #onMessage}. */
    public void subscribe(String filter) {
        loop.owner().check();
        subscriptions.add(filter);
        if (state == State.CONNECTED) {
            sendSubscribe(List.of(filter));
        }
    }

    /** Where messages of the subscriptions go. */
    public void onMessage(Consumer<MqttPacket.Publish> handler) {
        loop.owner().check();
        this.messages = handler;
    }

    /** Says {@code offline} (retained), sends DISCONNECT so the broker drops the will, and stays down. */
    public void stop() {
        stop(List.of());
    }

    /**
     * Like {@link #stop()}, but first empties the retained {@code clear} topics on the broker (a
     * reload that moves the topics elsewhere: Home Assistant removes an entity whose config is
     * emptied). The status topic among them is emptied instead of set to {@code offline}. Returns
     * whether they went out: false when not connected (nothing could be said). {@link #closed()}
     * tells when the broker has read them (it closes after DISCONNECT), or the linger of 1 s is over.
     */
    public boolean stop(java.util.Collection<String> clear) {
        loop.owner().check();
        if (state == State.STOPPED) {
            return false;
        }
        boolean wasConnected = state == State.CONNECTED;
        state = State.STOPPED;
        generation++;
        Connection c = connection;
        if (c == null) {
            closed.complete(null);
            return false;
        }
        if (wasConnected) {
            for (String t : clear) {
                send(t, EMPTY, true);
            }
            if (!clear.contains(options.statusTopic())) {
                send(options.statusTopic(), OFFLINE, true);
            }
            c.send(OutboundFrame.answer(PacketEncoder.disconnect()));
            c.closeAfterFlush(GOODBYE_LINGER_NANOS);
        } else {
            c.close();
        }
        log.info("MQTT: disconnected from {}{}", options.brokerName(),
                wasConnected && !clear.isEmpty() ? " after emptying " + clear.size() + " retained topics there" : "");
        return wasConnected;
    }

    /** Any thread: completes when a stopped client's connection is closed. */
    public java.util.concurrent.CompletableFuture<Void> closed() {
        return closed;
    }

    public State state() {
        loop.owner().check();
        return state;
    }

    /** The connection itself while there is one (tests: to kill it without a DISCONNECT). */
    public Connection connection() {
        loop.owner().check();
        return connection;
    }

    public long publishedTotal() {
        loop.owner().check();
        return published;
    }

    /**
     * Publishes lost: made while disconnected (other than states, which are kept and sent on the
     * next connect), or dropped over the outbound cap. A state replaced by a newer one is not lost:
     * see {@link #replacedTotal()}.
     */
    public long droppedTotal() {
        loop.owner().check();
        Connection c = connection;
        return dropped + droppedOnClosedConnections + (c == null ? 0 : c.droppedFrames());
    }

    /**
     * States (retained topics) replaced, still queued on the socket, by a newer one of the same
     * topic: the broker was slower than the states came; it gets the newest.
     */
    public long replacedTotal() {
        loop.owner().check();
        Connection c = connection;
        return replacedOnClosedConnections + (c == null ? 0 : c.replacedFrames());
    }

    /** Connections lost after a CONNACK and tried again. */
    public long reconnectsTotal() {
        loop.owner().check();
        return reconnects;
    }

    /** Connects tried since the start (tests: that refusals are retried). */
    public long connectAttempts() {
        loop.owner().check();
        return attempts;
    }

    /** QoS 1 publishes the broker acknowledged with PUBACK. */
    public long acknowledgedTotal() {
        loop.owner().check();
        return acknowledged;
    }

    /** QoS 1 publishes sent and not acknowledged (yet). */
    public int inFlight() {
        loop.owner().check();
        return inFlight.size();
    }

    // ---- the connection ----------------------------------------------------------------------------

    private void connect() {
        if (state == State.STOPPED) {
            return;
        }
        state = State.CONNECTING;
        attempts++;
        connectStartedNanos = System.nanoTime();
        closeReason = null;
        try {
            connection = loop.connect(options.broker(), "MQTT broker " + options.brokerName(), this);
            generation++;
        } catch (IOException | RuntimeException e) {
            connection = null;
            retryLater("cannot reach " + options.brokerName() + ": " + describe(e));
        }
    }

    @Override
    public void onConnected(Connection c) {
        if (c != connection) {
            c.close();
            return;
        }
        decoder = new PacketDecoder(MqttOptions.MAX_PACKET_BYTES);
        c.send(OutboundFrame.answer(connectPacket));
    }

    @Override
    public void onData(Connection c, ByteBuffer in) {
        if (c != connection || decoder == null) {
            in.position(in.limit());
            return;
        }
        try {
            decoder.decode(in, packet -> onPacket(c, packet));
        } catch (MqttProtocolException e) {
            closeReason = e.getMessage();
            c.close();
        }
    }

    private void onPacket(Connection c, MqttPacket packet) {
        if (c != connection || !c.isOpen()) {
            return; // closed by an earlier packet of the same read
        }
        if (state == State.CONNECTING && !(packet instanceof MqttPacket.ConnAck)) {
            closeReason = "the broker sent " + name(packet) + " before CONNACK (MQTT 3.1.1, 3.2)";
            c.close();
            return;
        }
        if (packet instanceof MqttPacket.ConnAck ack) {
            onConnAck(c, ack);
        } else if (packet instanceof MqttPacket.Publish p) {
            onPublish(c, p);
        } else if (packet instanceof MqttPacket.PubAck ack) {
            if (inFlight.remove(ack.packetId()) != null) {
                acknowledged++;
            }
        } else if (packet instanceof MqttPacket.SubAck ack) {
            for (byte code : ack.returnCodes()) {
                if ((code & 0xFF) == MqttPacket.SubAck.FAILURE) {
                    loop.warnLimited("mqtt-suback", "MQTT: " + options.brokerName()
                            + " refused a subscription (SUBACK 0x80): the broker's ACL may not allow it");
                }
            }
        } else if (packet instanceof MqttPacket.PingResp) {
            pingOutstanding = false;
        }
    }

    private void onConnAck(Connection c, MqttPacket.ConnAck ack) {
        if (state != State.CONNECTING) {
            closeReason = "a second CONNACK (MQTT 3.1.1, 3.2)";
            c.close();
            return;
        }
        if (ack.returnCode() != MqttPacket.ConnAck.ACCEPTED) {
            String credentials = options.username() == null
                    ? " (the broker wants a user name: set mqtt.username, and mqtt.password or mqtt.password_file)"
                    : " (check mqtt.username, and mqtt.password or mqtt.password_file)";
            // mosquitto answers a wrong password with 5 (not authorised) as well as with 4.
            String hint = switch (ack.returnCode()) {
                case 4, 5 -> credentials;
                case 2 -> " (check mqtt.client_id)";
                default -> "";
            };
            closeReason = null;
            refusal = options.brokerName() + " refused the connection: " + ack.meaning() + hint;
            c.close();
            return;
        }
        state = State.CONNECTED;
        connectedNanos = System.nanoTime();
        pingOutstanding = false;
        lastProblem = null;
        log.info("MQTT: connected to {} as {}", options.brokerName(), options.clientId());
        // Subscriptions first: the broker handles them before the states, so an answer to one of
        // these (Home Assistant's online) cannot be missed.
        if (!subscriptions.isEmpty()) {
            sendSubscribe(subscriptions);
        }
        // Topics forgotten while away go first: nothing published below is among them.
        for (String t : toClear) {
            send(t, EMPTY, true);
        }
        toClear.clear();
        send(options.statusTopic(), ONLINE, true);
        for (Map.Entry<String, byte[]> e : retained.entrySet()) {
            send(e.getKey(), e.getValue(), true);
        }
        if (options.keepAliveSeconds() > 0) {
            schedulePing(generation);
        }
    }

    private void onPublish(Connection c, MqttPacket.Publish p) {
        if (p.qos() == 2) {
            closeReason = "a QoS 2 PUBLISH on '" + p.topic() + "', although every subscription asked for QoS 1 at most";
            c.close();
            return;
        }
        if (p.qos() == 1) {
            c.send(OutboundFrame.answer(PacketEncoder.puback(p.packetId())));
        }
        try {
            messages.accept(p);
        } catch (RuntimeException e) {
            loop.warnLimited("mqtt-message", "MQTT: handling a message on " + p.topic() + " failed: " + e);
        }
    }

    /**
     * 3.1.2.10: a PINGREQ every keep alive; one still unanswered at the next means the broker (or
     * the path to it) is gone, and the connection is closed and retried.
     */
    private void schedulePing(int gen) {
        loop.schedule(TimeUnit.SECONDS.toNanos(options.keepAliveSeconds()), () -> {
            if (gen != generation || state != State.CONNECTED || connection == null) {
                return;
            }
            if (pingOutstanding) {
                closeReason = "no PINGRESP within the keep alive of " + options.keepAliveSeconds() + " s (mqtt.keepalive)";
                connection.close();
                return;
            }
            pingOutstanding = true;
            connection.send(OutboundFrame.answer(PacketEncoder.pingreq()));
            schedulePing(gen);
        });
    }

    @Override
    public void onTick(Connection c, long nowNanos) {
        if (c == connection && state == State.CONNECTING && nowNanos - connectStartedNanos > CONNACK_TIMEOUT_NANOS) {
            closeReason = "no CONNACK within " + TimeUnit.NANOSECONDS.toSeconds(CONNACK_TIMEOUT_NANOS) + " s";
            c.close();
        }
    }

    @Override
    public void onError(Connection c, Throwable cause) {
        if (c == connection && closeReason == null) {
            closeReason = describe(cause);
        }
    }

    @Override
    public void onWriteStalled(Connection c) {
        if (c == connection) {
            closeReason = "the broker read nothing for ws.write_stall_timeout";
        }
        c.close();
    }

    @Override
    public String name() {
        return "MQTT";
    }

    @Override
    public String pushedName() {
        return "retained states";
    }

    @Override
    public void onPushedOverflow(Connection c) {
        if (c == connection) {
            closeReason = "the broker left more retained states unread than ws.outbound_cap";
        }
        c.close();
    }

    @Override
    public void onShutdown(Connection c) {
        if (c == connection) {
            stop();
        } else {
            c.close();
        }
    }

    @Override
    public void onClosed(Connection c) {
        if (c != connection) {
            return;
        }
        droppedOnClosedConnections += c.droppedFrames();
        replacedOnClosedConnections += c.replacedFrames();
        connection = null;
        decoder = null;
        generation++;
        inFlight.clear(); // a clean session: the broker forgets them too
        if (state == State.STOPPED) {
            closed.complete(null);
            return;
        }
        String why;
        if (refusal != null) {
            why = refusal;
            refusal = null;
        } else if (state == State.CONNECTED) {
            reconnects++;
            // The back-off starts again from 1 s only after a connection that lasted: a broker that
            // accepts and drops us at once (another client with our id) must not be hammered.
            boolean lasted = System.nanoTime() - connectedNanos >= STABLE_NANOS;
            if (lasted) {
                backoffNanos = MIN_BACKOFF_NANOS;
            }
            why = "connection to " + options.brokerName() + " lost: " + (closeReason != null ? closeReason
                    : lasted ? "closed by the broker"
                    : "closed by the broker right after connecting (another device with the same mqtt.client_id?)");
        } else {
            why = "cannot connect to " + options.brokerName() + ": "
                    + (closeReason != null ? closeReason : "the broker closed the connection before CONNACK");
        }
        retryLater(why);
    }

    private void retryLater(String problem) {
        state = State.WAITING;
        long delay = backoffNanos + ThreadLocalRandom.current().nextLong(backoffNanos / 5 + 1);
        backoffNanos = Math.min(MAX_BACKOFF_NANOS, backoffNanos * 2);
        if (!problem.equals(lastProblem)) {
            lastProblem = problem;
            log.warn("MQTT: {}; retrying in {} s, then at doubling intervals up to {} s", problem,
                    Math.max(1, TimeUnit.NANOSECONDS.toSeconds(delay)), TimeUnit.NANOSECONDS.toSeconds(MAX_BACKOFF_NANOS));
        }
        int gen = ++generation;
        loop.schedule(delay, () -> {
            if (gen == generation && state == State.WAITING) {
                connect();
            }
        });
    }

    private void send(String topic, byte[] payload, boolean retain) {
        Connection c = connection;
        int qos = options.qos();
        int id = 0;
        if (qos > 0) {
            id = nextPacketId();
            inFlight.put(id, topic);
        }
        byte[] packet = PacketEncoder.publish(topic, payload, qos, retain, false, id);
        // A state replaces the queued one of its topic; anything else may be dropped when over the cap.
        OutboundFrame frame = retain ? OutboundFrame.state(topic, packet) : OutboundFrame.sample(packet);
        if (c.send(frame)) {
            published++;
        } else {
            dropped++;
        }
    }

    private void sendSubscribe(List<String> filters) {
        int[] qos = new int[filters.size()];
        java.util.Arrays.fill(qos, 1);
        connection.send(OutboundFrame.answer(PacketEncoder.subscribe(nextPacketId(), filters.toArray(String[]::new), qos)));
    }

    private int nextPacketId() {
        for (int i = 0; i < 0xFFFF; i++) {
            int id = nextPacketId;
            nextPacketId = id == 0xFFFF ? 1 : id + 1;
            if (!inFlight.containsKey(id)) {
                return id;
            }
        }
        throw new IllegalStateException("no free packet identifier"); // MAX_IN_FLIGHT keeps this from happening
    }

    private static String name(MqttPacket p) {
        return p.getClass().getSimpleName().toUpperCase(java.util.Locale.ROOT);
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}

package io.sensorcast.mqtt;

import io.sensorcast.alert.AlertEngine;
import io.sensorcast.alert.AlertRule;
import io.sensorcast.hub.ChannelState;
import io.sensorcast.hub.Hub;
import io.sensorcast.hub.JsonWriter;
import io.sensorcast.hub.Sample;
import io.sensorcast.loop.EventLoop;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The hub's channels on MQTT, through a {@link MqttClient}: {@code <prefix>/<channel>/state} (the
 * number as text, retained) at most every {@code publish_interval} per channel (0: every sample;
 * a changed level of an event channel, a GPIO input's edge, at once), {@code <prefix>/<channel>/attributes}
 * (JSON: t, seq, state, message; retained) with each state and at once on a state change, and Home
 * Assistant discovery configs ({@link Discovery}) when enabled. Loop thread only.
 */
public final class MqttPublisher implements Hub.Observer, AlertEngine.Listener {

    private final EventLoop loop;
    private final Hub hub;
    private final MqttClient client;
    private final String prefix;
    private final long intervalNanos;
    private final Discovery discovery;
    private Set<String> eventChannels;
    private final Map<String, Slot> slots = new HashMap<>();
    private boolean closed;
    /** The alert rules, while they are published as binary sensors; null: none. */
    private AlertEngine alerts;
    /** Each rule's last published state ("ON"/"OFF") and attributes, to publish only changes. */
    private final Map<String, String> alertStates = new HashMap<>();

    /** What was last sent for one channel, and the sample waiting for its turn. */
    private static final class Slot {
        long lastSentNanos;
        double lastSentValue;
        boolean sentOnce;
        Sample pending;
    }

    /** {@code discovery} may be null (mqtt.discovery = false). */
    public MqttPublisher(EventLoop loop, Hub hub, MqttClient client, Duration publishInterval, Set<String> eventChannels,
            Discovery discovery) {
        this.loop = loop;
        this.hub = hub;
        this.client = client;
        this.prefix = client.options().topicPrefix();
        this.intervalNanos = publishInterval.toNanos();
        this.eventChannels = Set.copyOf(eventChannels);
        this.discovery = discovery;
    }

    /** Loop thread: hooks into the hub, publishes what it knows, and starts the interval's timer. */
    public void start() {
        loop.owner().check();
        hub.addObserver(this);
        if (discovery != null) {
            client.subscribe(discovery.statusTopic());
            client.onMessage(p -> {
                // Home Assistant restarted: it has forgotten the entities that are not retained.
                if (p.topic().equals(discovery.statusTopic())
                        && "online".equals(new String(p.payload(), StandardCharsets.UTF_8).strip())) {
                    publishConfigs();
                    if (alerts != null) {
                        onAlerts();
                    }
                }
            });
        }
        onChannels();
        if (intervalNanos > 0) {
            scheduleFlush();
        }
    }

    /** Loop thread: stops publishing (a reload that replaced it); the client is stopped by the caller. */
    public void close() {
        loop.owner().check();
        closed = true;
        hub.removeObserver(this);
        if (alerts != null) {
            alerts.removeListener(this);
        }
    }

    /** Loop thread: the channels whose samples are events (GPIO edges), after a reload. */
    public void setEventChannels(Set<String> ids) {
        loop.owner().check();
        eventChannels = Set.copyOf(ids);
    }

    /**
     * Loop thread: publishes each alert rule as {@code <prefix>/alert/<rule>/state}, ON while any of
     * its channels fires, else OFF (retained), with {@code <prefix>/alert/<rule>/attributes}, and a
     * Home Assistant binary sensor (device class problem) per rule when discovery is on.
     */
    public void watchAlerts(AlertEngine engine) {
        loop.owner().check();
        alerts = engine;
        engine.addListener(this);
        onAlerts();
    }

    @Override
    public void onTransition(AlertEngine.Alert alert) {
        if (!closed) {
            publishAlert(alert.rule());
        }
    }

    @Override
    public void onAlerts() {
        if (closed) {
            return;
        }
        Set<String> names = new HashSet<>();
        for (AlertRule r : alerts.rules()) {
            names.add(r.name());
            if (discovery != null) {
                discovery.publishAlert(client, r, alertTopic(r.name(), "state"), alertTopic(r.name(), "attributes"));
            }
            publishAlert(r); // retained: the broker keeps it for Home Assistant's restarts
        }
        for (String gone : Set.copyOf(alertStates.keySet())) {
            if (!names.contains(gone)) {
                alertStates.remove(gone);
                client.forget(alertTopic(gone, "state"), true);
                client.forget(alertTopic(gone, "attributes"), true);
                if (discovery != null) {
                    discovery.removeAlert(client, gone);
                }
            }
        }
    }

    /** Publishes a rule's state and attributes when they differ from what was published last. */
    private void publishAlert(AlertRule rule) {
        JsonWriter w = new JsonWriter().beginObject().name("condition").value(rule.condition())
                .name("severity").value(rule.severity()).name("firing").beginArray();
        boolean on = false;
        for (AlertEngine.Alert a : alerts.alerts()) {
            if (a.rule().name().equals(rule.name()) && a.state() == AlertEngine.State.FIRING) {
                on = true;
                w.value(a.channel());
            }
        }
        String attributes = w.endArray().endObject().toString();
        String state = on ? "ON" : "OFF";
        String both = state + attributes;
        if (both.equals(alertStates.get(rule.name()))) {
            return; // pending, back to ok, a reload that kept it: nothing new
        }
        alertStates.put(rule.name(), both);
        client.publish(alertTopic(rule.name(), "state"), state.getBytes(StandardCharsets.US_ASCII), true);
        client.publish(alertTopic(rule.name(), "attributes"), attributes.getBytes(StandardCharsets.UTF_8), true);
    }

    String alertTopic(String rule, String leaf) {
        return prefix + "/alert/" + rule + "/" + leaf;
    }

    public MqttClient client() {
        return client;
    }

    @Override
    public void onSample(Hub.Channel ch, Sample s) {
        if (closed) {
            return;
        }
        String id = ch.info().id();
        Slot slot = slots.computeIfAbsent(id, k -> new Slot());
        long now = System.nanoTime();
        boolean edge = eventChannels.contains(id) && s.value() != slot.lastSentValue; // a GPIO level that changed
        if (intervalNanos == 0 || edge || !slot.sentOnce || now - slot.lastSentNanos >= intervalNanos) {
            send(ch, s, slot, now);
        } else {
            slot.pending = s; // the newest waits; older ones it replaces are not lost values, only thinned
        }
    }

    @Override
    public void onState(Hub.Channel ch) {
        if (closed) {
            return;
        }
        client.publish(attributesTopic(ch.info().id()), attributes(ch, ch.latest()), true);
    }

    @Override
    public void onChannels() {
        if (closed) {
            return;
        }
        Set<String> now = new HashSet<>();
        for (Hub.Channel ch : hub.channels()) {
            now.add(ch.info().id());
        }
        for (String gone : Set.copyOf(slots.keySet())) {
            if (!now.contains(gone)) {
                slots.remove(gone);
                client.forget(stateTopic(gone), true);
                client.forget(attributesTopic(gone), true);
                if (discovery != null) {
                    discovery.remove(client, gone);
                }
            }
        }
        for (Hub.Channel ch : hub.channels()) {
            slots.computeIfAbsent(ch.info().id(), k -> new Slot());
            client.publish(attributesTopic(ch.info().id()), attributes(ch, ch.latest()), true);
        }
        publishConfigs();
    }

    private void publishConfigs() {
        if (discovery != null) {
            for (Hub.Channel ch : hub.channels()) {
                discovery.publish(client, ch, eventChannels.contains(ch.info().id()));
            }
        }
    }

    private void scheduleFlush() {
        loop.schedule(intervalNanos, () -> {
            if (closed) {
                return;
            }
            long now = System.nanoTime();
            for (Hub.Channel ch : hub.channels()) {
                Slot slot = slots.get(ch.info().id());
                if (slot != null && slot.pending != null && now - slot.lastSentNanos >= intervalNanos / 2) {
                    send(ch, slot.pending, slot, now);
                }
            }
            scheduleFlush();
        });
    }

    private void send(Hub.Channel ch, Sample s, Slot slot, long now) {
        String id = ch.info().id();
        slot.pending = null;
        slot.sentOnce = true;
        slot.lastSentNanos = now;
        slot.lastSentValue = s.value();
        client.publish(stateTopic(id), number(s.value()).getBytes(StandardCharsets.US_ASCII), true);
        client.publish(attributesTopic(id), attributes(ch, s), true);
    }

    String stateTopic(String channel) {
        return prefix + "/" + channel + "/state";
    }

    String attributesTopic(String channel) {
        return prefix + "/" + channel + "/attributes";
    }

    /**
     * Every retained topic a publisher under {@code prefix} with {@code discovery} (may be null)
     * keeps for {@code channels}: the status, each channel's state and attributes, and its
     * discovery configs (both components). A reload empties the old topics that are not among the
     * new ones.
     */
    public static Set<String> retainedTopics(String prefix, Discovery discovery, Iterable<Hub.Channel> channels) {
        Set<String> topics = new java.util.LinkedHashSet<>();
        topics.add(prefix + "/status");
        for (Hub.Channel ch : channels) {
            String id = ch.info().id();
            topics.add(prefix + "/" + id + "/state");
            topics.add(prefix + "/" + id + "/attributes");
            if (discovery != null) {
                topics.add(discovery.configTopic("sensor", id));
                topics.add(discovery.configTopic("binary_sensor", id));
            }
        }
        return topics;
    }

    /** The value as text: integers without a fraction (GPIO's 0 and 1), others as Java prints a double. */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    private static byte[] attributes(Hub.Channel ch, Sample s) {
        JsonWriter w = new JsonWriter().beginObject();
        if (s != null) {
            w.name("t").millisFromMicros(s.epochMicros()).name("seq").value(s.seq());
        }
        ChannelState state = ch.state();
        w.name("state").value(state.wireName()).name("message").value(ch.message());
        return w.endObject().toUtf8();
    }
}

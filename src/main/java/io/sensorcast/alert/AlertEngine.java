package io.sensorcast.alert;

import io.sensorcast.hub.ChannelState;
import io.sensorcast.hub.Hub;
import io.sensorcast.hub.JsonWriter;
import io.sensorcast.hub.Sample;
import io.sensorcast.hub.StreamFrames;
import io.sensorcast.hub.Subscriber;
import io.sensorcast.loop.EventLoop;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * The alert rules at work: one state machine per rule and matched channel ({@link Alert}), ok →
 * pending → firing → (resolved) ok, as Prometheus' rules have. It hears the hub as an observer
 * (samples for above/below rules, state changes for state rules) and uses loop timers for
 * {@code for} and {@code repeat}: no thread of its own, and per sample one map look-up and a
 * comparison, nothing allocated. It tells on transitions only: the log, every monitor (an
 * {@code alert} message), the {@link Listener}s (MQTT) and, for firing, repeat and resolved, the
 * {@link AlertSink} (the notifiers). Loop thread only.
 *
 * <p>A condition latches: it begins when the value is beyond the threshold and ends only when it
 * is back past {@code clear} (the hysteresis), so a value hovering between the two changes nothing.
 */
public final class AlertEngine implements Hub.Observer {

    private static final TaggedLogger LOG = Logger.tag("alert");

    /** The monotonic clock, the wall clock and the loop's timers; tests give a fake one. */
    public interface Clock {
        long nanoTime();

        long epochMillis();

        /** Runs {@code task} on the loop thread after {@code delayNanos}. */
        void schedule(long delayNanos, Runnable task);

        static Clock of(EventLoop loop) {
            return new Clock() {
                @Override
                public long nanoTime() {
                    return System.nanoTime();
                }

                @Override
                public long epochMillis() {
                    return System.currentTimeMillis();
                }

                @Override
                public void schedule(long delayNanos, Runnable task) {
                    loop.schedule(delayNanos, task);
                }
            };
        }
    }

    /** Hears every transition of every alert (the MQTT publisher's binary sensors). */
    public interface Listener {
        void onTransition(Alert alert);

        /** The rules or channels changed: {@link #alerts()} is the new set. */
        void onAlerts();
    }

    /** An alert's state as the API, the stream and the metric show it. */
    public enum State {
        OK("ok", 0), PENDING("pending", 1), FIRING("firing", 2);

        private final String wireName;
        private final int metric;

        State(String wireName, int metric) {
            this.wireName = wireName;
            this.metric = metric;
        }

        public String wireName() {
            return wireName;
        }

        /** The value of {@code sensorcast_alert_state}. */
        public int metric() {
            return metric;
        }
    }

    /** One rule on one channel: its state machine. */
    public static final class Alert {
        private AlertRule rule;
        private final String channel;
        private State state = State.OK;
        /** Wall clock: when the state began. */
        private long sinceMillis;
        /** When the condition began to hold (monotonic and wall clock). */
        private long conditionNanos;
        private long conditionMillis;
        /** The latched condition: beyond the threshold and not yet back past clear. */
        private boolean active;
        private double value = Double.NaN;
        private long notifiedNanos;
        private boolean holdArmed;
        private boolean repeatArmed;
        /** Its rule changed or went, or its channel went: its timers do nothing. */
        private boolean ended;

        Alert(AlertRule rule, String channel, long nowMillis) {
            this.rule = rule;
            this.channel = channel;
            this.sinceMillis = nowMillis;
        }

        public AlertRule rule() {
            return rule;
        }

        public String channel() {
            return channel;
        }

        public State state() {
            return state;
        }

        public long sinceMillis() {
            return sinceMillis;
        }

        /** The last value seen (NaN before one, and for a state rule). */
        public double value() {
            return value;
        }
    }

    private final Hub hub;
    private final Clock clock;
    private final String server;
    private AlertSink sink;
    private final List<Listener> listeners = new ArrayList<>();
    private List<AlertRule> rules = List.of();
    /** Every alert, rule by rule in the rules' order, each rule's channels in the hub's order. */
    private List<Alert> alerts = List.of();
    /** The alerts on each channel: the per-sample look-up. */
    private Map<String, Alert[]> byChannel = Map.of();

    public AlertEngine(Hub hub, Clock clock, String server, AlertSink sink) {
        this.hub = hub;
        this.clock = clock;
        this.server = server;
        this.sink = sink;
    }

    /** Where firing, repeat and resolved go (the notifiers); {@link AlertSink#NONE} for nowhere. */
    public void setSink(AlertSink sink) {
        this.sink = sink;
    }

    public void addListener(Listener l) {
        listeners.add(l);
    }

    public void removeListener(Listener l) {
        listeners.remove(l);
    }

    /**
     * Takes the rules (at the start and at each reload). A rule that did not change keeps its
     * alerts' states, timers and all (a firing one stays firing and tells no one again); a changed
     * or removed rule's firing alerts resolve (told as resolved), and a changed rule starts afresh
     * from the channels' latest values.
     */
    public void setRules(List<AlertRule> next) {
        hub.channels(); // the owner check: loop thread only
        rules = List.copyOf(next);
        rematch();
    }

    public List<AlertRule> rules() {
        return rules;
    }

    /** Every rule × matched channel, in rule order. */
    public List<Alert> alerts() {
        return Collections.unmodifiableList(alerts);
    }

    /** Adds the hub's observer and matches the rules (call once, on the loop). */
    public void start() {
        hub.addObserver(this);
        rematch();
    }

    @Override
    public void onChannels() {
        rematch();
    }

    @Override
    public void onSample(Hub.Channel ch, Sample s) {
        Alert[] list = byChannel.get(ch.info().id());
        if (list == null) {
            return;
        }
        for (Alert a : list) {
            if (a.rule.kind() != AlertRule.Kind.STATE) {
                a.value = s.value();
                evaluate(a, s.value());
            }
        }
    }

    @Override
    public void onState(Hub.Channel ch) {
        Alert[] list = byChannel.get(ch.info().id());
        if (list == null) {
            return;
        }
        for (Alert a : list) {
            if (a.rule.kind() == AlertRule.Kind.STATE) {
                evaluateState(a, ch.state());
            }
        }
    }

    /** A new monitor, after its hello: what is pending or firing now. */
    @Override
    public void onMonitor(Subscriber monitor) {
        for (Alert a : alerts) {
            if (a.state != State.OK) {
                monitor.send(frame(a));
            }
        }
    }

    private void rematch() {
        Map<String, Alert> old = new LinkedHashMap<>();
        for (Alert a : alerts) {
            old.put(a.rule.name() + "\n" + a.channel, a);
        }
        List<Alert> next = new ArrayList<>();
        Map<String, List<Alert>> index = new HashMap<>();
        List<Alert> fresh = new ArrayList<>();
        for (AlertRule r : rules) {
            for (Hub.Channel ch : hub.channels()) {
                String id = ch.info().id();
                if (!r.matches(id)) {
                    continue;
                }
                Alert a = old.get(r.name() + "\n" + id);
                if (a != null && a.rule.sameAs(r)) {
                    old.remove(r.name() + "\n" + id);
                    a.rule = r; // the same rule, perhaps from another line
                } else {
                    a = new Alert(r, id, clock.epochMillis());
                    fresh.add(a);
                }
                next.add(a);
                index.computeIfAbsent(id, k -> new ArrayList<>()).add(a);
            }
        }
        Map<String, Alert[]> lookUp = new HashMap<>();
        index.forEach((id, list) -> lookUp.put(id, list.toArray(new Alert[0])));
        alerts = next;
        byChannel = lookUp;
        for (Alert gone : old.values()) {
            end(gone, reason(gone));
        }
        for (Listener l : listeners) {
            l.onAlerts();
        }
        // A new or changed rule looks at what the channel shows now rather than wait for a sample.
        for (Alert a : fresh) {
            Hub.Channel ch = hub.channel(a.channel);
            if (a.rule.kind() == AlertRule.Kind.STATE) {
                evaluateState(a, ch.state());
            } else if (ch.latest() != null) {
                a.value = ch.latest().value();
                evaluate(a, a.value);
            }
        }
    }

    private String reason(Alert gone) {
        if (hub.channel(gone.channel) == null) {
            return "channel " + gone.channel + " is gone";
        }
        for (AlertRule r : rules) {
            if (r.name().equals(gone.rule.name())) {
                return "rule changed";
            }
        }
        return "rule removed";
    }

    /** The alert's rule or channel went: a firing one resolves, a pending one is dropped. */
    private void end(Alert a, String why) {
        a.ended = true;
        if (a.state == State.FIRING) {
            a.active = false;
            transition(a, State.OK, AlertEvent.Transition.RESOLVED, why);
        } else if (a.state == State.PENDING) {
            a.active = false;
            transition(a, State.OK, null, why); // monitors drop it; nobody was told of it
        }
    }

    private void evaluate(Alert a, double v) {
        AlertRule r = a.rule;
        boolean beyond = r.kind() == AlertRule.Kind.ABOVE ? v > r.threshold() : v < r.threshold();
        boolean back = r.kind() == AlertRule.Kind.ABOVE ? v <= r.clear() : v >= r.clear();
        if (!a.active && beyond) {
            begin(a);
        } else if (a.active && back) {
            finish(a);
        }
    }

    private void evaluateState(Alert a, ChannelState state) {
        boolean in = state.wireName().equals(a.rule.state());
        if (!a.active && in) {
            begin(a);
        } else if (a.active && !in) {
            finish(a);
        }
    }

    private void begin(Alert a) {
        a.active = true;
        a.conditionNanos = clock.nanoTime();
        a.conditionMillis = clock.epochMillis();
        if (a.rule.holdFor().isZero()) {
            fire(a);
        } else {
            transition(a, State.PENDING, null, null);
            armHold(a, a.rule.holdFor().toNanos());
        }
    }

    private void finish(Alert a) {
        a.active = false;
        if (a.state == State.FIRING) {
            transition(a, State.OK, AlertEvent.Transition.RESOLVED, null);
        } else if (a.state == State.PENDING) {
            transition(a, State.OK, null, null);
        }
    }

    private void fire(Alert a) {
        a.notifiedNanos = clock.nanoTime();
        transition(a, State.FIRING, AlertEvent.Transition.FIRING, null);
        if (!a.rule.repeat().isZero()) {
            armRepeat(a, a.rule.repeat().toNanos());
        }
    }

    /** One hold timer per alert at a time: a condition that restarts while one is queued re-arms it when it runs. */
    private void armHold(Alert a, long delay) {
        if (a.holdArmed) {
            return;
        }
        a.holdArmed = true;
        clock.schedule(delay, () -> {
            a.holdArmed = false;
            if (a.ended || a.state != State.PENDING) {
                return;
            }
            long left = a.conditionNanos + a.rule.holdFor().toNanos() - clock.nanoTime();
            if (left > 0) {
                armHold(a, left);
            } else {
                fire(a);
            }
        });
    }

    private void armRepeat(Alert a, long delay) {
        if (a.repeatArmed) {
            return;
        }
        a.repeatArmed = true;
        clock.schedule(delay, () -> {
            a.repeatArmed = false;
            if (a.ended || a.state != State.FIRING) {
                return;
            }
            long left = a.notifiedNanos + a.rule.repeat().toNanos() - clock.nanoTime();
            if (left <= 0) {
                a.notifiedNanos = clock.nanoTime();
                tell(a, AlertEvent.Transition.REPEAT, null);
                left = a.rule.repeat().toNanos();
            }
            armRepeat(a, left);
        });
    }

    private void transition(Alert a, State to, AlertEvent.Transition told, String why) {
        a.state = to;
        a.sinceMillis = clock.epochMillis();
        if (told != null) {
            tell(a, told, why);
        } else {
            LOG.info("alert {} {} on {}: value {}, {}{}", a.rule.name(), to == State.OK ? "back to ok" : to.wireName(),
                    a.channel, AlertRule.number(a.value), a.rule.condition(), why == null ? "" : " (" + why + ")");
        }
        hub.broadcast(frame(a));
        for (Listener l : listeners) {
            try {
                l.onTransition(a);
            } catch (RuntimeException e) {
                LOG.warn("alert {}: a listener failed: {}", a.rule.name(), e.toString());
            }
        }
    }

    private void tell(Alert a, AlertEvent.Transition t, String why) {
        String text = "alert " + a.rule.name() + " " + t.wireName() + " (" + a.rule.severity() + ") on " + a.channel
                + ": value " + AlertRule.number(a.value) + ", " + a.rule.condition()
                + (a.rule.kind() == AlertRule.Kind.STATE ? "" : ", threshold " + AlertRule.number(a.rule.threshold()))
                + (why == null ? "" : " (" + why + ")");
        if (t == AlertEvent.Transition.RESOLVED) {
            LOG.info(text);
        } else {
            LOG.warn(text);
        }
        AlertEvent e = new AlertEvent(a.rule.name(), a.rule.severity(), t, a.channel, a.value, a.rule.condition(),
                a.rule.threshold(), server, a.conditionMillis, clock.epochMillis(), a.rule.notifiers());
        try {
            sink.accept(e);
        } catch (RuntimeException ex) {
            LOG.warn("alert {}: the notifiers refused it: {}", a.rule.name(), ex.toString());
        }
    }

    /** The {@code alert} message of the monitor stream; a newer one of an alert replaces an unsent older one. */
    private static io.sensorcast.loop.OutboundFrame frame(Alert a) {
        JsonWriter w = new JsonWriter().beginObject().name("type").value("alert");
        json(w, a);
        return StreamFrames.state(a, w.endObject().toUtf8());
    }

    /** An alert's fields, as the stream and {@code /api/alerts} show them. */
    public static void json(JsonWriter w, Alert a) {
        AlertRule r = a.rule;
        w.name("rule").value(r.name())
                .name("channel").value(a.channel)
                .name("state").value(a.state.wireName())
                .name("since").value(a.sinceMillis)
                .name("severity").value(r.severity())
                .name("condition").value(r.condition())
                .name("value").value(a.value)
                .name("threshold").value(r.threshold());
    }

    /**
     * {@code GET /api/alerts}: every rule (with how many channels it matches, so that a pattern that
     * matches none shows) and every rule × channel with its state.
     */
    public String apiJson() {
        JsonWriter w = new JsonWriter().beginObject().name("rules").beginArray();
        for (AlertRule r : rules) {
            int matched = 0;
            for (Alert a : alerts) {
                if (a.rule.name().equals(r.name())) {
                    matched++;
                }
            }
            w.beginObject().name("name").value(r.name()).name("channels").beginArray();
            r.channels().forEach(w::value);
            w.endArray().name("condition").value(r.condition()).name("severity").value(r.severity())
                    .name("origin").value(r.origin()).name("matched").value(matched).endObject();
        }
        w.endArray().name("alerts").beginArray();
        for (Alert a : alerts) {
            w.beginObject();
            json(w, a);
            w.endObject();
        }
        return w.endArray().endObject().toString();
    }

    /**
     * {@code sensorcast_alert_state}: one series per rule × channel, 0 ok, 1 pending, 2 firing.
     * Names and ids need no escaping: the configuration allows only a-z, 0-9, '_', '-', '.'.
     */
    public void metrics(StringBuilder b) {
        b.append("# HELP sensorcast_alert_state An alert rule on a channel: 0 ok, 1 pending (holding for its for), 2 firing.\n")
                .append("# TYPE sensorcast_alert_state gauge\n");
        for (Alert a : alerts) {
            b.append("sensorcast_alert_state{alert=\"").append(a.rule.name())
                    .append("\",severity=\"").append(a.rule.severity())
                    .append("\",channel=\"").append(a.channel)
                    .append("\"} ").append(a.state.metric()).append('\n');
        }
    }
}

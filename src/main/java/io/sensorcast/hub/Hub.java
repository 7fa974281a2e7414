package io.sensorcast.hub;

import io.sensorcast.loop.Message;
import io.sensorcast.loop.OutboundFrame;
import io.sensorcast.loop.OwnerThread;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * The loop-side state: every channel with its latest sample and state, and the monitors that watch
 * them. Loop thread only; each entry point checks it.
 *
 * <p>Fan-out: a sample is encoded into a WebSocket frame once ({@link StreamFrames}), and the same
 * immutable bytes are queued to every subscriber; what each monitor costs per sample is one queue slot.
 */
public final class Hub implements Consumer<Message> {

    private static final TaggedLogger LOG = Logger.tag("hub");

    /** Loop-side state of one channel. */
    public static final class Channel {
        private ChannelInfo info;
        private String device;
        private long intervalNanos;
        /** The monitors subscribed to this channel: the fan-out list, walked once per sample. */
        private final List<Subscriber> watchers = new ArrayList<>();
        private ChannelState state = ChannelState.OK;
        private String message = "";
        private Sample latest;
        /** The start of this channel's sample messages, made once ({@link StreamFrames#prefix}). */
        private final byte[] samplePrefix;
        private long samples;
        private long lastSampleNanos = System.nanoTime();
        private ChannelHistory history;

        Channel(ChannelInfo info, String device, long intervalNanos, ChannelHistory history) {
            this.info = info;
            this.device = device;
            this.intervalNanos = intervalNanos;
            this.history = history;
            this.samplePrefix = StreamFrames.prefix(info.id());
        }

        public ChannelHistory history() {
            return history;
        }

        public String device() {
            return device;
        }

        public ChannelInfo info() {
            return info;
        }

        public ChannelState state() {
            return state;
        }

        public String message() {
            return message;
        }

        /** The latest sample, or null before the first. */
        public Sample latest() {
            return latest;
        }

        public long samplesTotal() {
            return samples;
        }
    }

    /** The key of a channel's status frames: a newer one replaces an unsent older one. */
    private record StatusKey(String channel) {}

    /** The key of the channel list frames (after a reload). */
    private static final Object CHANNEL_LIST = new Object();

    private final OwnerThread owner;
    private final String device;
    private final String version;
    /** The board's model ("Raspberry Pi 5 Model B Rev 1.0"), or null when it does not say. */
    private final String board;
    private final Map<String, Channel> channels = new LinkedHashMap<>();
    /** Every monitor and the channel ids it watches. */
    private final Map<Subscriber, Set<String>> monitors = new LinkedHashMap<>();
    /** Monitors that asked for every channel: they also get channels a reload adds. */
    private final Set<Subscriber> watchAll = new HashSet<>();
    /** Per device: how many (monitor, channel) subscriptions it has; 0 ↔ 1 is a demand change. */
    private final Map<String, Integer> demand = new HashMap<>();
    private DemandListener demandListener = (device, wanted) -> { };
    private final StreamFrames frames = new StreamFrames();
    private long framesQueued;
    private long rejectedSamples;
    /** Per device (in registration order): how many times it went into error; see {@link #sensorErrors}. */
    private final Map<String, long[]> deviceErrors = new LinkedHashMap<>();
    private final Duration rawWindow;
    private final Duration aggregateWindow;

    /** Raw points kept per channel at most, whatever its rate: 786,432 bytes. */
    public static final int RAW_POINTS_CAP = 65_536;

    public Hub(OwnerThread owner, String device, String version) {
        this(owner, device, version, Duration.ofHours(1), Duration.ofDays(7));
    }

    /**
     * @param rawWindow       how far back each channel's raw ring reaches at its configured rate
     * @param aggregateWindow how far back the per-minute aggregates reach
     */
    public Hub(OwnerThread owner, String device, String version, Duration rawWindow, Duration aggregateWindow) {
        this(owner, device, version, null, rawWindow, aggregateWindow);
    }

    /** @param board the board's model for the hello, or null when unknown (the hello then has no "board") */
    public Hub(OwnerThread owner, String device, String version, String board, Duration rawWindow, Duration aggregateWindow) {
        this.owner = owner;
        this.device = device;
        this.version = version;
        this.board = board;
        this.rawWindow = rawWindow;
        this.aggregateWindow = aggregateWindow;
    }

    /**
     * Raw points for a channel sampled every {@code interval} (null: no fixed rate, sized as 1 s):
     * the raw window's worth plus one, at most {@link #RAW_POINTS_CAP}.
     */
    public static int rawCapacity(Duration rawWindow, Duration interval) {
        long every = interval == null || interval.isZero() ? 1_000_000_000L : interval.toNanos();
        long points = (rawWindow.toNanos() + every - 1) / every + 1;
        return (int) Math.min(RAW_POINTS_CAP, Math.max(1, points));
    }

    /** Minutes of aggregates kept per channel. */
    public static int aggregateCapacity(Duration aggregateWindow) {
        return (int) Math.max(1, (aggregateWindow.toSeconds() + 59) / 60);
    }

    /** The loop's message handler: the {@link HubMessage}s sensor threads post. */
    @Override
    public void accept(Message message) {
        if (message instanceof Sample s) {
            onSample(s);
        } else if (message instanceof StatusChange c) {
            onStatus(c);
        } else {
            throw new IllegalArgumentException("the hub takes HubMessages, not " + message.getClass().getName());
        }
    }

    /**
     * Hears every accepted sample, state change and channel list on the loop thread, after the
     * monitors had theirs (the MQTT publisher). Unlike a monitor it watches every channel without
     * creating demand: an on-demand device is read only while a monitor watches it.
     */
    public interface Observer {
        void onSample(Channel channel, Sample sample);

        void onState(Channel channel);

        /** The channels changed (a reload): {@link #channels()} is the new set. */
        void onChannels();

        /** A monitor connected and has had its hello (the alert rules send it what fires now). */
        default void onMonitor(Subscriber monitor) { }
    }

    /** Hears each minute a channel finishes (the history writer's hand-over): loop thread, must not block. */
    @FunctionalInterface
    public interface MinuteListener {
        void minuteFinished(String channel, ChannelHistory history);
    }

    private MinuteListener minuteListener;

    /** Sets who hears finished minutes (null: nobody). Loop thread. */
    public void setMinuteListener(MinuteListener l) {
        owner.check();
        this.minuteListener = l;
    }

    /**
     * The histories of channels that are not configured now (removed by a reload, or read back from
     * disk before they returned): kept, so that a channel that comes back has its past. Their raw
     * rings are cut to one point; minutes age out of their rings as usual.
     */
    private final Map<String, ChannelHistory> retired = new HashMap<>();

    /**
     * Takes the histories read back from disk at start (before the sensors start): a configured
     * channel gets its own, its raw ring sized for its rate; the others are kept for when they return.
     */
    public void adopt(Map<String, ChannelHistory> stored) {
        owner.check();
        for (Map.Entry<String, ChannelHistory> e : stored.entrySet()) {
            Channel ch = channels.get(e.getKey());
            ChannelHistory h = e.getValue();
            if (ch == null) {
                h.resizeRaw(1);
                retired.put(e.getKey(), h);
            } else {
                h.resizeRaw(ch.history.rawCapacity());
                ch.history = h;
            }
        }
    }

    /** Loop thread: every channel's raw ring (a copy), for the raw hour written at a clean stop. */
    public Map<String, ChannelHistory> historiesForStop() {
        owner.check();
        Map<String, ChannelHistory> all = new LinkedHashMap<>();
        for (Channel ch : channels.values()) {
            all.put(ch.info.id(), ch.history);
        }
        return all;
    }

    /** How many channels' histories are kept while they are not configured. */
    public int retiredHistories() {
        owner.check();
        return retired.size();
    }

    /** Adds an observer (the MQTT publisher, the alert rules); each hears everything, in the order added. Loop thread. */
    public void addObserver(Observer o) {
        owner.check();
        Observer[] next = java.util.Arrays.copyOf(observers, observers.length + 1);
        next[observers.length] = o;
        observers = next;
    }

    /** Removes an observer added before (nothing if it was not). Loop thread. */
    public void removeObserver(Observer o) {
        owner.check();
        observers = java.util.Arrays.stream(observers).filter(x -> x != o).toArray(Observer[]::new);
    }

    /** Replaced, never changed in place: a walk over it is not disturbed by an observer that adds or removes one. */
    private Observer[] observers = new Observer[0];

    /** An observer that throws is said (one in a thousand times) and does not stop the hub's work. */
    private void observe(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            observerFailed(e);
        }
    }

    private void observerFailed(RuntimeException e) {
        if (observerFailures++ % 1000 == 0) {
            LOG.warn("the hub's observer failed ({} so far): {}", observerFailures, e.toString());
        }
    }

    private long observerFailures;

    /** Told (on the loop thread) when a device gains its first watcher or loses its last. */
    @FunctionalInterface
    public interface DemandListener {
        void demandChanged(String device, boolean wanted);
    }

    public void setDemandListener(DemandListener listener) {
        owner.check();
        this.demandListener = listener;
    }

    /** One channel of the configuration, as {@link #reconcile} takes it. */
    public record Registration(ChannelInfo info, String device, Duration interval) {}

    /**
     * Makes the channels exactly {@code wanted} (a reload): channels that stay keep their latest
     * sample, state and history; removed ones leave every monitor's subscription; monitors that
     * watch everything also watch the new ones. Every monitor is sent the new channel list, and
     * the demand listener (set before this) hears of every device that is watched now.
     */
    public void reconcile(List<Registration> wanted, Set<String> onDemand) {
        owner.check();
        Map<String, Registration> byId = new LinkedHashMap<>();
        for (Registration r : wanted) {
            if (byId.putIfAbsent(r.info().id(), r) != null) {
                throw new IllegalArgumentException("channel " + r.info().id() + " is registered twice");
            }
        }
        for (Channel ch : channels.values()) {
            if (!byId.containsKey(ch.info.id())) {
                for (Subscriber w : ch.watchers) {
                    monitors.get(w).remove(ch.info.id());
                }
                ch.watchers.clear();
                ch.history.resizeRaw(1); // its minutes stay until it returns or they age out
                retired.put(ch.info.id(), ch.history);
            }
        }
        Map<String, Channel> next = new LinkedHashMap<>();
        for (Registration r : byId.values()) {
            Channel ch = channels.get(r.info().id());
            if (ch == null) {
                ch = new Channel(r.info(), r.device(), 0, history(r.info().id(), r.interval()));
            }
            ch.info = r.info();
            ch.device = r.device();
            deviceErrors.computeIfAbsent(r.device(), d -> new long[1]);
            ch.intervalNanos = r.interval() == null ? 0 : r.interval().toNanos();
            ch.lastSampleNanos = System.nanoTime();
            next.put(r.info().id(), ch);
        }
        channels.clear();
        channels.putAll(next);
        onDemandDevices.clear();
        onDemandDevices.addAll(onDemand);
        for (Subscriber w : watchAll) {
            Set<String> subs = monitors.get(w);
            for (Channel ch : channels.values()) {
                if (subs.add(ch.info.id())) {
                    ch.watchers.add(w);
                }
            }
        }
        demand.clear();
        for (Channel ch : channels.values()) {
            if (!ch.watchers.isEmpty()) {
                demand.merge(ch.device, ch.watchers.size(), Integer::sum);
            }
        }
        for (String d : demand.keySet()) {
            demandListener.demandChanged(d, true);
        }
        OutboundFrame list = StreamFrames.state(CHANNEL_LIST, MonitorMessages.channelList(channels.values()));
        for (Subscriber w : monitors.keySet()) {
            w.send(list);
        }
        for (Observer o : observers) {
            observe(o::onChannels);
        }
    }

    /** The latest seq of a channel, 0 if none: a restarted device continues from it. */
    public long latestSeq(String channel) {
        owner.check();
        Channel ch = channels.get(channel);
        return ch == null || ch.latest == null ? 0 : ch.latest.seq();
    }

    /** Adds a channel of no particular device and no expected interval (never goes stale). */
    public void register(ChannelInfo info) {
        register(info, info.id(), null);
    }

    /**
     * Adds a channel (before its first sample). {@code interval} is how often samples are due:
     * a channel that misses {@link #STALE_INTERVALS} of them goes stale; null for never.
     */
    public void register(ChannelInfo info, String device, Duration interval) {
        owner.check();
        long nanos = interval == null ? 0 : interval.toNanos();
        if (channels.containsKey(info.id())) {
            throw new IllegalArgumentException("channel " + info.id() + " is registered twice");
        }
        channels.put(info.id(), new Channel(info, device, nanos, history(info.id(), interval)));
        deviceErrors.computeIfAbsent(device, d -> new long[1]);
    }

    /** A returning channel's kept history (its raw ring sized anew), else a new one. */
    private ChannelHistory history(String id, Duration interval) {
        int raw = rawCapacity(rawWindow, interval);
        ChannelHistory kept = retired.remove(id);
        if (kept != null) {
            kept.resizeRaw(raw);
            return kept;
        }
        return new ChannelHistory(raw, aggregateCapacity(aggregateWindow));
    }

    public void onSample(Sample s) {
        owner.check();
        Channel ch = channels.get(s.channel());
        if (ch == null || !Double.isFinite(s.value())) {
            // A sensor bug, not a peer's: count it and say it once in a while, never per sample.
            if (rejectedSamples++ % 1000 == 0) {
                LOG.warn("sample rejected ({} so far): {}", rejectedSamples,
                        ch == null ? "unknown channel " + s.channel() : s.channel() + " value is not finite");
            }
            return;
        }
        ch.latest = s;
        ch.samples++;
        if (ch.history.add(s.epochMicros(), s.value()) && minuteListener != null) {
            minuteListener.minuteFinished(ch.info.id(), ch.history);
        }
        ch.lastSampleNanos = System.nanoTime();
        if (ch.state == ChannelState.STALE) {
            setState(ch, ChannelState.OK, "");
        }
        List<Subscriber> watchers = ch.watchers;
        int n = watchers.size();
        if (n > 0) {
            OutboundFrame frame = OutboundFrame.sample(frames.frame(ch.samplePrefix, s));
            for (int i = 0; i < n; i++) {
                watchers.get(i).send(frame);
            }
            framesQueued += n;
        }
        Observer[] os = observers;
        for (int i = 0; i < os.length; i++) {
            try {
                os[i].onSample(ch, s); // no lambda, no iterator: nothing allocated per sample
            } catch (RuntimeException e) {
                observerFailed(e);
            }
        }
    }

    public void onStatus(StatusChange change) {
        owner.check();
        Channel ch = channels.get(change.channel());
        if (ch == null) {
            LOG.warn("status for unknown channel {} ignored", change.channel());
            return;
        }
        setState(ch, change.state(), change.message());
    }

    private void setState(Channel ch, ChannelState state, String message) {
        if (ch.state == state && ch.message.equals(message)) {
            return;
        }
        if (state == ChannelState.ERROR && ch.state != ChannelState.ERROR && !deviceInError(ch.device)) {
            deviceErrors.computeIfAbsent(ch.device, d -> new long[1])[0]++;
        }
        ch.state = state;
        ch.message = message;
        if (state == ChannelState.OK) {
            ch.lastSampleNanos = System.nanoTime(); // the stale clock restarts with the device
        }
        // A monitor that has not read the previous status of this channel gets this one instead.
        OutboundFrame frame = StreamFrames.state(new StatusKey(ch.info.id()),
                MonitorMessages.status(new StatusChange(ch.info.id(), state, message)));
        for (Subscriber w : ch.watchers) {
            w.send(frame);
        }
        for (Observer o : observers) {
            observe(() -> o.onState(ch));
        }
    }

    /** A device's channels go into error together (one status per channel): count the device once. */
    private boolean deviceInError(String device) {
        for (Channel c : channels.values()) {
            if (c.state == ChannelState.ERROR && c.device.equals(device)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Per device, in registration order: how many times it went into error (a transition from
     * no channel of it in error to one), since start. A new error message while already in error
     * is not counted again.
     */
    public void sensorErrors(java.util.function.ObjLongConsumer<String> each) {
        owner.check();
        deviceErrors.forEach((device, n) -> each.accept(device, n[0]));
    }

    /** Samples the hub refused: unknown channel or a value that is not finite. */
    public long rejectedSamples() {
        owner.check();
        return rejectedSamples;
    }

    /** How many intervals without a sample make a channel stale. */
    public static final int STALE_INTERVALS = 3;

    /**
     * Once a second on the loop: a running channel whose samples stopped goes stale. Channels of
     * devices nobody wants (on-demand, stopped) are left alone: their silence is expected.
     */
    public void sweep(long nowNanos) {
        owner.check();
        for (Channel ch : channels.values()) {
            if (ch.intervalNanos == 0 || ch.state != ChannelState.OK || !running(ch.device)) {
                continue;
            }
            long limit = Math.max(STALE_INTERVALS * ch.intervalNanos, 2_000_000_000L);
            long silent = nowNanos - ch.lastSampleNanos;
            if (silent > limit) {
                setState(ch, ChannelState.STALE, "no sample for " + silent / 1_000_000_000L + " s (expected every "
                        + io.sensorcast.config.Values.format(Duration.ofNanos(ch.intervalNanos)) + ")");
            }
        }
    }

    private final Set<String> onDemandDevices = new HashSet<>();

    /** Marks a device as started by demand: it is only expected to sample while watched. */
    public void markOnDemand(String device) {
        owner.check();
        onDemandDevices.add(device);
    }

    private boolean running(String device) {
        return !onDemandDevices.contains(device) || demand.getOrDefault(device, 0) > 0;
    }

    /**
     * A monitor connected: it gets the hello (every channel with its state and latest sample) and
     * watches every channel until it subscribes to fewer.
     */
    public void addMonitor(Subscriber monitor) {
        owner.check();
        monitor.send(StreamFrames.pushed(MonitorMessages.hello(device, version, board, channels.values())));
        monitors.put(monitor, new LinkedHashSet<>());
        subscribe(monitor, null);
        for (Observer o : observers) {
            observe(() -> o.onMonitor(monitor));
        }
    }

    /** Queues {@code frame} to every monitor, whatever it watches (an alert). Loop thread. */
    public void broadcast(OutboundFrame frame) {
        owner.check();
        for (Subscriber w : monitors.keySet()) {
            w.send(frame);
        }
    }

    /**
     * Replaces what {@code monitor} watches with {@code ids} (null: every channel). Returns the ids
     * that are not channels (they are ignored).
     */
    public List<String> subscribe(Subscriber monitor, Collection<String> ids) {
        owner.check();
        Set<String> current = monitors.get(monitor);
        if (current == null) {
            throw new IllegalArgumentException("not a monitor of this hub");
        }
        if (ids == null) {
            watchAll.add(monitor);
        } else {
            watchAll.remove(monitor);
        }
        Set<String> wanted = new LinkedHashSet<>();
        List<String> unknown = new ArrayList<>();
        for (String id : ids == null ? channels.keySet() : ids) {
            if (channels.containsKey(id)) {
                wanted.add(id);
            } else {
                unknown.add(id);
            }
        }
        // Add before removing, so a device kept by both sets never sees its demand touch zero.
        for (String id : wanted) {
            if (!current.contains(id)) {
                watch(channels.get(id), monitor, +1);
            }
        }
        for (String id : current) {
            if (!wanted.contains(id)) {
                watch(channels.get(id), monitor, -1);
            }
        }
        current.clear();
        current.addAll(wanted);
        return unknown;
    }

    /** The channel ids a monitor watches, in channel order. */
    public Set<String> subscriptions(Subscriber monitor) {
        owner.check();
        Set<String> s = monitors.get(monitor);
        return s == null ? Set.of() : Collections.unmodifiableSet(s);
    }

    public void removeMonitor(Subscriber monitor) {
        owner.check();
        Set<String> current = monitors.remove(monitor);
        watchAll.remove(monitor);
        if (current != null) {
            for (String id : current) {
                watch(channels.get(id), monitor, -1);
            }
        }
    }

    private void watch(Channel ch, Subscriber monitor, int delta) {
        if (delta > 0) {
            ch.watchers.add(monitor);
        } else {
            ch.watchers.remove(monitor);
        }
        int before = demand.getOrDefault(ch.device, 0);
        int after = before + delta;
        if (after == 0) {
            demand.remove(ch.device);
        } else {
            demand.put(ch.device, after);
        }
        if ((before == 0) != (after == 0)) {
            if (after > 0) {
                // The device starts now: its silence while nobody watched is not staleness.
                long now = System.nanoTime();
                for (Channel c : channels.values()) {
                    if (c.device.equals(ch.device)) {
                        c.lastSampleNanos = now;
                    }
                }
            }
            demandListener.demandChanged(ch.device, after > 0);
        }
    }

    /**
     * The monitors connected now, in the order they joined: a snapshot, for inspecting one
     * monitor's connection (its backlog, its drops) on the loop thread.
     */
    public List<Subscriber> monitors() {
        owner.check();
        return List.copyOf(monitors.keySet());
    }

    public int monitorCount() {
        owner.check();
        return monitors.size();
    }

    public Collection<Channel> channels() {
        owner.check();
        return Collections.unmodifiableCollection(channels.values());
    }

    public Channel channel(String id) {
        owner.check();
        return channels.get(id);
    }

    public Map<ChannelState, Integer> countByState() {
        owner.check();
        Map<ChannelState, Integer> counts = new EnumMap<>(ChannelState.class);
        for (ChannelState s : ChannelState.values()) {
            counts.put(s, 0);
        }
        for (Channel c : channels.values()) {
            counts.merge(c.state, 1, Integer::sum);
        }
        return counts;
    }

    /** Sample frames queued to monitors, counted once per monitor. */
    public long framesQueued() {
        owner.check();
        return framesQueued;
    }

    public String device() {
        return device;
    }

    public String version() {
        return version;
    }

}

package io.sensorcast.hub;

import io.sensorcast.loop.OutboundFrame;
import io.sensorcast.loop.OwnerThread;
import io.sensorcast.ws.FrameEncoder;
import io.sensorcast.ws.WebSocket;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
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
 * <p>Fan-out: a sample is encoded into a WebSocket frame once, and the same immutable bytes are
 * queued to every monitor (DESIGN.md rule 3); what each monitor costs per sample is one queue slot.
 */
public final class Hub implements Consumer<Object> {

    private static final TaggedLogger LOG = Logger.tag("hub");

    /** Loop-side state of one channel. */
    public static final class Channel {
        private final ChannelInfo info;
        private ChannelState state = ChannelState.OK;
        private String message = "";
        private Sample latest;
        private long samples;

        Channel(ChannelInfo info) {
            this.info = info;
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

    private final OwnerThread owner;
    private final String device;
    private final String version;
    private final Map<String, Channel> channels = new LinkedHashMap<>();
    private final List<WebSocket> monitors = new ArrayList<>();
    private final StringBuilder scratch = new StringBuilder(160);
    private long framesQueued;
    private long rejectedSamples;

    public Hub(OwnerThread owner, String device, String version) {
        this.owner = owner;
        this.device = device;
        this.version = version;
    }

    /** The loop's message handler: samples and status changes posted by sensor threads. */
    @Override
    public void accept(Object message) {
        if (message instanceof Sample s) {
            onSample(s);
        } else if (message instanceof StatusChange c) {
            onStatus(c);
        } else {
            throw new IllegalArgumentException("the hub takes samples and status changes, not " + message.getClass().getName());
        }
    }

    /** Adds a channel (before its first sample). Registering an id twice is a bug of the caller. */
    public void register(ChannelInfo info) {
        owner.check();
        if (channels.putIfAbsent(info.id(), new Channel(info)) != null) {
            throw new IllegalArgumentException("channel " + info.id() + " is registered twice");
        }
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
        if (monitors.isEmpty()) {
            return;
        }
        OutboundFrame frame = OutboundFrame.sample(FrameEncoder.asciiText(MonitorMessages.sample(scratch, s)));
        for (int i = 0, n = monitors.size(); i < n; i++) {
            monitors.get(i).send(frame);
        }
        framesQueued += monitors.size();
    }

    public void onStatus(StatusChange change) {
        owner.check();
        Channel ch = channels.get(change.channel());
        if (ch == null) {
            LOG.warn("status for unknown channel {} ignored", change.channel());
            return;
        }
        if (ch.state == change.state() && ch.message.equals(change.message())) {
            return;
        }
        ch.state = change.state();
        ch.message = change.message();
        broadcast(OutboundFrame.control(FrameEncoder.text(MonitorMessages.status(change))));
    }

    /** A monitor connected: it gets the hello (with every channel's latest sample), then live samples. */
    public void addMonitor(WebSocket monitor) {
        owner.check();
        monitor.send(OutboundFrame.control(FrameEncoder.text(MonitorMessages.hello(device, version, channels.values()))));
        monitors.add(monitor);
    }

    public void removeMonitor(WebSocket monitor) {
        owner.check();
        monitors.remove(monitor);
    }

    /**
     * The monitors connected now, in the order they joined: a read-only view, for inspecting one
     * monitor's connection (its backlog, its drops) on the loop thread.
     */
    public List<WebSocket> monitors() {
        owner.check();
        return Collections.unmodifiableList(monitors);
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

    private void broadcast(OutboundFrame frame) {
        for (int i = 0, n = monitors.size(); i < n; i++) {
            monitors.get(i).send(frame);
        }
    }
}

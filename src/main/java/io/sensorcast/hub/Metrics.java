package io.sensorcast.hub;

import io.sensorcast.loop.EventLoop;
import io.sensorcast.loop.LoopStats;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;

/**
 * {@code GET /metrics}: the loop's and the hub's counters in the Prometheus text exposition
 * format 0.0.4. Built on the loop thread from loop-owned counters (no locks); its size is bounded
 * by the number of channels and devices. The JVM figures come from {@code java.lang.management}.
 *
 * <p>Names follow Prometheus conventions: a {@code sensorcast_} prefix, the unit in the name,
 * {@code _total} on counters. A channel's state is a "state set": one series per state, 1 for
 * the current one and 0 for the others.
 */
public final class Metrics {

    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final EventLoop loop;
    private final Hub hub;
    private final String version;
    private final long startedNanos;
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
    /** HotSpot's "Metaspace" pool (class metadata, outside the heap), or null on a JVM without one. */
    private final MemoryPoolMXBean metaspace = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.NON_HEAP && p.getName().equals("Metaspace")).findFirst().orElse(null);
    private final String[] bucketBounds;

    public Metrics(EventLoop loop, Hub hub, String version, long startedNanos) {
        this.loop = loop;
        this.hub = hub;
        this.version = version;
        this.startedNanos = startedNanos;
        long[] bounds = LoopStats.iterationBucketBoundsNanos();
        bucketBounds = new String[bounds.length];
        for (int i = 0; i < bounds.length; i++) {
            bucketBounds[i] = seconds(bounds[i]);
        }
    }

    /** The exposition text. Loop thread only (the loop's and hub's getters check it). */
    public String render() {
        StringBuilder b = new StringBuilder(4096);

        head(b, "sensorcast_build_info", "gauge", "Always 1; the version is a label.");
        b.append("sensorcast_build_info{version=\"");
        escapeLabel(b, version);
        b.append("\"} 1\n");
        gauge(b, "sensorcast_uptime_seconds", "Seconds since the service started.",
                (System.nanoTime() - startedNanos) / 1e9);

        gauge(b, "sensorcast_monitors_connected", "Monitors (WebSocket clients of /ws) connected now.", hub.monitorCount());
        gauge(b, "sensorcast_connections_open", "Open TCP connections (HTTP and WebSocket).", loop.connectionCount());
        counter(b, "sensorcast_connections_accepted_total", "TCP connections accepted since start.",
                loop.stats().acceptedConnections());
        counter(b, "sensorcast_connections_rejected_total", "TCP connections closed at once for being over the connection limit.",
                loop.stats().rejectedConnections());
        counter(b, "sensorcast_sample_frames_queued_total", "Sample frames queued to monitors, once per monitor.",
                hub.framesQueued());
        counter(b, "sensorcast_sample_frames_sent_total", "Sample frames fully written to a monitor's socket.",
                loop.stats().sampleFramesSent());
        counter(b, "sensorcast_sample_frames_dropped_total", "Sample frames dropped because a monitor read too slowly.",
                loop.stats().droppedFrames());
        counter(b, "sensorcast_state_frames_replaced_total",
                "Status and channel-list frames replaced, unsent, by a newer one of the same channel (or list) for a slow monitor.",
                loop.stats().replacedFrames());
        counter(b, "sensorcast_sent_bytes_total", "Bytes written to sockets (HTTP and WebSocket).", loop.stats().bytesOut());
        gauge(b, "sensorcast_inbox_depth", "Messages from sensor threads waiting for the loop.",
                loop.wakeupChannel().depth());
        gauge(b, "sensorcast_inbox_capacity", "Messages the loop's inbox holds before it refuses samples.",
                loop.wakeupChannel().capacity());
        counter(b, "sensorcast_inbox_refused_total", "Samples refused because the loop's inbox was full.",
                loop.wakeupChannel().refused());
        counter(b, "sensorcast_samples_rejected_total", "Samples the hub refused (unknown channel or a value that is not finite).",
                hub.rejectedSamples());

        String h = "sensorcast_loop_iteration_seconds";
        head(b, h, "histogram", "Work time of one event-loop iteration (the wait in select excluded).");
        long cumulative = 0;
        for (int i = 0; i < bucketBounds.length; i++) {
            cumulative += loop.stats().iterationBucket(i);
            b.append(h).append("_bucket{le=\"").append(bucketBounds[i]).append("\"} ").append(cumulative).append('\n');
        }
        cumulative += loop.stats().iterationBucket(bucketBounds.length);
        b.append(h).append("_bucket{le=\"+Inf\"} ").append(cumulative).append('\n');
        b.append(h).append("_sum ").append(seconds(loop.stats().iterationNanosSum())).append('\n');
        b.append(h).append("_count ").append(cumulative).append('\n');

        head(b, "sensorcast_channel_value", "gauge", "The latest sample of a channel (absent before its first).");
        for (Hub.Channel ch : hub.channels()) {
            Sample s = ch.latest();
            if (s != null) {
                b.append("sensorcast_channel_value{channel=\"");
                escapeLabel(b, ch.info().id());
                b.append("\",unit=\"");
                escapeLabel(b, ch.info().unit());
                b.append("\"} ");
                number(b, s.value());
                b.append('\n');
            }
        }
        head(b, "sensorcast_channel_state", "gauge", "1 for a channel's current state (ok, stale, error), 0 for the others.");
        for (Hub.Channel ch : hub.channels()) {
            for (ChannelState st : ChannelState.values()) {
                b.append("sensorcast_channel_state{channel=\"");
                escapeLabel(b, ch.info().id());
                b.append("\",state=\"").append(st.wireName()).append("\"} ").append(ch.state() == st ? 1 : 0).append('\n');
            }
        }
        head(b, "sensorcast_channel_samples_total", "counter", "Samples received for a channel since start.");
        for (Hub.Channel ch : hub.channels()) {
            b.append("sensorcast_channel_samples_total{channel=\"");
            escapeLabel(b, ch.info().id());
            b.append("\"} ").append(ch.samplesTotal()).append('\n');
        }
        head(b, "sensorcast_sensor_errors_total", "counter", "Times a device went into error (a new message while in error does not count).");
        hub.sensorErrors((device, n) -> {
            b.append("sensorcast_sensor_errors_total{device=\"");
            escapeLabel(b, device);
            b.append("\"} ").append(n).append('\n');
        });

        MemoryUsage heap = memory.getHeapMemoryUsage();
        gauge(b, "sensorcast_jvm_heap_used_bytes", "JVM heap in use.", heap.getUsed());
        gauge(b, "sensorcast_jvm_heap_committed_bytes", "JVM heap committed by the operating system.", heap.getCommitted());
        gauge(b, "sensorcast_jvm_heap_max_bytes", "The JVM heap's limit (-Xmx); -1 if undefined.", heap.getMax());
        if (metaspace != null) {
            MemoryUsage meta = metaspace.getUsage();
            gauge(b, "sensorcast_jvm_metaspace_used_bytes", "JVM metaspace (class metadata, outside the heap) in use.", meta.getUsed());
            gauge(b, "sensorcast_jvm_metaspace_committed_bytes", "JVM metaspace committed by the operating system.",
                    meta.getCommitted());
        }
        head(b, "sensorcast_jvm_gc_collections_total", "counter", "Garbage collections, per collector.");
        for (GarbageCollectorMXBean gc : collectors) {
            b.append("sensorcast_jvm_gc_collections_total{gc=\"");
            escapeLabel(b, gc.getName());
            b.append("\"} ").append(Math.max(0, gc.getCollectionCount())).append('\n');
        }
        head(b, "sensorcast_jvm_gc_collection_seconds_total", "counter", "Time spent in garbage collections, per collector.");
        for (GarbageCollectorMXBean gc : collectors) {
            b.append("sensorcast_jvm_gc_collection_seconds_total{gc=\"");
            escapeLabel(b, gc.getName());
            b.append("\"} ");
            number(b, Math.max(0, gc.getCollectionTime()) / 1000.0);
            b.append('\n');
        }
        java.util.function.Consumer<StringBuilder> more = extra;
        if (more != null) {
            more.accept(b);
        }
        return b.toString();
    }

    private volatile java.util.function.Consumer<StringBuilder> extra;

    /** More families, appended by another part of the server (the MQTT client's): loop thread, at each render. */
    public void setExtra(java.util.function.Consumer<StringBuilder> more) {
        this.extra = more;
    }

    /** A gauge family of one sample, for {@link #setExtra}. */
    public static void appendGauge(StringBuilder b, String name, String help, long value) {
        gauge(b, name, help, value);
    }

    /** A counter family of one sample, for {@link #setExtra}. */
    public static void appendCounter(StringBuilder b, String name, String help, long value) {
        counter(b, name, help, value);
    }

    private static void head(StringBuilder b, String name, String type, String help) {
        b.append("# HELP ").append(name).append(' ');
        escapeHelp(b, help);
        b.append("\n# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void gauge(StringBuilder b, String name, String help, double value) {
        head(b, name, "gauge", help);
        b.append(name).append(' ');
        number(b, value);
        b.append('\n');
    }

    private static void gauge(StringBuilder b, String name, String help, long value) {
        head(b, name, "gauge", help);
        b.append(name).append(' ').append(value).append('\n');
    }

    private static void counter(StringBuilder b, String name, String help, long value) {
        head(b, name, "counter", help);
        b.append(name).append(' ').append(value).append('\n');
    }

    /** A sample value as the format spells it: NaN, +Inf, -Inf, or Java's decimal (Go parses it). */
    static void number(StringBuilder b, double v) {
        if (Double.isNaN(v)) {
            b.append("NaN");
        } else if (Double.isInfinite(v)) {
            b.append(v > 0 ? "+Inf" : "-Inf");
        } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            b.append((long) v);
        } else {
            b.append(v);
        }
    }

    private static String seconds(long nanos) {
        return java.math.BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString();
    }

    /** Label values: backslash, double quote and line feed escaped. */
    static void escapeLabel(StringBuilder b, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                case '\n' -> b.append("\\n");
                default -> b.append(c);
            }
        }
    }

    /** HELP text: backslash and line feed escaped. */
    private static void escapeHelp(StringBuilder b, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> b.append(c);
            }
        }
    }
}

package io.sensorcast.history;

import io.sensorcast.hub.ChannelHistory;
import io.sensorcast.hub.Hub;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * History on disk, put together for the service: where it lives, reading it back at start into
 * channel histories, the writer the hub hands finished minutes to, and the raw hour at a clean stop.
 */
public final class HistoryStore {

    private static final TaggedLogger LOG = Logger.tag("history");

    private final HistoryDirectory dir;
    private final HistoryWriter writer;
    private final int aggregateCapacity;
    private final long oldestMinute;

    private HistoryStore(HistoryDirectory dir, HistoryWriter writer, int aggregateCapacity, long oldestMinute) {
        this.dir = dir;
        this.writer = writer;
        this.aggregateCapacity = aggregateCapacity;
        this.oldestMinute = oldestMinute;
    }

    /**
     * The directory history.dir names when the configuration does not: systemd's state directory
     * ({@code StateDirectory=sensorcast} sets STATE_DIRECTORY), else the user's state directory
     * ($XDG_STATE_HOME, else ~/.local/state); null when neither is known.
     */
    public static Path defaultDir(Map<String, String> env) {
        String state = env.get("STATE_DIRECTORY");
        if (state != null && !state.isBlank()) {
            Path first = Path.of(state.split(":")[0]);
            if (first.isAbsolute()) {
                return first.resolve("history");
            }
        }
        String xdg = env.get("XDG_STATE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "sensorcast", "history");
        }
        String home = env.get("HOME");
        if (home != null && !home.isBlank() && Path.of(home).isAbsolute()) {
            return Path.of(home, ".local", "state", "sensorcast", "history");
        }
        return null;
    }

    /**
     * Opens the directory and reads it back into {@code stored}: the configured channels' own
     * (empty) histories, filled in place so that 200 channels' 7 days are not held twice; a channel
     * that is not configured gets a new history with a raw ring of one point (the hub keeps it for
     * when the channel returns). Null, with one log line saying why, when history is to stay in
     * memory: no directory, or one that cannot be made or written.
     */
    public static HistoryStore open(Path path, Duration flushInterval, Duration aggregateWindow, long nowMillis,
                                    Map<String, ChannelHistory> stored) {
        if (path == null) {
            LOG.warn("history: no state directory (STATE_DIRECTORY, XDG_STATE_HOME and HOME are unset); "
                    + "history is kept in memory only and lost at a restart (set history.dir)");
            return null;
        }
        try {
            Files.createDirectories(path);
            if (!Files.isWritable(path)) {
                throw new IOException("not writable by this user");
            }
        } catch (IOException | SecurityException e) {
            LOG.warn("history: cannot use {} ({}); history is kept in memory only and lost at a restart (set history.dir)",
                    path, e.getMessage());
            return null;
        }
        int capacity = Hub.aggregateCapacity(aggregateWindow);
        long oldest = Math.floorDiv(nowMillis - aggregateWindow.toMillis(), 60_000L);
        HistoryDirectory dir = new HistoryDirectory(path, LOG::warn);
        HistoryStore store = new HistoryStore(dir,
                new HistoryWriter(dir, flushInterval, aggregateWindow, HistoryWriter.DEFAULT_CAPACITY, System::currentTimeMillis),
                capacity, oldest);
        long t0 = System.nanoTime();
        int[] minutes = new int[1];
        boolean[] raw = new boolean[1];
        try {
            HistoryDirectory.Loaded loaded = dir.load(new SegmentFormat.Sink() {
                /** A block's entry hands the same id for each of its minutes: one map look-up per entry. */
                private String lastId;
                private ChannelHistory last;

                @Override
                public void minute(String channel, int minute, float min, float avg, float max, int count) {
                    if (minute < store.oldestMinute) {
                        return; // aged out; its segment goes at the next flush
                    }
                    if (channel != lastId) {
                        lastId = channel;
                        last = stored.computeIfAbsent(channel, k -> new ChannelHistory(1, store.aggregateCapacity));
                    }
                    if (last.restoreMinute(minute, min, avg, max, count)) {
                        minutes[0]++;
                    }
                }

                @Override
                public void raw(String channel, long epochMicros, float value) {
                    // The raw hour comes after every segment: the minutes are in, so the minute
                    // that was filling at the stop is made again from its points.
                    ChannelHistory h = stored.get(channel);
                    if (h != null && h.rawCapacity() > 1) {
                        h.restoreRaw(epochMicros, value);
                        raw[0] = true;
                    }
                }
            });
            LOG.info("history: {} minutes of {} channels read back from {} ({} segments{}{}) in {} ms", minutes[0],
                    stored.size(), path, loaded.files(),
                    raw[0] ? ", the raw hour of the last stop" : "",
                    loaded.damaged() > 0 ? ", " + loaded.damaged() + " damaged stretches skipped" : "",
                    (System.nanoTime() - t0) / 1_000_000);
        } catch (IOException e) {
            LOG.error("history: cannot read {} ({}); going on with what was read", path, e.getMessage());
        }
        return store;
    }

    /** The hub's minute listener: loop thread, never blocks. */
    public void minuteFinished(String channel, ChannelHistory h) {
        writer.offer(new SegmentFormat.Minute(channel, h.newestMinute(), h.newestMin(), h.newestAvg(), h.newestMax(),
                h.newestCount()));
    }

    /**
     * A clean stop: the last flush, then the raw hour of {@code histories} (null: none), read in
     * place from the rings: call it once the loop has ended, so nothing changes them meanwhile, and
     * 200 channels' hour (8.6 MB) is never copied.
     */
    public void stop(Map<String, ChannelHistory> histories) throws InterruptedException {
        List<SegmentFormat.RawSource> raw = new ArrayList<>();
        if (histories != null) {
            histories.forEach((id, h) -> {
                if (h.rawSize() > 0) {
                    raw.add(new SegmentFormat.RawSource() {
                        @Override
                        public String channel() {
                            return id;
                        }

                        @Override
                        public int size() {
                            return h.rawSize();
                        }

                        @Override
                        public long time(int i) {
                            return h.rawTimeAt(i);
                        }

                        @Override
                        public float value(int i) {
                            return h.rawValueAt(i);
                        }
                    });
                }
            });
        }
        writer.stop(raw, Duration.ofSeconds(10));
    }

    public Path path() {
        return dir.path();
    }

    public HistoryWriter writer() {
        return writer;
    }

    /** The history families of /metrics. */
    public void metrics(StringBuilder b) {
        io.sensorcast.hub.Metrics.appendCounter(b, "sensorcast_history_bytes_written_total",
                "Bytes sensorcast wrote to history files (segments and the raw hour).", writer.bytesWritten());
        io.sensorcast.hub.Metrics.appendCounter(b, "sensorcast_history_flushes_total",
                "Blocks of finished minutes appended to disk (one write and one fdatasync each).", writer.flushes());
        io.sensorcast.hub.Metrics.appendCounter(b, "sensorcast_history_records_skipped_total",
                "Damaged stretches of history files skipped or cut off at start (a stop in the middle of a write).",
                dir.recordsSkipped());
        io.sensorcast.hub.Metrics.appendCounter(b, "sensorcast_history_minutes_dropped_total",
                "Finished minutes that found the writer's hand-over full, or whose write failed, and were not stored.",
                writer.dropped());
        io.sensorcast.hub.Metrics.appendGauge(b, "sensorcast_history_dir_bytes",
                "Bytes of the files in the history directory, after the last flush.", writer.dirBytes());
    }
}

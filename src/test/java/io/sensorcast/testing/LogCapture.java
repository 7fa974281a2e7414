package io.sensorcast.testing;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.tinylog.core.LogEntry;
import org.tinylog.core.LogEntryValue;
import org.tinylog.writers.Writer;

/**
 * A second tinylog writer, for tests only: surefire's {@code tinylog.writer2} system property names
 * it (see pom.xml), so the product's tinylog.properties and writer stay as shipped. It keeps the
 * last lines, "LEVEL [tag] message", in memory for tests that assert what the log said, and how
 * often. Tests run one at a time in the fork; a test reads only lines logged after its own mark.
 */
public final class LogCapture implements Writer {

    private static final int KEEP = 20_000;
    private static final ArrayDeque<String> LINES = new ArrayDeque<>();
    private static long written;

    /** What tinylog calls, with the writer's properties. */
    public LogCapture(Map<String, String> properties) {
        // nothing to configure
    }

    /** Where the log is now: pass it to {@link #since}. */
    public static synchronized long mark() {
        return written;
    }

    /** Lines logged after {@code mark} (as many as are still kept). */
    public static synchronized List<String> since(long mark) {
        int n = (int) Math.min(LINES.size(), written - mark);
        List<String> all = new ArrayList<>(LINES);
        return all.subList(all.size() - n, all.size());
    }

    /** How many lines logged after {@code mark} contain {@code text}. */
    public static long count(long mark, String text) {
        return since(mark).stream().filter(l -> l.contains(text)).count();
    }

    /** True once tinylog has created this writer: a test that asserts on the log checks it first. */
    public static synchronized boolean installed() {
        return installed;
    }

    private static boolean installed;

    {
        synchronized (LogCapture.class) {
            installed = true;
        }
    }

    @Override
    public Collection<LogEntryValue> getRequiredLogEntryValues() {
        return EnumSet.of(LogEntryValue.LEVEL, LogEntryValue.TAG, LogEntryValue.MESSAGE, LogEntryValue.EXCEPTION);
    }

    @Override
    public void write(LogEntry entry) {
        String line = entry.getLevel() + " [" + entry.getTag() + "] " + entry.getMessage()
                + (entry.getException() != null ? " " + entry.getException() : "");
        synchronized (LogCapture.class) {
            if (LINES.size() == KEEP) {
                LINES.removeFirst();
            }
            LINES.addLast(line);
            written++;
        }
    }

    @Override
    public void flush() {
        // in memory: nothing to flush
    }

    @Override
    public void close() {
        // nothing to release
    }
}

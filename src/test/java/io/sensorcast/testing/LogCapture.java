package io.sensorcast.testing;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
    private static volatile Gate gate;

    /**
     * Makes the next line that contains {@code text} stop inside this writer until the gate is
     * closed (try-with-resources), as a write into a stalled journal would: its thread stays in
     * the logging call, holding whatever it holds. Other lines pass.
     */
    public static Gate hold(String text) {
        Gate g = new Gate(text);
        gate = g;
        return g;
    }

    /** One held line: see {@link #hold}. */
    public static final class Gate implements AutoCloseable {
        private final String text;
        private final CountDownLatch held = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private volatile Thread holder;

        private Gate(String text) {
            this.text = text;
        }

        /** Waits until a thread is stuck in the line; false if none came within the time. */
        public boolean awaitHeld(long time, TimeUnit unit) throws InterruptedException {
            return held.await(time, unit);
        }

        /** The thread stuck in the line, or null. */
        public Thread holder() {
            return holder;
        }

        private void stop(String line) {
            synchronized (this) {
                if (!line.contains(text) || holder != null) {
                    return;
                }
                holder = Thread.currentThread();
            }
            held.countDown();
            boolean interrupted = false;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); // never forever
            while (released.getCount() > 0 && deadline - System.nanoTime() > 0) {
                try {
                    released.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true; // a blocked write does not end on an interrupt either
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        /** Lets the held line through, and lines after it. */
        @Override
        public void close() {
            if (gate == this) {
                gate = null;
            }
            released.countDown();
        }
    }

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
        Gate g = gate;
        if (g != null) {
            g.stop(line);
        }
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

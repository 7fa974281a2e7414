package io.sensorcast.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.tinylog.Level;
import org.tinylog.core.LogEntry;
import org.tinylog.core.LogEntryValue;
import org.tinylog.writers.Writer;

/**
 * The tinylog writer of the service ({@code writer = journal} in tinylog.properties): one line per
 * record on standard output, {@code LEVEL: [tag] message}, with no timestamp (journald adds its
 * own).
 *
 * <p>Under systemd, when the environment has {@code JOURNAL_STREAM} (systemd sets it for a
 * service whose standard output is the journal), each line starts with the syslog priority in
 * angle brackets, which journald reads and strips ({@code SyslogLevelPrefix=yes}, its default):
 * ERROR {@code <3>}, WARN {@code <4>}, INFO {@code <6>}, DEBUG and TRACE {@code <7>}. So
 * {@code journalctl -u sensorcast -p warning} shows warnings and errors. In a terminal the
 * prefix would be noise, and is left out.
 *
 * <p>Records of sensorcast carry a tag per subsystem (loop, http, ws, hub, sensor, config, main);
 * the only untagged records are Pi4J's, which arrive through slf4j-tinylog, and get the tag
 * {@code pi4j}. (Telling them apart by class name would cost a stack walk per record.)
 *
 * <p>A stack trace, or a message of several lines, follows on indented lines that carry the same
 * priority prefix, so that a {@code -p err} query shows the whole trace and not only its first line
 * (journald makes each line its own entry).
 *
 * <p>Logging never waits for the journal: a record is rendered on the caller's thread and handed
 * to one writer thread (started with the first record, never two) through a bounded queue. When
 * standard output stalls (journald busy or stuck), the loop and the sensor threads go on; records
 * past the queue are dropped, counted, and said in one line once output flows again.
 */
public final class JournalWriter implements Writer {

    /** Records waiting for the writer thread: what a stalled journal may cost (lines are short). */
    static final int QUEUE_RECORDS = 2048;
    /** How long close() waits for queued records to go out (a stalled journal must not stop an exit). */
    private static final long CLOSE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final PrintStream out;
    private final boolean journal;
    private final ArrayBlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUE_RECORDS);
    private final AtomicLong dropped = new AtomicLong();
    /** Records accepted and not yet printed. */
    private final AtomicLong pending = new AtomicLong();
    private volatile Thread writer;

    /** What tinylog calls, with the writer's properties (level, …; a format is not used). */
    public JournalWriter(Map<String, String> properties) {
        this(System.getenv(), System.out);
    }

    /** @param env the environment: {@code JOURNAL_STREAM} set and not blank means the journal */
    JournalWriter(Map<String, String> env, PrintStream out) {
        String stream = env.get("JOURNAL_STREAM");
        this.journal = stream != null && !stream.isBlank();
        this.out = out;
    }

    @Override
    public java.util.Collection<LogEntryValue> getRequiredLogEntryValues() {
        return EnumSet.of(LogEntryValue.LEVEL, LogEntryValue.TAG, LogEntryValue.MESSAGE, LogEntryValue.EXCEPTION);
    }

    /** Any thread; never blocks on the output. */
    @Override
    public void write(LogEntry entry) {
        String text = render(entry.getLevel(), entry.getTag(), entry.getMessage(), entry.getException());
        pending.incrementAndGet();
        if (!queue.offer(text)) {
            pending.decrementAndGet();
            dropped.incrementAndGet();
            return;
        }
        if (writer == null) {
            startWriter();
        }
    }

    private synchronized void startWriter() {
        if (writer == null) {
            Thread t = new Thread(this::printQueued, "sensorcast-log");
            t.setDaemon(true);
            writer = t;
            t.start();
        }
    }

    /** The writer thread: prints records in the order they came, and what was dropped meanwhile. */
    private void printQueued() {
        try {
            while (true) {
                String text = queue.take();
                long lost = dropped.getAndSet(0);
                if (lost > 0) {
                    out.print(render(Level.WARN, "main", lost + " log records dropped: standard output (the journal) "
                            + "did not take them in time", null));
                }
                out.print(text);
                if (queue.isEmpty()) {
                    out.flush();
                }
                pending.decrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Records dropped since the last report of them (tests). */
    long dropped() {
        return dropped.get();
    }

    /** The record's line or lines, each ending in a line feed. */
    String render(Level level, String tag, String message, Throwable exception) {
        String prefix = journal ? "<" + priority(level) + ">" : "";
        StringBuilder b = new StringBuilder(128);
        b.append(prefix).append(level == null ? "INFO" : level.name()).append(": [")
                .append(tag == null || tag.isEmpty() ? "pi4j" : tag).append("] ");
        String body = message == null ? "" : message;
        if (exception != null) {
            StringWriter trace = new StringWriter();
            exception.printStackTrace(new PrintWriter(trace));
            String t = trace.toString().stripTrailing();
            body = body.isEmpty() ? t : body + "\n" + t;
        }
        String[] lines = body.split("\r?\n", -1);
        b.append(lines[0]).append('\n');
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i].replace("\t", "    ");
            b.append(prefix).append("    ").append(line.strip().isEmpty() ? "" : line).append('\n');
        }
        return b.toString();
    }

    /** The syslog priority journald reads: err 3, warning 4, info 6, debug 7. */
    static int priority(Level level) {
        if (level == null) {
            return 6;
        }
        return switch (level) {
            case ERROR -> 3;
            case WARN -> 4;
            case INFO -> 6;
            default -> 7;
        };
    }

    /** Waits, two seconds at most, until every queued record is out. */
    @Override
    public void flush() {
        long deadline = System.nanoTime() + CLOSE_WAIT_NANOS;
        while (pending.get() > 0 && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        out.flush();
    }

    /** Prints what is queued (two seconds at most), then ends the writer thread. */
    @Override
    public void close() {
        flush();
        Thread t = writer;
        if (t != null) {
            t.interrupt();
        }
    }
}

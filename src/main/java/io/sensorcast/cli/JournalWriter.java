package io.sensorcast.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.EnumSet;
import java.util.Map;
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
 */
public final class JournalWriter implements Writer {

    private final PrintStream out;
    private final boolean journal;

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

    @Override
    public void write(LogEntry entry) {
        String text = render(entry.getLevel(), entry.getTag(), entry.getMessage(), entry.getException());
        synchronized (out) {
            out.print(text);
            out.flush();
        }
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

    @Override
    public void flush() {
        out.flush();
    }

    @Override
    public void close() {
        out.flush();
    }
}

package io.sensorcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tinylog.Level;
import org.tinylog.configuration.ServiceLoader;
import org.tinylog.core.LogEntry;
import org.tinylog.writers.Writer;

/** The log lines journald reads: a syslog priority only under systemd, a tag, one record per line. */
class JournalWriterTest {

    private static final Map<String, String> SYSTEMD = Map.of("JOURNAL_STREAM", "8:123456");
    private static final Map<String, String> TERMINAL = Map.of("TERM", "xterm");

    private static String write(Map<String, String> env, Level level, String tag, String message, Throwable e) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        JournalWriter w = new JournalWriter(env, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        w.write(new LogEntry(null, Thread.currentThread(), Map.of(), null, null, null, -1, tag, level, message, e));
        w.close();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "ERROR, <3>",
        "WARN,  <4>",
        "INFO,  <6>",
        "DEBUG, <7>",
        "TRACE, <7>",
    })
    void underSystemdEachLevelHasItsSyslogPriority(Level level, String prefix) throws Exception {
        assertEquals(prefix + level + ": [sensor] bme280: bus busy\n",
                write(SYSTEMD, level, "sensor", "bme280: bus busy", null));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"ERROR", "WARN", "INFO", "DEBUG", "TRACE"})
    void inATerminalThereIsNoPrefix(Level level) throws Exception {
        assertEquals(level + ": [loop] started\n", write(TERMINAL, level, "loop", "started", null));
    }

    @Test
    void aBlankJournalStreamIsNotTheJournal() throws Exception {
        assertEquals("INFO: [main] x\n", write(Map.of("JOURNAL_STREAM", " "), Level.INFO, "main", "x", null));
    }

    @Test
    void untaggedRecordsArePi4js() throws Exception {
        assertEquals("<4>WARN: [pi4j] no I2C provider\n", write(SYSTEMD, Level.WARN, null, "no I2C provider", null));
    }

    @Test
    void aStackTraceStaysWithItsRecordAtItsPriority() throws Exception {
        Exception e = new IllegalStateException("boom", new java.io.IOException("cause"));
        String out = write(SYSTEMD, Level.ERROR, "loop", "timer task failed", e);
        String[] lines = out.split("\n");
        assertEquals("<3>ERROR: [loop] timer task failed", lines[0]);
        assertEquals("<3>    java.lang.IllegalStateException: boom", lines[1]);
        assertTrue(lines.length > 3, out);
        for (int i = 1; i < lines.length; i++) {
            assertTrue(lines[i].startsWith("<3>    "), "every line of the trace has the priority and an indent: " + lines[i]);
            assertTrue(!lines[i].contains("\t"), "no tabs: " + lines[i]);
        }
        assertTrue(out.contains("<3>    Caused by: java.io.IOException: cause\n"), out);
        assertTrue(out.endsWith("\n"));

        String plain = write(TERMINAL, Level.ERROR, "loop", "timer task failed", e);
        assertTrue(plain.startsWith("ERROR: [loop] timer task failed\n    java.lang.IllegalStateException: boom\n"), plain);
        assertTrue(!plain.contains("<3>"), plain);
    }

    @Test
    void aMessageOfSeveralLinesIsIndentedWithThePrefix() throws Exception {
        assertEquals("<4>WARN: [config] two\n<4>    lines\n", write(SYSTEMD, Level.WARN, "config", "two\nlines", null));
    }

    @Test
    void tinylogPropertiesUseTheJournalWriterAndTinylogFindsIt() throws Exception {
        Properties p = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/tinylog.properties")) {
            p.load(in);
        }
        assertEquals("journal", p.getProperty("writer"));
        Writer w = new ServiceLoader<>(Writer.class, Map.class).create("journal", Map.of("level", "info"));
        assertInstanceOf(JournalWriter.class, w);
    }
}

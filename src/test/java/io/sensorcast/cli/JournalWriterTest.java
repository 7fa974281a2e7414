package io.sensorcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
        w.flush(); // the record goes out on the writer's own thread
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

    /**
     * The journal stops taking output (journald busy or stuck): a thread that logs, the loop
     * included, never waits for it. Records past the queue are dropped and counted, and said once
     * output flows again.
     */
    @Test
    void aStalledJournalNeverHoldsUpTheThreadsThatLog() throws Exception {
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch stalled = new CountDownLatch(1);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        OutputStream journal = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                stuck.countDown();
                try {
                    stalled.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                synchronized (got) {
                    got.write(b, off, len);
                }
            }
        };
        JournalWriter w = new JournalWriter(TERMINAL, new PrintStream(journal, false, StandardCharsets.UTF_8));
        int extra = 100;
        try {
            w.write(record("first"));
            assertTrue(stuck.await(10, TimeUnit.SECONDS), "the first record is on its way into the journal, which stalls");
            Thread loop = new Thread(() -> {
                for (int i = 0; i < JournalWriter.QUEUE_RECORDS + extra; i++) {
                    w.write(record("loop " + i));
                }
            }, "loop-stand-in");
            loop.start();
            loop.join(5_000);
            assertFalse(loop.isAlive(), "a thread that logs waited for the stalled journal");
            assertEquals(extra, w.dropped(), "what did not fit is counted");
        } finally {
            stalled.countDown();
        }
        w.flush();
        String out;
        synchronized (got) {
            out = got.toString(StandardCharsets.UTF_8);
        }
        assertTrue(out.startsWith("WARN: [loop] first\n"), out.substring(0, Math.min(200, out.length())));
        assertTrue(out.contains("WARN: [main] " + extra + " log records dropped"), "the drop is said once output flows");
        assertEquals(JournalWriter.QUEUE_RECORDS, out.split("\\[loop\\] loop ", -1).length - 1, "every queued record, in order");
        assertTrue(out.endsWith("WARN: [loop] loop " + (JournalWriter.QUEUE_RECORDS - 1) + "\n"), "in the order they came");
        w.close();
    }

    private static LogEntry record(String message) {
        return new LogEntry(null, Thread.currentThread(), Map.of(), null, null, null, -1, "loop", Level.WARN, message, null);
    }
}

package io.sensorcast.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer thread: started by the first minute and never twice, whoever offers; a full
 * hand-over drops and counts; a clean stop flushes what is queued as one block and writes the raw
 * hour once.
 */
@Timeout(30)
class HistoryWriterTest {

    private static final int MINUTE0 = (int) (Instant.parse("2026-12-07T10:00:00Z").getEpochSecond() / 60);
    private static final long NOW = Instant.parse("2026-12-07T12:00:00Z").toEpochMilli();

    @TempDir
    Path dir;

    private HistoryWriter writer(int capacity) {
        return new HistoryWriter(new HistoryDirectory(dir, l -> { }), Duration.ofHours(1), Duration.ofDays(7), capacity,
                () -> NOW);
    }

    private static SegmentFormat.Minute minute(String channel, int i) {
        return new SegmentFormat.Minute(channel, MINUTE0 + i, i, i + 0.5f, i + 1, 60);
    }

    private static long historyThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("sensorcast-history")).count();
    }

    @Test
    void manyThreadsOfferingStartOneWriterThread() throws Exception {
        long before = historyThreads();
        HistoryWriter w = writer(10_000);
        assertFalse(w.started(), "no thread before there is something to write");
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> offerers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            String channel = "c" + t + ".v";
            Thread th = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 100; i++) {
                    w.offer(minute(channel, i));
                }
            });
            th.start();
            offerers.add(th);
        }
        go.countDown();
        for (Thread th : offerers) {
            th.join(10_000);
        }
        assertTrue(w.started());
        assertEquals(before + 1, historyThreads(), "one writer thread");
        w.stop(List.of(), Duration.ofSeconds(10));
        assertEquals(before, historyThreads(), "and it ended at the stop");
        assertEquals(1, w.flushes(), "what was queued went out as one block at the stop");

        HistoryFilesTest.Collected got = new HistoryFilesTest.Collected();
        new HistoryDirectory(dir, l -> { }).load(got);
        assertEquals(800, got.lines.size());
        assertEquals(0, w.dropped());
        assertEquals(Files.size(dir.resolve("2026-12-07.seg")), w.bytesWritten());
    }

    @Test
    void aFullHandOverDropsAndCountsTheRest() throws Exception {
        HistoryWriter w = writer(4);
        for (int i = 0; i < 6; i++) {
            w.offer(minute("a.b", i)); // the flush is an hour away: nothing drains the queue meanwhile
        }
        assertEquals(2, w.dropped());
        w.stop(List.of(SegmentFormat.source(new SegmentFormat.RawPoints("a.b", new long[] {5L}, new float[] {1f}))),
                Duration.ofSeconds(10));
        w.offer(minute("a.b", 9));
        assertEquals(3, w.dropped(), "after the stop nothing is taken");

        HistoryFilesTest.Collected got = new HistoryFilesTest.Collected();
        new HistoryDirectory(dir, l -> { }).load(got);
        assertEquals(List.of(0, 1, 2, 3, -1), got.lines.stream()
                .map(l -> l.contains(" raw ") ? -1 : Integer.parseInt(l.split(" ")[1]) - MINUTE0).toList(),
                "the four that fit, then the raw hour");
    }

    @Test
    void aStopWithNothingWrittenStartsNoThreadAndCreatesNoSegment() throws Exception {
        long before = historyThreads();
        HistoryWriter w = writer(16);
        w.stop(List.of(), Duration.ofSeconds(10));
        assertFalse(w.started());
        assertEquals(before, historyThreads());
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }
}

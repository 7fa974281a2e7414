package io.sensorcast.history;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * The one thread that writes history ({@code sensorcast-history}). The loop hands it finished
 * minutes ({@link #offer}, never blocking, never touching a file); every flush interval it
 * appends what came as one block with one write and one fdatasync, and deletes segments that aged
 * out. A clean {@link #stop} flushes what is left and writes the raw hour.
 *
 * <p>The thread starts with the first minute offered, never twice (like a sensor thread): an idle
 * board with no channel has no writer. The hand-over is bounded; a minute that finds it full is
 * dropped and counted.
 */
public final class HistoryWriter {

    private static final TaggedLogger LOG = Logger.tag("history");

    /**
     * Test seam: {@code -Dsensorcast.history.haltInFlush=N} halts the JVM in the middle of its
     * N-th flush, after half the block reached the file (a power cut in the middle of a write).
     */
    public static final String HALT_PROPERTY = "sensorcast.history.haltInFlush";

    /** Minutes waiting for the next flush at most: 200 channels' 10 minutes sixteen times over. */
    public static final int DEFAULT_CAPACITY = 32_768;

    /** Called just before a flush's write; the test seam may write part of it and halt. */
    interface Fault {
        void beforeWrite(FileChannel ch, ByteBuffer out) throws IOException;
    }

    private final HistoryDirectory dir;
    private final long flushNanos;
    private final Duration window;
    private final LongSupplier nowMillis;
    private final ArrayBlockingQueue<SegmentFormat.Minute> queue;
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean stopped;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final Thread thread;
    private final Fault fault;
    private int flushCount;

    private final AtomicLong bytesWritten = new AtomicLong();
    private final AtomicLong flushes = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong dirBytes = new AtomicLong();

    public HistoryWriter(HistoryDirectory dir, Duration flushInterval, Duration aggregateWindow, int capacity,
                         LongSupplier nowMillis) {
        this.dir = dir;
        this.flushNanos = flushInterval.toNanos();
        this.window = aggregateWindow;
        this.nowMillis = nowMillis;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::run, "sensorcast-history");
        this.thread.setDaemon(true);
        this.fault = haltFault(Integer.getInteger(HALT_PROPERTY, 0));
        this.dirBytes.set(dir.size());
    }

    /** Any thread (the loop): queues a finished minute, starting the thread the first time. */
    public void offer(SegmentFormat.Minute m) {
        if (stopped || !queue.offer(m)) {
            dropped.incrementAndGet();
            return;
        }
        if (!started.get() && started.compareAndSet(false, true)) {
            thread.start();
        }
    }

    /** Whether the writer thread was started (it is started once, by the first minute). */
    public boolean started() {
        return started.get();
    }

    private void run() {
        boolean last = false;
        while (!last) {
            try {
                last = stopping.await(flushNanos, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                last = true;
            }
            flush();
        }
    }

    /** Writer thread (or the stopping thread once it has ended): one block, one write, one fdatasync. */
    private void flush() {
        List<SegmentFormat.Minute> batch = new ArrayList<>(queue.size());
        queue.drainTo(batch);
        if (!batch.isEmpty()) {
            int newest = Integer.MIN_VALUE;
            for (SegmentFormat.Minute m : batch) {
                newest = Math.max(newest, m.minute());
            }
            try {
                long n = dir.append(SegmentFormat.minutesBlock(batch), newest, fault);
                bytesWritten.addAndGet(n);
                flushes.incrementAndGet();
            } catch (IOException | RuntimeException e) {
                dropped.addAndGet(batch.size());
                if (failures.getAndIncrement() % 100 == 0) {
                    LOG.error("history: could not write {} minutes to {} ({} failures so far): {}", batch.size(),
                            dir.path(), failures.get(), e.toString());
                }
            }
        }
        try {
            dir.deleteOlderThan(nowMillis.getAsLong(), window);
        } catch (IOException e) {
            LOG.warn("history: could not delete old segments in {}: {}", dir.path(), e.toString());
        }
        dirBytes.set(dir.size());
    }

    /**
     * A clean stop: the thread flushes what is queued and ends; then the raw hour (if any) is
     * written once. Returns within about {@code timeout} even if the disk hangs.
     */
    public void stop(List<? extends SegmentFormat.RawSource> rawHour, Duration timeout) throws InterruptedException {
        stopped = true;
        stopping.countDown();
        if (started.get()) {
            thread.join(timeout.toMillis());
            if (thread.isAlive()) {
                LOG.warn("history: the writer did not finish its last flush in {} ms", timeout.toMillis());
                return;
            }
        } else {
            flush();
        }
        if (rawHour != null && !rawHour.isEmpty()) {
            try {
                bytesWritten.addAndGet(dir.writeRawSnapshot(rawHour));
            } catch (IOException | RuntimeException e) {
                LOG.error("history: could not write the raw hour to {}: {}", dir.path(), e.toString());
            }
        }
        dirBytes.set(dir.size());
    }

    public long bytesWritten() {
        return bytesWritten.get();
    }

    public long flushes() {
        return flushes.get();
    }

    public long dropped() {
        return dropped.get();
    }

    public long failures() {
        return failures.get();
    }

    /** The directory's size after the last flush (or at start). */
    public long dirBytes() {
        return dirBytes.get();
    }

    private Fault haltFault(int haltInFlush) {
        if (haltInFlush <= 0) {
            return (ch, out) -> { };
        }
        return (ch, out) -> {
            if (++flushCount == haltInFlush) {
                ByteBuffer half = out.duplicate();
                half.limit(out.position() + out.remaining() / 2);
                while (half.hasRemaining()) {
                    ch.write(half);
                }
                ch.force(false);
                LOG.warn("history: halting in the middle of flush {} ({})", haltInFlush, HALT_PROPERTY);
                Runtime.getRuntime().halt(99);
            }
        };
    }
}

package io.sensorcast.alert;

import java.time.Duration;
import java.util.PriorityQueue;

/** Time that moves only when a test says so; timers run as it passes them, in deadline order. */
final class FakeClock implements AlertEngine.Clock {

    private record Timer(long deadline, long seq, Runnable task) {}

    private final PriorityQueue<Timer> timers = new PriorityQueue<>((a, b) -> a.deadline != b.deadline
            ? Long.compare(a.deadline, b.deadline) : Long.compare(a.seq, b.seq));
    private long nanos = 1_000_000_000L;
    private long seq;
    /** The wall clock at the start: 2026-06-01T00:00:00Z. */
    private static final long EPOCH_MILLIS = 1_780_272_000_000L;

    @Override
    public long nanoTime() {
        return nanos;
    }

    @Override
    public long epochMillis() {
        return EPOCH_MILLIS + (nanos - 1_000_000_000L) / 1_000_000;
    }

    @Override
    public void schedule(long delayNanos, Runnable task) {
        timers.add(new Timer(nanos + delayNanos, seq++, task));
    }

    /** Moves time on by {@code d}, running every timer due on the way at its own deadline. */
    void advance(Duration d) {
        long end = nanos + d.toNanos();
        for (int guard = 0; guard < 1_000_000; guard++) {
            Timer t = timers.peek();
            if (t == null || t.deadline > end) {
                break;
            }
            timers.poll();
            nanos = Math.max(nanos, t.deadline);
            t.task.run();
        }
        nanos = end;
    }

    /** Timers queued now (the engine keeps at most one per alert and kind). */
    int pending() {
        return timers.size();
    }
}

package io.sensorcast.loop;

import java.util.PriorityQueue;

/**
 * Loop-owned timers on the monotonic clock (a wall-clock step never moves a
 * deadline). Few timers live here — housekeeping, accept back-off, shutdown — because per-connection
 * timeouts are checked by one sweep a second instead of one timer each.
 */
final class TimerQueue {

    /** A scheduled task; {@link #cancel()} it from the loop thread. */
    static final class Timer implements Comparable<Timer> {
        final long deadline;
        final long sequence;
        final Runnable task;
        boolean cancelled;

        Timer(long deadline, long sequence, Runnable task) {
            this.deadline = deadline;
            this.sequence = sequence;
            this.task = task;
        }

        void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Timer o) {
            // Overflow-safe comparison of nanoTime values, then FIFO for equal deadlines.
            int c = Long.compare(deadline - o.deadline, 0);
            return c != 0 ? c : Long.compare(sequence, o.sequence);
        }
    }

    private final PriorityQueue<Timer> queue = new PriorityQueue<>();

    /**
     * The first multiple of {@code period} after {@code now} (nanoTime values, which may be
     * negative): periodic timers of one period share their instants, so they wake the loop once.
     */
    static long nextTick(long now, long period) {
        return now - Math.floorMod(now, period) + period;
    }
    private long sequence;

    Timer schedule(long deadlineNanos, Runnable task) {
        Timer t = new Timer(deadlineNanos, sequence++, task);
        queue.add(t);
        return t;
    }

    /** Runs {@code task} at every multiple of {@code period} after {@code now}; a late run skips to the next multiple. */
    void every(long now, long period, Runnable task) {
        schedule(nextTick(now, period), new Runnable() {
            @Override
            public void run() {
                try {
                    task.run();
                } finally {
                    schedule(nextTick(System.nanoTime(), period), this);
                }
            }
        });
    }

    /** Timers in the heap, cancelled ones included until they reach its head. */
    int size() {
        return queue.size();
    }

    /** Nanoseconds until the next deadline (0 if due), or {@code max} if none is sooner. */
    long nanosUntilNext(long now, long max) {
        Timer head;
        while ((head = queue.peek()) != null && head.cancelled) {
            queue.poll();
        }
        if (head == null) {
            return max;
        }
        return Math.max(0, Math.min(max, head.deadline - now));
    }

    /** Runs every timer due at {@code now}; a task that throws is reported and does not stop the rest. */
    void runDue(long now, java.util.function.BiConsumer<Runnable, Throwable> onError) {
        Timer head;
        while ((head = queue.peek()) != null && head.deadline - now <= 0) {
            queue.poll();
            if (!head.cancelled) {
                try {
                    head.task.run();
                } catch (RuntimeException | Error e) {
                    onError.accept(head.task, e);
                }
            }
        }
    }
}

package io.sensorcast.loop;

import java.util.PriorityQueue;

/**
 * Loop-owned timers on the monotonic clock (a wall-clock step never moves a
 * deadline). Few timers live here — housekeeping, accept back-off, shutdown — because per-connection
 * timeouts are checked by one sweep a second instead of one timer each.
 *
 * <p>A timer may have slack: it runs at the first wakeup of the loop after its deadline, and wakes
 * the loop itself only when nothing else has by the deadline plus the slack. Housekeeping has
 * slack, so that on an idle device it rides on the wakeup a sample brings instead of adding one
 * of its own: each wakeup costs a small board power and heat.
 */
final class TimerQueue {

    /** A scheduled task; {@link #cancel()} it from the loop thread. */
    static final class Timer implements Comparable<Timer> {
        final long deadline;
        /** How long after the deadline the loop may sleep on before it runs this timer. */
        final long slack;
        final long sequence;
        final Runnable task;
        boolean cancelled;

        Timer(long deadline, long slack, long sequence, Runnable task) {
            this.deadline = deadline;
            this.slack = slack;
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
        return schedule(deadlineNanos, 0, task);
    }

    /** A timer that runs at the first wakeup after {@code deadlineNanos}, at the latest {@code slackNanos} after it. */
    Timer schedule(long deadlineNanos, long slackNanos, Runnable task) {
        Timer t = new Timer(deadlineNanos, slackNanos, sequence++, task);
        queue.add(t);
        return t;
    }

    /**
     * Runs {@code task} at every multiple of {@code period} after {@code now}, each run with
     * {@code slack}; a late run skips to the next multiple.
     */
    void every(long now, long period, long slack, Runnable task) {
        schedule(nextTick(now, period), slack, new Runnable() {
            @Override
            public void run() {
                try {
                    task.run();
                } finally {
                    schedule(nextTick(System.nanoTime(), period), slack, this);
                }
            }
        });
    }

    /** Timers in the heap, cancelled ones included until they reach its head. */
    int size() {
        return queue.size();
    }

    /** Nanoseconds until a timer must wake the loop (0 if one is due now), or {@code max} if none is sooner. */
    long nanosUntilNext(long now, long max) {
        Timer head;
        while ((head = queue.peek()) != null && head.cancelled) {
            queue.poll();
        }
        if (head == null) {
            return max;
        }
        // The head is the earliest deadline; with slack, another timer may have to wake the loop
        // sooner than the head's latest moment. There are few timers: a scan is cheaper than a
        // second heap.
        long wake = head.deadline + head.slack - now;
        if (head.slack > 0) {
            for (Timer t : queue) {
                if (!t.cancelled) {
                    wake = Math.min(wake, t.deadline + t.slack - now);
                }
            }
        }
        return Math.max(0, Math.min(max, wake));
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

package io.sensorcast.sensor.system;

import java.io.IOException;
import java.time.Duration;

/**
 * The previous snapshot of a cumulative counter file (/proc/stat, /proc/net/dev) and when it was
 * taken, for drivers that report the change between two reads.
 *
 * <p>The first read primes: it takes the baseline, waits out the minimum window and then takes
 * the second snapshot, so even the first value is a real rate over a real interval (never a
 * made-up 0, never a division by a zero-length window). Later reads use the previous read as the
 * baseline and wait only if they come sooner than the window. A failed snapshot drops the
 * baseline: after a gap the next read primes again instead of averaging over the outage.
 */
final class Baseline<T> {

    /** Takes one snapshot of the counters. */
    @FunctionalInterface
    interface Snapshot<T> {
        T take() throws IOException;
    }

    /** Two snapshots and the monotonic time between them. */
    record Window<T>(T before, T after, long nanos) {
        double seconds() {
            return nanos / 1e9;
        }
    }

    private final Snapshot<T> source;
    private final Monotonic clock;
    private final long minWindowNanos;
    private T previous;
    private long previousAt;

    Baseline(Snapshot<T> source, Monotonic clock, Duration minWindow) {
        if (minWindow.isNegative() || minWindow.isZero()) {
            throw new IllegalArgumentException("the minimum window must be positive, was " + minWindow);
        }
        this.source = source;
        this.clock = clock;
        this.minWindowNanos = minWindow.toNanos();
    }

    /** The shorter of the read interval and one second: long enough for jiffies to count. */
    static Duration windowFor(Duration interval) {
        return interval.compareTo(Duration.ofSeconds(1)) < 0 ? interval : Duration.ofSeconds(1);
    }

    Window<T> next() throws IOException, InterruptedException {
        try {
            if (previous == null) {
                previous = source.take();
                previousAt = clock.nanos();
            }
            long waited = clock.nanos() - previousAt;
            if (waited < minWindowNanos) {
                clock.sleep(Duration.ofNanos(minWindowNanos - waited));
            }
            T current = source.take();
            long now = clock.nanos();
            Window<T> w = new Window<>(previous, current, now - previousAt);
            previous = current;
            previousAt = now;
            return w;
        } catch (IOException | RuntimeException e) {
            previous = null;
            throw e;
        }
    }

    /** Drops the baseline; the next read primes again. */
    void reset() {
        previous = null;
    }
}

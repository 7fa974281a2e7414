package io.sensorcast.loop;

/**
 * What the loop counts for /metrics and /healthz: iterations and the time their work took, frames
 * and bytes written, connections accepted and refused. The loop and its connections update the
 * fields directly; the getters are for the loop thread (the routes run there), except
 * {@link #iterations()}, which any thread may read.
 */
public final class LoopStats {

    /**
     * Upper bounds (inclusive) of the iteration-time histogram's buckets, in nanoseconds; the last
     * bucket counts what is over the last bound.
     */
    private static final long[] ITERATION_BOUNDS_NANOS = {
        50_000L, 100_000L, 250_000L, 500_000L, 1_000_000L, 2_500_000L, 5_000_000L, 10_000_000L,
        25_000_000L, 50_000_000L, 100_000_000L, 250_000_000L, 1_000_000_000L, 5_000_000_000L};
    /** Sweeps (one a second) per window of the slowest-iteration figure. */
    private static final int WINDOW_SWEEPS = 10;

    private final OwnerThread owner;
    private final long[] iterationBuckets = new long[ITERATION_BOUNDS_NANOS.length + 1];
    private volatile long iterations;
    /** When the last iteration's work ended (nanoTime): published for any thread. */
    private volatile long lastIterationEndNanos = System.nanoTime();
    private long iterationNanosSum;
    private long slowestNanos;
    private long slowestInPreviousWindowNanos;
    private int windowSweeps;

    long droppedFrames;
    long replacedFrames;
    long sampleFramesSent;
    long bytesOut;
    long accepted;
    long rejectedConnections;

    LoopStats(OwnerThread owner) {
        this.owner = owner;
    }

    /** An iteration's work ran from {@code start} to {@code end}: one bucket increment, no allocation. */
    void iterationDone(long start, long end) {
        long nanos = end - start;
        int i = 0;
        while (i < ITERATION_BOUNDS_NANOS.length && nanos > ITERATION_BOUNDS_NANOS[i]) {
            i++;
        }
        iterationBuckets[i]++;
        iterationNanosSum += nanos;
        if (nanos > slowestNanos) {
            slowestNanos = nanos;
        }
        iterations++;
        lastIterationEndNanos = end;
    }

    /** Once a second: two ten-second windows of the slowest iteration answer "was the loop stuck lately". */
    void sweep() {
        if (++windowSweeps >= WINDOW_SWEEPS) {
            windowSweeps = 0;
            slowestInPreviousWindowNanos = slowestNanos;
            slowestNanos = 0;
        }
    }

    /** Any thread. */
    public long iterations() {
        return iterations;
    }

    /**
     * Any thread: how long ago the last iteration finished. An idle loop finishes one at least once
     * a second (its sweep); much more means the loop is stuck in one.
     */
    public long lastIterationAgeNanos() {
        return System.nanoTime() - lastIterationEndNanos;
    }

    /** The slowest iteration in this and the previous ten-second window. */
    public long slowestRecentIterationNanos() {
        owner.check();
        return Math.max(slowestNanos, slowestInPreviousWindowNanos);
    }

    /** The iteration-time histogram's bucket bounds in nanoseconds (a copy). */
    public static long[] iterationBucketBoundsNanos() {
        return ITERATION_BOUNDS_NANOS.clone();
    }

    /**
     * Iterations whose work took at most bound {@code i} and more than bound {@code i - 1};
     * {@code i == bounds.length}: over the last bound. Not cumulative.
     */
    public long iterationBucket(int i) {
        owner.check();
        return iterationBuckets[i];
    }

    /** The work time of every iteration so far, summed (select's sleep excluded). */
    public long iterationNanosSum() {
        owner.check();
        return iterationNanosSum;
    }

    /** Sample frames dropped for slow monitors, since start. */
    public long droppedFrames() {
        owner.check();
        return droppedFrames;
    }

    /** Status and channel-list frames replaced, unsent, by a newer one of the same key. */
    public long replacedFrames() {
        owner.check();
        return replacedFrames;
    }

    /** Sample frames fully written to a socket, counted once per connection. */
    public long sampleFramesSent() {
        owner.check();
        return sampleFramesSent;
    }

    public long bytesOut() {
        owner.check();
        return bytesOut;
    }

    public long acceptedConnections() {
        owner.check();
        return accepted;
    }

    /** Connections closed at once because http.max_connections were open. */
    public long rejectedConnections() {
        owner.check();
        return rejectedConnections;
    }
}

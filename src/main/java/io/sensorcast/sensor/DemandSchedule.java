package io.sensorcast.sensor;

import io.sensorcast.hub.Hub;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * When the on-demand devices of one {@link SensorSet} read: from their first watcher until
 * {@code grace} after their last one left, unless a watcher came back meanwhile. The hub tells it of
 * demand on the loop thread; a release waits in one timer per device at most, moved rather than
 * added to, so a monitor that subscribes and unsubscribes in a loop cannot grow the timer queue.
 *
 * <p>Its set's stop begins with {@link #detach} (the hub's demand no longer reaches it, done on the
 * loop so that no demand change is half-way through it) and {@link #close} (from then on nothing
 * starts or is released, whatever thread asks): a set that is stopping never starts a thread again.
 */
final class DemandSchedule implements Hub.DemandListener {

    /** The loop as this schedule needs it: {@code EventLoop} in production, a model in tests. */
    interface Loop {
        /** Runs {@code task} on the loop thread and waits for it; throws if the loop has stopped. */
        void run(Runnable task) throws Exception;

        /** Loop thread: runs {@code task} after {@code delayNanos}. */
        void schedule(long delayNanos, Runnable task);

        /** The monotonic clock, in nanoseconds. */
        long now();
    }

    /** What starting and releasing a device means: its threads, in production. */
    interface Devices {
        void start(String device);

        void release(String device);
    }

    /** One on-demand device. Loop thread only. */
    private static final class Demand {
        final long graceNanos;
        boolean watched;
        boolean timerQueued;
        long releaseAt;

        Demand(long graceNanos) {
            this.graceNanos = graceNanos;
        }
    }

    private final Map<String, Demand> demands = new HashMap<>();
    private final Loop loop;
    private final Devices devices;
    private boolean detached; // loop thread
    private boolean closed;   // guarded by this

    /** @param graces the on-demand devices and their grace periods */
    DemandSchedule(Map<String, Duration> graces, Loop loop, Devices devices) {
        graces.forEach((id, grace) -> demands.put(id, new Demand(grace.toNanos())));
        this.loop = loop;
        this.devices = devices;
    }

    /** Loop thread: a device gained its first watcher or lost its last. */
    @Override
    public void demandChanged(String id, boolean wanted) {
        Demand d = demands.get(id);
        if (d == null || detached) {
            return;
        }
        d.watched = wanted;
        if (wanted) {
            ifOpen(() -> devices.start(id));
            return;
        }
        d.releaseAt = loop.now() + d.graceNanos;
        if (!d.timerQueued) {
            d.timerQueued = true;
            loop.schedule(d.graceNanos, () -> releaseIfDue(id, d));
        }
    }

    /** Loop thread: the device's one timer fell due; a later unwatch moved the release, so go on waiting. */
    private void releaseIfDue(String id, Demand d) {
        d.timerQueued = false;
        if (detached || d.watched) {
            return;
        }
        long left = d.releaseAt - loop.now();
        if (left > 0) {
            d.timerQueued = true;
            loop.schedule(left, () -> releaseIfDue(id, d));
            return;
        }
        ifOpen(() -> devices.release(id));
    }

    /**
     * Stopping thread, before the set's threads stop: on the loop, {@code offHub} takes this schedule
     * away from the hub, and a release timer still queued will do nothing; then {@link #close}.
     * A loop that has stopped can no longer tell anyone of demand: then only the close is done.
     */
    void detach(Runnable offHub) throws Exception {
        try {
            loop.run(() -> {
                offHub.run();
                detached = true;
            });
        } finally {
            close();
        }
    }

    /** Any thread: nothing starts or is released from now on (a start under way finishes first). */
    synchronized void close() {
        closed = true;
    }

    /** Runs {@code action} (a start, a release) unless closed: it either precedes {@link #close} or never happens. */
    synchronized void ifOpen(Runnable action) {
        if (!closed) {
            action.run();
        }
    }
}

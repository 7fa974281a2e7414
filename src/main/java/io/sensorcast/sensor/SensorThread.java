package io.sensorcast.sensor;

import io.sensorcast.config.Values;
import io.sensorcast.hub.ChannelInfo;
import io.sensorcast.hub.Sample;
import io.sensorcast.hub.StatusChange;
import io.sensorcast.loop.EventLoop;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * Runs one {@link Sensor} on its own named daemon thread and posts its samples to the loop through
 * the wakeup channel, the only door.
 *
 * <p>Schedule: the first read at once, then reads are due at the multiples of the interval on the
 * monotonic clock, so the time a read takes never accumulates into drift, a wall-clock step changes
 * nothing, and devices of one interval read at the same instants as each other and as the loop's
 * once-a-second housekeeping: an idle loop wakes once for all of them. When the thread
 * falls behind (a slow read, a paused JVM) it skips the missed reads instead of bursting to catch up,
 * except within a short window, which is what lets the simulator run at rates beyond the sleep
 * granularity (many reads per wake-up: below a millisecond's interval, one wake-up a millisecond).
 *
 * <p>Supervision: an exception, a read over the timeout or a value that is not finite marks the
 * device's channels {@code error} with the message (said once per change, not per retry); the
 * sensor is closed and opened again for the next try, after a back-off that doubles up to a minute;
 * the first good read marks them {@code ok}. A read that hangs is caught by {@link #checkTimeout},
 * which the loop calls once a second: it reports the error at once and interrupts the read.
 *
 * <p>Start timing: {@link #start()} and {@link #release()} may be called any
 * number of times from any thread; there is never more than one thread for the device. A thread
 * that is winding down when it is wanted again simply carries on.
 */
public final class SensorThread {

    private static final TaggedLogger LOG = Logger.tag("sensor");
    /** How far behind schedule the thread may catch up by bursting before it skips instead. */
    private static final long MAX_CATCH_UP_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /**
     * Schedules shorter than this (the simulator above 1,000 samples/s) sleep until a
     * millisecond's worth of reads is due and take them in one burst. A wakeup per read cost the
     * thread, and the loop it wakes, more than the reads: two context switches per sample, and a
     * write per monitor per sample where one per burst does. A sample's time is still its read's.
     */
    private static final long MIN_WAKE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(60);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    private static final long WATCHDOG_SLACK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Sensor sensor;
    private final Inbox inbox;
    private final DeviceStatus status;
    private final List<ChannelInfo> channels;
    private final long intervalNanos;
    private final Duration timeout;
    /**
     * Held while a sample is stamped, numbered and posted, which never blocks: an edge from the
     * library's thread and a read on this one then reach the loop with seq, time and inbox order
     * agreeing. Never held across a read or any other I/O.
     */
    private final Object postLock = new Object();
    private final long[] seq; // guarded by postLock
    /**
     * An event sensor's edges can overtake a read: a read that sampled the line before an edge and
     * posts after it would move the channel back. Per channel, edges posted so far (guarded by
     * postLock), and as they were when the current read began (device thread): a read's value of
     * a channel that had an edge meanwhile is dropped, the edge's being at least as new.
     */
    private final boolean events;
    private final long[] edges;
    private final long[] edgesBeforeRead;
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();

    private final Object lock = new Object();
    private Thread thread;        // guarded by lock
    private boolean wanted;       // guarded by lock

    /** When the current read began (nanoTime), or 0 between reads: the watchdog's view. */
    private volatile long readStartedNanos;
    private volatile boolean timedOut;

    public SensorThread(Sensor sensor, EventLoop loop) {
        this(sensor, loop, DEFAULT_TIMEOUT);
    }

    public SensorThread(Sensor sensor, EventLoop loop, Duration timeout) {
        this(sensor, inboxOf(loop), timeout);
    }

    /** Posting to {@code inbox} instead of a loop: the seam where tests watch and hold the posts. */
    SensorThread(Sensor sensor, Inbox inbox, Duration timeout) {
        this.sensor = sensor;
        this.inbox = inbox;
        this.channels = List.copyOf(sensor.channels());
        this.status = new DeviceStatus(sensor.id(), channels, inbox::status);
        Duration interval = sensor.interval();
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException(sensor.id() + ": interval must be positive, was " + interval);
        }
        this.intervalNanos = interval.toNanos();
        this.timeout = timeout;
        this.seq = new long[channels.size()];
        this.events = sensor instanceof EventSensor;
        this.edges = new long[events ? channels.size() : 0];
        this.edgesBeforeRead = new long[edges.length];
    }

    /** Where a device's samples and statuses go: the loop's inbox. Neither call blocks. */
    interface Inbox {

        /** Posts a sample; false if it was refused (the inbox is full). */
        boolean sample(Sample s);

        /** Posts a status change, which is never refused like a sample may be. */
        void status(StatusChange c);
    }

    private static Inbox inboxOf(EventLoop loop) {
        return new Inbox() {
            @Override
            public boolean sample(Sample s) {
                return loop.post(s);
            }

            @Override
            public void status(StatusChange c) {
                // The watchdog posts from the loop thread itself: this must not wait.
                loop.postControl(c);
            }
        };
    }

    public Sensor sensor() {
        return sensor;
    }

    /** Makes sure the device is being read: starts its thread unless one is running. Any thread. */
    public void start() {
        synchronized (lock) {
            wanted = true;
            if (thread == null) {
                thread = new Thread(this::run, "sensor-" + sensor.id());
                thread.setDaemon(true);
                thread.start();
            }
        }
    }

    /**
     * Asks the thread to finish its current read, close the sensor and end, without waiting for it
     * (the loop calls this when an on-demand device loses its last monitor). Any thread.
     */
    public void release() {
        Thread t;
        synchronized (lock) {
            wanted = false;
            t = thread;
        }
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Stops the thread, interrupting a blocked read, and waits for it at most {@code timeout}. */
    public boolean stop(Duration timeout) throws InterruptedException {
        Thread t;
        synchronized (lock) {
            wanted = false;
            t = thread;
        }
        if (t == null) {
            return true;
        }
        t.interrupt();
        t.join(Math.max(1, timeout.toMillis()));
        return !t.isAlive();
    }

    public boolean isAlive() {
        synchronized (lock) {
            return thread != null && thread.isAlive();
        }
    }

    /** Before start: the channel's next sample gets {@code last + 1} (a device restarted by a reload). */
    public void continueSeqFrom(int channel, long last) {
        synchronized (postLock) {
            seq[channel] = last;
        }
    }

    /** Samples the loop refused because its inbox was full. */
    public long refusedSamples() {
        return refused.get();
    }

    /** Reads attempted since start. */
    public long reads() {
        return reads.get();
    }

    /**
     * The watchdog, called about once a second (by the loop): a read running longer than the
     * timeout is reported now, and interrupted in case its I/O is interruptible.
     */
    public void checkTimeout(long nowNanos) {
        long started = readStartedNanos;
        // Some slack (half the timeout, at most a second): a driver with its own timeout (a command)
        // reports it first, and the watchdog only speaks for reads that really hang.
        long slack = Math.min(WATCHDOG_SLACK_NANOS, timeout.toNanos() / 2);
        if (started != 0 && !timedOut && nowNanos - started > timeout.toNanos() + slack) {
            timedOut = true;
            status.error(timeoutMessage());
            Thread t;
            synchronized (lock) {
                t = thread;
            }
            if (t != null) {
                t.interrupt();
            }
        }
    }

    private String timeoutMessage() {
        return "no reading within " + Values.format(timeout) + " (timeout)";
    }

    private boolean wanted() {
        synchronized (lock) {
            return wanted;
        }
    }

    private void run() {
        try {
            while (true) {
                try {
                    readWhileWanted();
                } finally {
                    closeSensor();
                }
                synchronized (lock) {
                    if (!wanted) {
                        thread = null; // in the same lock as the decision: a start() now makes a new thread
                        return;
                    }
                }
                Thread.interrupted(); // wanted again while winding down: carry on with a clean slate
            }
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            // A driver bug (AssertionError, StackOverflowError): say so on the channels, and let a
            // later start() run the device again instead of leaving a dead thread registered.
            status.error("driver failed: " + e);
            LOG.error(e, "{}: sensor thread ended by an unexpected error", sensor.id());
        } finally {
            synchronized (lock) {
                if (thread == Thread.currentThread()) {
                    thread = null;
                }
            }
        }
    }

    /** The first multiple of {@code period} after {@code t} (nanoTime values, which may be negative). */
    static long nextMultiple(long t, long period) {
        return t - Math.floorMod(t, period) + period;
    }

    private void readWhileWanted() {
        double[] values = new double[channels.size()];
        long next = System.nanoTime();
        long backoff = intervalNanos;
        boolean open = false;
        while (wanted()) {
            long now = System.nanoTime();
            long wait = next - now;
            if (wait > 0) {
                LockSupport.parkNanos(this, intervalNanos < MIN_WAKE_NANOS ? wait + MIN_WAKE_NANOS - intervalNanos : wait);
                if (Thread.interrupted() && !wanted()) {
                    return;
                }
                continue;
            }
            if (-wait > MAX_CATCH_UP_NANOS + intervalNanos) {
                next = now; // too far behind: skip the missed reads rather than burst
            }
            String error = null;
            if (!open) {
                error = open();
                open = error == null;
            }
            if (error == null) {
                error = readOnce(values);
            }
            if (error == null) {
                backoff = intervalNanos;
                next = nextMultiple(next, intervalNanos);
            } else {
                if (!wanted()) {
                    return; // interrupted by stop(): not a sensor failure
                }
                status.error(error);
                if (open) {
                    closeSensor();
                    open = false;
                }
                next = System.nanoTime() + backoff;
                backoff = Math.min(MAX_BACKOFF_NANOS, Math.max(backoff * 2, intervalNanos));
            }
        }
    }

    private String open() {
        try {
            sensor.open();
            if (sensor instanceof EventSensor events) {
                events.listen(this::emit);
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while opening";
        } catch (Exception | LinkageError e) {
            return message(e);
        }
    }

    /** One read; null if it went well, else what went wrong. */
    private String readOnce(double[] values) {
        reads.incrementAndGet();
        timedOut = false;
        long started = System.nanoTime();
        readStartedNanos = started;
        noteEdgesBeforeRead();
        String error;
        try {
            sensor.read(values);
            error = checkFinite(values);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = timedOut ? timeoutMessage() : "interrupted";
        } catch (Exception | LinkageError e) {
            error = timedOut ? timeoutMessage() : message(e);
        } finally {
            readStartedNanos = 0;
        }
        if (error == null && (timedOut || System.nanoTime() - started > timeout.toNanos())) {
            error = timeoutMessage(); // it answered, but too late to be trusted as "now"
        }
        if (error != null) {
            Thread.interrupted(); // the watchdog's interrupt was for this read only
            return error;
        }
        status.ok();
        postRead(values);
        return null;
    }

    /** Device thread, as a read begins: the edges so far, which what it reads may be older than. */
    void noteEdgesBeforeRead() {
        if (events) {
            synchronized (postLock) {
                System.arraycopy(edges, 0, edgesBeforeRead, 0, edges.length);
            }
        }
    }

    /**
     * A good read's values, one sample per channel, all stamped with the same time, except a
     * channel that an edge has posted since the read began. Device thread.
     */
    void postRead(double[] values) {
        synchronized (postLock) {
            long t = WallClock.micros();
            for (int i = 0; i < values.length; i++) {
                if (!events || edges[i] == edgesBeforeRead[i]) {
                    post(i, t, values[i]);
                }
            }
        }
    }

    /** An event from an {@link EventSensor}, on whatever thread its library calls back on. */
    void emit(int channel, double value) {
        if (Double.isFinite(value) && channel >= 0 && channel < channels.size()) {
            synchronized (postLock) {
                edges[channel]++;
                post(channel, WallClock.micros(), value);
            }
        }
    }

    /** With postLock held. */
    private void post(int channel, long t, double value) {
        if (!inbox.sample(new Sample(channels.get(channel).id(), ++seq[channel], t, value))) {
            refused.incrementAndGet();
        }
    }

    private String checkFinite(double[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                return "impossible value " + values[i] + " for " + channels.get(i).id();
            }
        }
        return null;
    }

    private static String message(Throwable e) {
        return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
    }

    private void closeSensor() {
        try {
            sensor.close();
        } catch (Exception e) {
            LOG.warn("{}: close failed: {}", sensor.id(), message(e));
        }
    }
}

package io.sensorcast.sensor;

import io.sensorcast.hub.ChannelInfo;
import io.sensorcast.hub.ChannelState;
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
 * the wakeup channel, the only door (DESIGN.md rule 1).
 *
 * <p>Schedule: reads are due at {@code start + k * interval} on the monotonic clock, so the time a
 * read takes never accumulates into drift, and a wall-clock step changes nothing. When the thread
 * falls behind (a slow read, a paused JVM) it skips the missed reads instead of bursting to catch up,
 * except within a short window, which is what lets the simulator run at rates beyond the sleep
 * granularity (many reads per wake-up).
 *
 * <p>Failure stays local: a read that throws or returns a value that is not finite marks the
 * device's channels {@code error} with the message (said once per change, not per retry), and the
 * next read that succeeds marks them {@code ok} again. Retries back off exponentially up to a cap.
 */
public final class SensorThread {

    private static final TaggedLogger LOG = Logger.tag("sensor");
    /** How far behind schedule the thread may catch up by bursting before it skips instead. */
    private static final long MAX_CATCH_UP_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final Sensor sensor;
    private final EventLoop loop;
    private final List<ChannelInfo> channels;
    private final long intervalNanos;
    private final long[] seq;
    private final Thread thread;
    private final AtomicLong refused = new AtomicLong();
    private volatile boolean running = true;
    private String lastError;

    public SensorThread(Sensor sensor, EventLoop loop) {
        this.sensor = sensor;
        this.loop = loop;
        this.channels = List.copyOf(sensor.channels());
        Duration interval = sensor.interval();
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException(sensor.id() + ": interval must be positive, was " + interval);
        }
        this.intervalNanos = interval.toNanos();
        this.seq = new long[channels.size()];
        this.thread = new Thread(this::run, "sensor-" + sensor.id());
        this.thread.setDaemon(true);
    }

    public Sensor sensor() {
        return sensor;
    }

    public void start() {
        thread.start();
    }

    /** Stops the thread and waits for it (and for {@link Sensor#close()}) at most {@code timeout}. */
    public boolean stop(Duration timeout) throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(Math.max(1, timeout.toMillis()));
        return !thread.isAlive();
    }

    public boolean isAlive() {
        return thread.isAlive();
    }

    /** Samples the loop refused because its inbox was full. */
    public long refusedSamples() {
        return refused.get();
    }

    private void run() {
        double[] values = new double[channels.size()];
        long next = System.nanoTime();
        long backoff = intervalNanos;
        try {
            while (running) {
                long now = System.nanoTime();
                long wait = next - now;
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                    continue;
                }
                if (-wait > MAX_CATCH_UP_NANOS + intervalNanos) {
                    next = now; // too far behind: skip the missed reads rather than burst
                }
                if (readOnce(values)) {
                    backoff = intervalNanos;
                    next += intervalNanos;
                } else {
                    next = now + backoff;
                    backoff = Math.min(MAX_BACKOFF_NANOS, Math.max(backoff * 2, intervalNanos));
                }
            }
        } finally {
            try {
                sensor.close();
            } catch (Exception e) {
                LOG.warn("{}: close failed: {}", sensor.id(), e.toString());
            }
        }
    }

    private boolean readOnce(double[] values) {
        String error;
        try {
            sensor.read(values);
            error = checkFinite(values);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            return true;
        } catch (Exception | LinkageError e) {
            error = e.getMessage() == null ? e.toString() : e.getMessage();
        }
        if (error != null) {
            setError(error);
            return false;
        }
        if (lastError != null) {
            LOG.info("{}: reading again", sensor.id());
            lastError = null;
            postStatus(ChannelState.OK, "");
        }
        long t = WallClock.micros();
        for (int i = 0; i < values.length; i++) {
            if (!loop.post(new Sample(channels.get(i).id(), ++seq[i], t, values[i]))) {
                refused.incrementAndGet();
            }
        }
        return true;
    }

    private String checkFinite(double[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                return "impossible value " + values[i] + " for " + channels.get(i).id();
            }
        }
        return null;
    }

    private void setError(String error) {
        if (!error.equals(lastError)) {
            LOG.warn("{}: {}", sensor.id(), error);
            lastError = error;
            postStatus(ChannelState.ERROR, error);
        }
    }

    private void postStatus(ChannelState state, String message) {
        for (ChannelInfo c : channels) {
            // A status must not be lost like a sample may be: retry briefly if the inbox is full.
            for (int attempt = 0; attempt < 100 && running && !loop.post(new StatusChange(c.id(), state, message)); attempt++) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }
    }
}

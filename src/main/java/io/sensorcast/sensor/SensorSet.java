package io.sensorcast.sensor;

import io.sensorcast.hub.ChannelInfo;
import io.sensorcast.hub.Hub;
import io.sensorcast.loop.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.tinylog.Logger;

/** The configured devices and their threads: registered with the hub, started and stopped together. */
public final class SensorSet {

    private final List<SensorThread> threads = new ArrayList<>();

    public SensorSet(List<Sensor> sensors, EventLoop loop) {
        for (Sensor s : sensors) {
            threads.add(new SensorThread(s, loop));
        }
    }

    /**
     * Registers every channel on the loop, then starts the threads. The inbox is FIFO, so the
     * registration is handled before the first sample of any thread.
     */
    public void start(EventLoop loop, Hub hub) throws Exception {
        List<ChannelInfo> all = new ArrayList<>();
        for (SensorThread t : threads) {
            all.addAll(t.sensor().channels());
        }
        loop.submit(() -> {
            all.forEach(hub::register);
            return null;
        }).get(5, TimeUnit.SECONDS);
        for (SensorThread t : threads) {
            t.start();
        }
    }

    /** Stops every thread, all at once, within {@code timeout} in total. */
    public void stop(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (SensorThread t : threads) {
            t.stop(Duration.ZERO.plusMillis(1)); // signal all first ...
        }
        for (SensorThread t : threads) {        // ... then wait for each
            long left = deadline - System.nanoTime();
            if (!t.stop(Duration.ofNanos(Math.max(1_000_000, left)))) {
                Logger.tag("sensor").warn("{}: thread did not stop within {}", t.sensor().id(), timeout);
            }
        }
    }

    public List<SensorThread> threads() {
        return List.copyOf(threads);
    }

    public long refusedSamples() {
        long n = 0;
        for (SensorThread t : threads) {
            n += t.refusedSamples();
        }
        return n;
    }
}

package io.sensorcast.sensor;

import io.sensorcast.hub.ChannelInfo;
import io.sensorcast.hub.Hub;
import io.sensorcast.loop.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * The configured devices and their threads: registered with the hub, started, watched and
 * stopped together.
 *
 * <p>Start timing: continuous devices start with the service. On-demand devices start when the
 * hub reports their first watcher and are released {@code grace} after their last one left, unless
 * a watcher came back meanwhile ({@link DemandSchedule}); {@link SensorThread} makes every start
 * idempotent. A set that is stopping starts nothing again.
 */
public final class SensorSet {

    private static final TaggedLogger LOG = Logger.tag("sensor");

    private final List<Device> devices;
    private final List<AutoCloseable> resources;
    private final Map<String, Device> byId = new HashMap<>();
    private final Map<String, List<SensorThread>> threadsById = new HashMap<>();
    private final List<SensorThread> threads = new ArrayList<>();
    private final DemandSchedule demand;
    private final EventLoop loop;

    /**
     * @param resources closed after every thread has stopped (the Pi4J board, shared by devices)
     */
    public SensorSet(List<Device> devices, EventLoop loop, List<AutoCloseable> resources) {
        this.devices = List.copyOf(devices);
        this.resources = List.copyOf(resources);
        this.loop = loop;
        for (Device d : devices) {
            if (byId.putIfAbsent(d.id(), d) != null) {
                throw new IllegalArgumentException("device " + d.id() + " is configured twice");
            }
            List<SensorThread> list = new ArrayList<>();
            for (Sensor s : d.sensors()) {
                SensorThread t = new SensorThread(s, loop, d.timeout());
                list.add(t);
                threads.add(t);
            }
            threadsById.put(d.id(), list);
        }
        Map<String, Duration> graces = new HashMap<>();
        for (Device d : devices) {
            if (d.onDemand()) {
                graces.put(d.id(), d.grace());
            }
        }
        this.demand = new DemandSchedule(graces, loopOf(loop), new DemandSchedule.Devices() {
            @Override
            public void start(String id) {
                threadsById.get(id).forEach(SensorThread::start);
                LOG.debug("{}: watched, reading", id);
            }

            @Override
            public void release(String id) {
                threadsById.get(id).forEach(SensorThread::release);
                LOG.debug("{}: unwatched for {}, stopped", id, byId.get(id).grace());
            }
        });
    }

    private static DemandSchedule.Loop loopOf(EventLoop loop) {
        return new DemandSchedule.Loop() {
            @Override
            public void run(Runnable task) throws Exception {
                loop.submit(() -> {
                    task.run();
                    return null;
                }).get(5, TimeUnit.SECONDS);
            }

            @Override
            public void schedule(long delayNanos, Runnable task) {
                loop.schedule(delayNanos, task);
            }

            @Override
            public long now() {
                return System.nanoTime();
            }
        };
    }

    /** Continuous devices of one sensor each (tests, and callers without a configuration). */
    public static SensorSet of(List<Sensor> sensors, EventLoop loop) {
        return new SensorSet(sensors.stream().map(Device::of).toList(), loop, List.of());
    }

    /**
     * Makes the hub's channels this set's, on the loop, and waits for it: before the port opens at
     * start, so that no monitor ever gets a hello without the channels; on a reload, channels that
     * stay keep their history, and each device goes on counting seq where its predecessor stopped.
     */
    public void register(Hub hub) throws Exception {
        loop.submit(() -> {
            List<Hub.Registration> registrations = new ArrayList<>();
            Set<String> onDemand = new HashSet<>();
            for (Device d : devices) {
                for (Sensor s : d.sensors()) {
                    for (ChannelInfo c : s.channels()) {
                        registrations.add(new Hub.Registration(c, d.id(), s.interval()));
                    }
                }
                if (d.onDemand()) {
                    onDemand.add(d.id());
                }
            }
            for (SensorThread t : threads) {
                List<ChannelInfo> channels = t.sensor().channels();
                for (int i = 0; i < channels.size(); i++) {
                    t.continueSeqFrom(i, hub.latestSeq(channels.get(i).id()));
                }
            }
            hub.setDemandListener(demand);
            hub.reconcile(registrations, onDemand);
            return null;
        }).get(5, TimeUnit.SECONDS);
    }

    /** Starts the continuous devices; on-demand ones start when first watched. */
    public void start() {
        demand.ifOpen(() -> {
            for (Device d : devices) {
                if (!d.onDemand()) {
                    threadsById.get(d.id()).forEach(SensorThread::start);
                }
            }
        });
    }

    /**
     * The first step of a reload, before {@link #stop}: on the loop, the hub's demand stops reaching
     * this set, so that no monitor's subscribe can start one of its threads while or after it stops.
     */
    public void detach(Hub hub) throws Exception {
        demand.detach(() -> hub.setDemandListener((device, wanted) -> { }));
    }

    /** Loop thread, once a second: reads that hang past their timeout are reported now. */
    public void checkTimeouts(long nowNanos) {
        for (SensorThread t : threads) {
            t.checkTimeout(nowNanos);
        }
    }

    /** Stops every thread, all at once, within {@code timeout} in total; then closes the resources. */
    public void stop(Duration timeout) throws InterruptedException {
        demand.close();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (SensorThread t : threads) {
            t.release(); // signal all first ...
        }
        boolean allStopped = true;
        for (SensorThread t : threads) { // ... then stop and wait for each
            long left = deadline - System.nanoTime();
            if (!t.stop(Duration.ofNanos(Math.max(1_000_000, left)))) {
                LOG.warn("{}: thread did not stop within {}", t.sensor().id(), timeout);
                allStopped = false;
            }
        }
        if (!allStopped) {
            // A read still hangs, maybe inside the Pi4J native layer: closing the board under it
            // could crash the JVM. The process is exiting anyway; the kernel releases the handles.
            return;
        }
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", r, e.getMessage());
            }
        }
    }

    public List<SensorThread> threads() {
        return List.copyOf(threads);
    }

    public List<Device> devices() {
        return devices;
    }

    public long refusedSamples() {
        long n = 0;
        for (SensorThread t : threads) {
            n += t.refusedSamples();
        }
        return n;
    }
}

package io.sensorcast.sensor;

import static io.sensorcast.testing.ModelThreads.check;
import static io.sensorcast.testing.ModelThreads.runAll;

import io.sensorcast.hub.Hub;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jetbrains.lincheck.Lincheck;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The hand-over of the hub's demand from one sensor set to the next on a reload, model-checked:
 * Lincheck runs a monitor that comes and goes against a reload, through every interleaving it can
 * reach, and after each one the old set reads nothing and the new one reads exactly while watched.
 *
 * <p>The model keeps {@link DemandSchedule} as it is and stands in for the rest: the loop thread is a
 * lock (loop tasks never overlap, and a task submitted and waited for runs whole between two of
 * them), its timers fire when the monitor's thread says so, a device's threads are a flag, and the
 * hub is its demand count and its one listener. The reload does what {@code Service.reload} does:
 * detach the old set, stop it ({@code SensorSet.stop}: close, then the threads), register the new one.
 */
@Tag("lincheck")
class DemandHandOverModelTest {

    private static final String DEVICE = "probe";
    private static final Hub.DemandListener NOBODY = (device, wanted) -> { };

    /** The loop thread as a lock; timers run when {@link #fireTimers} is called, all due at once. */
    static final class ModelLoop implements DemandSchedule.Loop {
        final Object thread = new Object();
        final List<Runnable> timers = new ArrayList<>(); // guarded by thread
        long now;                                        // guarded by thread

        @Override
        public void run(Runnable task) {
            synchronized (thread) {
                task.run();
            }
        }

        @Override
        public void schedule(long delayNanos, Runnable task) {
            timers.add(task); // called from a loop task: the lock is held
        }

        @Override
        public long now() {
            return now;
        }

        /** Lets a grace period pass and runs what fell due, and what that scheduled, a few rounds at most. */
        void fireTimers() {
            run(() -> {
                for (int round = 0; round < 3 && !timers.isEmpty(); round++) {
                    now += Duration.ofHours(1).toNanos();
                    List<Runnable> due = new ArrayList<>(timers);
                    timers.clear();
                    due.forEach(Runnable::run);
                }
            });
        }
    }

    /** One set's device: whether its thread runs, and what was asked of it after the set stopped. */
    static final class ModelDevice implements DemandSchedule.Devices {
        volatile boolean running;
        volatile boolean stopped;
        volatile int startsAfterStop;
        volatile int releasesAfterStop;

        @Override
        public void start(String device) {
            if (stopped) {
                startsAfterStop++;
            }
            running = true;
        }

        @Override
        public void release(String device) {
            if (stopped) {
                releasesAfterStop++;
            }
            running = false;
        }

        /** SensorSet.stop's second half: every thread is told to end and joined. */
        void stopThreads() {
            stopped = true;
            running = false;
        }
    }

    /** The hub's side: how many watch the device, and who is told when that leaves or reaches zero. Loop thread. */
    static final class ModelHub {
        int watchers;
        Hub.DemandListener listener = NOBODY;

        void watch(int delta) {
            int before = watchers;
            watchers += delta;
            if ((before == 0) != (watchers == 0)) {
                listener.demandChanged(DEVICE, watchers > 0);
            }
        }

        /** What register does: the new listener, then reconcile tells it of every watched device. */
        void attach(Hub.DemandListener next) {
            listener = next;
            if (watchers > 0) {
                next.demandChanged(DEVICE, true);
            }
        }
    }

    private static DemandSchedule schedule(ModelLoop loop, ModelDevice device) {
        return new DemandSchedule(Map.of(DEVICE, Duration.ofSeconds(30)), loop, device);
    }

    @Test
    void noThreadOfTheOldSetRunsOnceAReloadHasBegunAndTheNewSetReadsExactlyWhileWatched() {
        Lincheck.runConcurrentTest(1_500, () -> {
            ModelLoop loop = new ModelLoop();
            ModelHub hub = new ModelHub();
            ModelDevice oldDevice = new ModelDevice();
            ModelDevice freshDevice = new ModelDevice();
            DemandSchedule old = schedule(loop, oldDevice);
            DemandSchedule fresh = schedule(loop, freshDevice);
            loop.run(() -> hub.attach(old));

            Thread monitor = new Thread(() -> {
                loop.run(() -> hub.watch(+1));  // subscribe
                loop.run(() -> hub.watch(-1));  // subscribe []
                loop.fireTimers();               // the grace period passes
                loop.run(() -> hub.watch(+1));  // subscribe again
            });
            Thread reload = new Thread(() -> {
                try {
                    old.detach(() -> hub.listener = NOBODY);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                old.close();
                oldDevice.stopThreads();
                loop.run(() -> hub.attach(fresh));
            });
            runAll(monitor, reload);
            loop.fireTimers();

            check(!oldDevice.running, "a thread of the old set runs after the reload: nothing will stop it");
            check(oldDevice.startsAfterStop == 0, "the old set started a thread after it stopped");
            check(oldDevice.releasesAfterStop == 0, "a release timer of the old set acted after the hand-over");
            check(freshDevice.running, "the monitor watches at the end: the new set reads");
        });
    }
}

package io.sensorcast.sensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.hub.ChannelInfo;
import io.sensorcast.hub.ChannelState;
import io.sensorcast.hub.StatusChange;
import io.sensorcast.testing.LogCapture;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A device's status as the device's thread and the loop's watchdog both report it: the watchdog
 * never waits for a log write of the device's thread (a stalled journal must not stall the loop),
 * and each change is still posted once per channel, in the order the changes were made.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeviceStatusTest {

    private static final List<ChannelInfo> CHANNELS = List.of(new ChannelInfo("dev.a", "A", ""), new ChannelInfo("dev.b", "B", ""));

    @Test
    void theWatchdogsReportDoesNotWaitForTheDeviceThreadStuckInItsLogWrite() throws Exception {
        LinkedBlockingQueue<StatusChange> posted = new LinkedBlockingQueue<>();
        DeviceStatus status = new DeviceStatus("dev", CHANNELS, posted::add);
        String timeout = "no reading within 5s (timeout)";
        long mark = LogCapture.mark();
        Thread device = new Thread(() -> status.error("bus busy"), "sensor-dev");
        Thread watchdog = new Thread(() -> status.error(timeout), "loop");
        try (LogCapture.Gate journal = LogCapture.hold("dev: bus busy")) {
            device.start();
            assertTrue(journal.awaitHeld(20, TimeUnit.SECONDS), "the device's thread is inside its log write");
            watchdog.start();
            String waitedOn = endOrWaitOn(watchdog, device);
            assertNull(waitedOn, "the watchdog waits on " + waitedOn + ", held by the device's thread while it writes the log");
        } finally {
            device.join(20_000);
            watchdog.join(20_000);
        }
        assertEquals(List.of(
                new StatusChange("dev.a", ChannelState.ERROR, "bus busy"),
                new StatusChange("dev.b", ChannelState.ERROR, "bus busy"),
                new StatusChange("dev.a", ChannelState.ERROR, timeout),
                new StatusChange("dev.b", ChannelState.ERROR, timeout)), new ArrayList<>(posted),
                "both changes, each once per channel, in the order they were made");
        assertEquals(1, LogCapture.count(mark, "dev: bus busy"), "logged once: " + LogCapture.since(mark));
        assertEquals(1, LogCapture.count(mark, "dev: " + timeout), "logged once: " + LogCapture.since(mark));
    }

    /**
     * Waits until {@code thread} has ended (null) or waits on a lock {@code owner} holds (the lock's
     * name): one or the other comes about whatever the timing.
     */
    static String endOrWaitOn(Thread thread, Thread owner) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() - deadline < 0) {
            if (lockOwner(thread) == owner.getId()) {
                return ManagementFactory.getThreadMXBean().getThreadInfo(thread.getId()).getLockName();
            }
            if (!thread.isAlive()) {
                return null;
            }
            Thread.sleep(2);
        }
        throw new AssertionError(thread.getName() + " neither ended nor waited on " + owner.getName() + " in 20 s");
    }

    /** The id of the thread holding the lock {@code thread} waits on, or -1. */
    static long lockOwner(Thread thread) {
        ThreadInfo info = ManagementFactory.getThreadMXBean().getThreadInfo(thread.getId());
        return info == null ? -1 : info.getLockOwnerId();
    }
}

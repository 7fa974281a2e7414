package io.sensorcast.sensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.loop.LoopInternals;
import io.sensorcast.testing.Json;
import io.sensorcast.testing.TestSensors;
import io.sensorcast.testing.TestServer;
import io.sensorcast.testing.WsTestClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A monitor that unsubscribes and subscribes again as fast as it can: each unsubscribe leaves the
 * on-demand device unwatched and starts its grace period, but the device has one pending release at
 * most, so the loop's timers and the heap stay where they were.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DemandTimersTest {

    private static final int ROUNDS = 10_000;
    private static final int BATCH = 100;
    private static final String NONE = "{\"type\":\"subscribe\",\"channels\":[]}";
    private static final String ALL = "{\"type\":\"subscribe\",\"channels\":\"*\"}";

    @Test
    void aMonitorTogglingItsSubscriptionLeavesOnePendingReleaseAndTheHeapFlat() throws Exception {
        Device probe = new Device("probe", List.of(TestSensors.constant("probe.value", "Probe", "", 1,
                Duration.ofSeconds(1))), Duration.ofSeconds(5), true, Duration.ofSeconds(30));
        try (TestServer server = TestServer.startDevices(TestServer.settings().build(), List.of(probe));
                WsTestClient ws = WsTestClient.connect(server.port(), "/ws")) {
            assertEquals("hello", Json.object(ws.readText()).get("type"));
            toggle(ws, BATCH); // the device has had its first release timer, and the loop its first warm-up
            int timersBefore = server.onLoop(() -> LoopInternals.timerCount(server.service().loop()));
            long heapBefore = usedHeapAfterGc();

            toggle(ws, ROUNDS);

            int timersAfter = server.onLoop(() -> LoopInternals.timerCount(server.service().loop()));
            long heapAfter = usedHeapAfterGc();
            assertTrue(timersAfter <= timersBefore, ROUNDS + " unsubscribes: " + timersBefore + " timers before, "
                    + timersAfter + " after");
            // A timer per unsubscribe holds about 70 bytes for 30 s: 0.7 MB here, before the fix.
            assertTrue(heapAfter - heapBefore < 256 * 1024, "heap grew by " + (heapAfter - heapBefore) + " bytes over "
                    + ROUNDS + " unsubscribes");
        }
    }

    /** {@code rounds} times unsubscribe and subscribe again, reading the answers batch by batch. */
    private static void toggle(WsTestClient ws, int rounds) throws Exception {
        for (int done = 0; done < rounds; done += BATCH) {
            for (int i = 0; i < BATCH; i++) {
                ws.sendText(NONE);
                ws.sendText(ALL);
            }
            int answers = 0;
            for (int read = 0; answers < 2 * BATCH && read < 100 * BATCH; read++) {
                if ("subscribed".equals(Json.object(ws.readText()).get("type"))) {
                    answers++;
                }
            }
            assertEquals(2 * BATCH, answers, "every subscribe is answered");
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) { // the smallest of a few: a collection may leave some garbage
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }
}

package io.sensorcast.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.cli.Service;
import io.sensorcast.cli.SystemdNotifier;
import io.sensorcast.testing.Json;
import io.sensorcast.testing.LogCapture;
import io.sensorcast.testing.NotifySocket;
import io.sensorcast.testing.RawHttp;
import io.sensorcast.testing.TestServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Liveness as systemd sees it: the server under a notification socket the test listens on, with
 * a 400 ms watchdog (pings every 200 ms). The loop is made to hang with a task that waits on a
 * latch: the pings must stop while it hangs and come back when it is released, and the loop's
 * age, read from outside it, must show the stall (and /healthz afterwards).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WatchdogTest {

    private static final long PID = ProcessHandle.current().pid();

    private NotifySocket systemd;
    private SystemdNotifier notifier;
    private Service service;
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void start() throws Exception {
        String name = "@sensorcast-watchdog-test-" + PID + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        systemd = NotifySocket.bind(name);
        notifier = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", name, "WATCHDOG_USEC", "400000",
                "WATCHDOG_PID", String.valueOf(PID)), PID);
        service = new Service(TestServer.settings().build(), List.of(), List.of(), notifier);
    }

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        service.stop();
        notifier.close();
        systemd.close();
    }

    /** Hangs the loop until {@link #release}; returns once the loop is inside the hang. */
    private void hangTheLoop() throws InterruptedException {
        CountDownLatch entered = new CountDownLatch(1);
        service.loop().execute(() -> {
            entered.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(entered.await(10, TimeUnit.SECONDS), "the loop ran the hanging task");
    }

    @Test
    void pingsStopWhileTheLoopHangsAndComeBackWhenItRuns() throws Exception {
        int port = service.start().getPort();
        List<String> first = systemd.awaitContaining("READY=1", 10_000);
        assertTrue(first.get(first.size() - 1).contains("STATUS=listening on http://127.0.0.1:" + port + "/"), first.toString());
        assertEquals(PID, systemd.lastSender());
        systemd.awaitContaining("WATCHDOG=1", 5000);
        systemd.awaitContaining("WATCHDOG=1", 5000);
        assertTrue(service.loopAlive());

        hangTheLoop();
        long hungAt = System.nanoTime();
        systemd.drain(); // a ping sent just before the hang began
        long mark = LogCapture.mark();
        // Two seconds, five watchdog intervals: systemd would have killed it long before.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (service.loopAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertFalse(service.loopAlive(), "seen from outside, the loop is stuck");
        assertTrue(service.loop().stats().lastIterationAgeNanos() >= TimeUnit.SECONDS.toNanos(2),
                service.loop().stats().lastIterationAgeNanos() + " ns");
        assertEquals(List.of(), systemd.drain(), "no ping while the loop hangs");
        service.checkLoop();
        service.checkLoop();
        if (LogCapture.installed()) {
            assertEquals(1, LogCapture.count(mark, "the event loop has completed no iteration for "), LogCapture.since(mark).toString());
            assertEquals(1, LogCapture.count(mark, "s: it is stuck; systemd's watchdog restarts the service if it stays so"));
        }

        double hungMs = (System.nanoTime() - hungAt) / 1e6;
        release.countDown();
        systemd.awaitContaining("WATCHDOG=1", 5000);
        assertTrue(service.loopAlive());
        service.checkLoop();
        if (LogCapture.installed()) {
            assertEquals(1, LogCapture.count(mark, "the event loop runs again"));
        }

        RawHttp.Response health = RawHttp.get(port, "/healthz");
        assertEquals(503, health.status(), "the stall is recent: " + health.text());
        Map<String, Object> body = Json.object(health.text());
        assertEquals("stuck", body.get("status"));
        @SuppressWarnings("unchecked")
        Map<String, Object> loop = (Map<String, Object>) body.get("loop");
        assertEquals(Boolean.TRUE, loop.get("alive"), "it answered: it runs again");
        assertTrue(((Number) loop.get("slowestRecentIterationMs")).doubleValue() >= hungMs, hungMs + " ms: " + loop);
        assertTrue(((Number) loop.get("lastIterationAgeMs")).doubleValue() < 2000, loop.toString());
        assertTrue(((Number) loop.get("longestRecentGapMs")).doubleValue() >= 2000,
                "the check outside the loop saw it go 2 s without an iteration: " + loop);

        service.stop();
        systemd.awaitContaining("STOPPING=1", 5000);
    }

    @Test
    void aLoopThatDiedSendsNoMorePings() throws Exception {
        service.start();
        systemd.awaitContaining("WATCHDOG=1", 10_000);
        // A fatal error is the one thing the loop does not survive (it lets the process restart).
        service.loop().execute(() -> {
            throw new InternalError("test: the loop dies");
        });
        assertTrue(service.loop().awaitTermination(10, TimeUnit.SECONDS), "the loop ended");
        assertFalse(service.loopAlive());
        systemd.drain();
        assertEquals(null, systemd.receive(1000), "no ping from a dead loop in 1 s, 2.5 watchdog intervals");
    }
}

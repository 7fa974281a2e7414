package io.sensorcast.sensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.hub.ChannelInfo;
import io.sensorcast.testing.Json;
import io.sensorcast.testing.TestServer;
import io.sensorcast.testing.WsTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Supervision and start timing through the real server: a hung read is reported and does not
 * delay other sensors; silence makes a channel stale; an on-demand device has one thread at most
 * however monitors come and go, and none after its grace period.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SupervisionTest {

    /** A sensor whose reads can be made to hang, counting how many threads are inside it at once. */
    static final class Probe implements Sensor {
        final String id;
        final Duration interval;
        final AtomicInteger openNow = new AtomicInteger();
        final AtomicInteger maxOpenAtOnce = new AtomicInteger();
        final AtomicInteger opens = new AtomicInteger();
        volatile CountDownLatch hang; // non-null: reads block on it

        Probe(String id, Duration interval) {
            this.id = id;
            this.interval = interval;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public List<ChannelInfo> channels() {
            return List.of(new ChannelInfo(id + ".value", id, ""));
        }

        @Override
        public Duration interval() {
            return interval;
        }

        @Override
        public void open() {
            opens.incrementAndGet();
            maxOpenAtOnce.accumulateAndGet(openNow.incrementAndGet(), Math::max);
        }

        @Override
        public void read(double[] values) throws Exception {
            CountDownLatch h = hang;
            if (h != null) {
                h.await(); // uninterruptible in spirit: only the test releases it
            }
            values[0] = 1;
        }

        @Override
        public void close() {
            if (openNow.get() > 0) {
                openNow.decrementAndGet();
            }
        }
    }

    private static Map<String, Object> nextOfType(WsTestClient ws, String type, String channel) throws Exception {
        for (int i = 0; i < 10_000; i++) {
            Map<String, Object> m = Json.object(ws.readText());
            if (type.equals(m.get("type")) && (channel == null || channel.equals(m.get("channel")))) {
                return m;
            }
        }
        throw new AssertionError("no " + type + " for " + channel + " in 10,000 messages");
    }

    @Test
    void aReadThatHangsPastItsTimeoutIsAnErrorAtOnceAndOtherSensorsKeepSampling() throws Exception {
        Probe hung = new Probe("hung", Duration.ofMillis(50));
        hung.hang = new CountDownLatch(1);
        Probe fine = new Probe("fine", Duration.ofMillis(50));
        List<Device> devices = List.of(
                new Device("hung", List.of(hung), Duration.ofMillis(300), false, Duration.ZERO),
                new Device("fine", List.of(fine), Duration.ofSeconds(5), false, Duration.ZERO));
        try (TestServer server = TestServer.startDevices(TestServer.settings().build(), devices);
                WsTestClient ws = WsTestClient.connect(server.port(), "/ws")) {
            // Silence may first make it stale (after 2 s); the watchdog's error follows within a second.
            Map<String, Object> status = nextOfType(ws, "status", "hung.value");
            if ("stale".equals(status.get("state"))) {
                status = nextOfType(ws, "status", "hung.value");
            }
            assertEquals("error", status.get("state"));
            assertEquals("no reading within 300ms (timeout)", status.get("message"));
            // The other device was never held up: its samples keep coming after the report.
            long seqBefore = ((Number) nextOfType(ws, "sample", "fine.value").get("seq")).longValue();
            long seqAfter = ((Number) nextOfType(ws, "sample", "fine.value").get("seq")).longValue();
            assertTrue(seqAfter > seqBefore);

            hung.hang.countDown(); // the device answers again: it recovers by itself
            hung.hang = null;
            Map<String, Object> ok = nextOfType(ws, "status", "hung.value");
            assertEquals("ok", ok.get("state"));
            assertEquals(1.0, ((Number) nextOfType(ws, "sample", "hung.value").get("v")).doubleValue());
        }
    }

    @Test
    void aChannelWhoseSamplesStopGoesStaleAndRecovers() throws Exception {
        Probe slow = new Probe("slow", Duration.ofMillis(100));
        List<Device> devices = List.of(new Device("slow", List.of(slow), Duration.ofSeconds(30), false, Duration.ZERO));
        try (TestServer server = TestServer.startDevices(TestServer.settings().build(), devices);
                WsTestClient ws = WsTestClient.connect(server.port(), "/ws")) {
            nextOfType(ws, "sample", "slow.value");
            CountDownLatch gate = new CountDownLatch(1);
            slow.hang = gate; // reads stall, but well within the 30 s timeout: silence, not error
            Map<String, Object> stale = nextOfType(ws, "status", "slow.value");
            assertEquals("stale", stale.get("state"));
            assertTrue(((String) stale.get("message")).startsWith("no sample for "), stale.toString());
            slow.hang = null;
            gate.countDown();
            assertEquals("ok", nextOfType(ws, "status", "slow.value").get("state"));
        }
    }

    @Test
    void onDemandDeviceRunsOnlyWhileWatchedWithOneThreadAtMostUnderConcurrentMonitors() throws Exception {
        Probe probe = new Probe("ondemand", Duration.ofMillis(5));
        Probe other = new Probe("other", Duration.ofMillis(50));
        Duration grace = Duration.ofMillis(200);
        List<Device> devices = List.of(
                new Device("ondemand", List.of(probe), Duration.ofSeconds(5), true, grace),
                new Device("other", List.of(other), Duration.ofSeconds(5), false, Duration.ZERO));
        try (TestServer server = TestServer.startDevices(TestServer.settings().build(), devices)) {
            Thread.sleep(300);
            assertEquals(0, probe.opens.get(), "nobody watches: the on-demand device has not started");
            assertFalse(threadAlive("sensor-ondemand"));

            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                List<Future<?>> jobs = new ArrayList<>();
                for (int m = 0; m < 32; m++) {
                    int monitor = m;
                    jobs.add(pool.submit(() -> {
                        for (int round = 0; round < 5; round++) {
                            try (WsTestClient ws = WsTestClient.connect(server.port(), "/ws")) {
                                Json.object(ws.readText()); // hello: watching everything now
                                if ((monitor + round) % 2 == 0) {
                                    ws.sendText("{\"type\":\"subscribe\",\"channels\":[\"other.value\"]}");
                                    ws.sendText("{\"type\":\"subscribe\",\"channels\":\"*\"}");
                                }
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : jobs) {
                    f.get(30, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertTrue(probe.opens.get() >= 1, "watched at times: the device ran");
            assertEquals(1, probe.maxOpenAtOnce.get(), "never two threads inside the device at once");

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (threadAlive("sensor-ondemand") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertFalse(threadAlive("sensor-ondemand"), "no thread after the last monitor left and the grace passed");
            assertEquals(0, probe.openNow.get(), "and the device was closed");
            assertTrue(threadAlive("sensor-other"), "the continuous device runs on");

            try (WsTestClient ws = WsTestClient.connect(server.port(), "/ws")) {
                nextOfType(ws, "sample", "ondemand.value"); // watched again: it starts again
                assertEquals(1, countThreads("sensor-ondemand"));
            }
        }
    }

    private static boolean threadAlive(String name) {
        return countThreads(name) > 0;
    }

    private static long countThreads(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name) && t.isAlive()).count();
    }
}

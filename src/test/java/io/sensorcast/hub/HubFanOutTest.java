package io.sensorcast.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.config.Settings;
import io.sensorcast.loop.EventLoop;
import io.sensorcast.testing.MultiMonitorReader;
import io.sensorcast.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fan-out under concurrency (one door, coalesced wakeups, one shared frame per sample): eight producer threads post 100,000 samples
 * through the loop's door, as sensor threads do, while fifty monitors listen on /ws. With room
 * enough that nothing may legitimately be dropped, every monitor must see every sample exactly
 * once, and in order within each channel.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HubFanOutTest {

    private static final int MONITORS = 50;
    private static final int PRODUCERS = 8;
    private static final int TOTAL = 100_000;
    private static final int PER_CHANNEL = TOTAL / PRODUCERS;
    /**
     * Producers stay at most this many samples ahead of the slowest monitor. Not to keep anything
     * from being dropped (the cap below is far larger than this), but to keep the server's queues,
     * 50 references per sample, within the 64 MB test heap the server shares with this client.
     */
    private static final int WINDOW = 25_000;
    private static final byte[] SAMPLE = MonitorFrames.ascii("sample\"");
    private static final byte[] HELLO = MonitorFrames.ascii("hello\"");

    @Test
    void everyMonitorReceivesEverySampleExactlyOnceAndInOrderPerChannel() throws Exception {
        Settings settings = TestServer.settings()
                .outboundCapBytes(64 << 20)  // more than all 100,000 frames: no drop is legitimate
                .inboxCapacity(4096)         // small enough that producers may be refused and retry
                .pingInterval(Duration.ofMinutes(10)) // these monitors never answer pings
                .build();
        try (TestServer server = TestServer.start(settings, List.of())) {
            EventLoop loop = server.service().loop();
            Hub hub = server.service().hub();
            String[] ids = new String[PRODUCERS];
            for (int p = 0; p < PRODUCERS; p++) {
                ids[p] = "fan.p" + p;
                ChannelInfo info = new ChannelInfo(ids[p], "producer " + p, "");
                server.onLoop(() -> {
                    hub.register(info);
                    return null;
                });
            }

            // Reader-thread state, read here only after reader.close() joined that thread.
            long[][] next = new long[MONITORS][PRODUCERS];
            for (long[] row : next) {
                Arrays.fill(row, 1);
            }
            long[] samples = new long[MONITORS];
            int[] hellos = new int[MONITORS];
            long[] others = new long[MONITORS];
            AtomicLong errors = new AtomicLong();
            List<String> firstErrors = Collections.synchronizedList(new ArrayList<>());
            MultiMonitorReader.Listener listener = (m, opcode, b, off, len) -> {
                String problem = null;
                if (opcode == 0x1 && MonitorFrames.isType(b, off, len, SAMPLE)) {
                    int ch = MonitorFrames.channelDigit(b, off, len);
                    long seq = MonitorFrames.seq(b, off, len);
                    if (ch < 0 || ch >= PRODUCERS) {
                        problem = "monitor " + m + ": sample of an unknown channel";
                    } else {
                        if (seq != next[m][ch]) {
                            problem = "monitor " + m + ", " + ids[ch] + ": expected seq " + next[m][ch] + ", got " + seq;
                        }
                        next[m][ch] = seq + 1; // resynchronise so that one gap is reported once
                    }
                    samples[m]++;
                } else if (opcode == 0x1 && MonitorFrames.isType(b, off, len, HELLO)) {
                    hellos[m]++;
                    if (samples[m] > 0) {
                        problem = "monitor " + m + ": hello after samples";
                    }
                } else {
                    others[m]++;
                    problem = "monitor " + m + ": unexpected frame, opcode " + opcode + ": "
                            + new String(b, off, Math.min(len, 200), java.nio.charset.StandardCharsets.UTF_8);
                }
                if (problem != null && errors.incrementAndGet() <= 10) {
                    firstErrors.add(problem);
                }
            };

            AtomicLong refusedSeen = new AtomicLong();
            AtomicInteger gaveUp = new AtomicInteger();
            MultiMonitorReader reader = MultiMonitorReader.connect(server.port(), "/ws", MONITORS, listener);
            try {
                assertTrue(reader.awaitFrames(1, 20_000), "every monitor got its hello");
                assertEquals(MONITORS, (int) server.onLoop(hub::monitorCount));

                AtomicLong posted = new AtomicLong();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                List<Thread> producers = new ArrayList<>();
                for (int p = 0; p < PRODUCERS; p++) {
                    String id = ids[p];
                    Thread t = new Thread(() -> {
                        for (long seq = 1; seq <= PER_CHANNEL; seq++) {
                            if ((seq & 255) == 0) {
                                while (posted.get() - (reader.minFrames() - 1) > WINDOW) {
                                    if (System.nanoTime() - deadline > 0) {
                                        gaveUp.incrementAndGet();
                                        return;
                                    }
                                    LockSupport.parkNanos(1_000_000);
                                }
                            }
                            Sample s = new Sample(id, seq, System.currentTimeMillis() * 1000, seq);
                            while (!loop.post(s)) { // inbox full: retry, as a status post does
                                refusedSeen.incrementAndGet();
                                if (System.nanoTime() - deadline > 0) {
                                    gaveUp.incrementAndGet();
                                    return;
                                }
                                LockSupport.parkNanos(20_000);
                            }
                            posted.incrementAndGet();
                        }
                    }, "producer-" + p);
                    producers.add(t);
                    t.start();
                }
                for (Thread t : producers) {
                    t.join(TimeUnit.SECONDS.toMillis(70));
                }
                assertEquals(0, gaveUp.get(), "producers that gave up after 60 s");
                assertEquals(TOTAL, posted.get());
                long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (reader.minFrames() < 1 + TOTAL && errors.get() == 0 && System.nanoTime() - waitUntil < 0) {
                    Thread.sleep(10);
                }
            } finally {
                reader.close();
            }
            assertNull(reader.failure(), "the client reader failed");

            assertEquals(List.of(), firstErrors, errors.get() + " problems; the first ones");
            for (int m = 0; m < MONITORS; m++) {
                assertEquals(1, hellos[m], "hellos for monitor " + m);
                assertEquals(TOTAL, samples[m], "samples for monitor " + m);
                assertEquals(0, others[m], "other frames for monitor " + m);
                for (int p = 0; p < PRODUCERS; p++) {
                    assertEquals(PER_CHANNEL + 1, next[m][p], "monitor " + m + " stopped early on " + ids[p]);
                }
            }
            assertEquals(0L, (long) server.onLoop(loop.stats()::droppedFrames), "frames dropped by the server");
            assertEquals((long) TOTAL * MONITORS, (long) server.onLoop(hub::framesQueued), "frames queued: one per sample per monitor");
            System.out.println("refused posts seen by producers: " + refusedSeen.get() + ", wakeups: " + loop.wakeupChannel().wakeups());
            assertEquals(refusedSeen.get(), loop.wakeupChannel().refused(), "refused posts: what the producers saw, and counted");
        }
    }
}

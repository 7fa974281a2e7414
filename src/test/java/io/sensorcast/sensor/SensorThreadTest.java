package io.sensorcast.sensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.config.Settings;
import io.sensorcast.hub.ChannelInfo;
import io.sensorcast.hub.ChannelState;
import io.sensorcast.hub.Sample;
import io.sensorcast.hub.StatusChange;
import io.sensorcast.loop.EventLoop;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A sensor's thread (only the loop touches sockets, schedules use the monotonic clock, failure stays local): it posts samples with consecutive per-channel seq
 * through the loop's door, reports a failing or impossible read once as an error and recovery once
 * as ok, backs off while failing, and stops (closing the sensor) when asked.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SensorThreadTest {

    private static final Duration INTERVAL = Duration.ofMillis(10);

    /** What the loop received, in order (the hub's place, recorded on the loop thread). */
    private final LinkedBlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private final List<SensorThread> threads = new ArrayList<>();
    private EventLoop loop;

    private EventLoop startLoop(int inboxCapacity) throws IOException {
        Settings settings = Settings.builder().bind("127.0.0.1").port(0).deviceName("test").inboxCapacity(inboxCapacity).build();
        loop = new EventLoop(settings);
        loop.setMessageHandler(received::add);
        loop.start();
        return loop;
    }

    @AfterEach
    void stop() throws Exception {
        for (SensorThread t : threads) {
            assertTrue(t.stop(Duration.ofSeconds(5)), "sensor thread stops");
        }
        if (loop != null) {
            loop.shutdown();
            assertTrue(loop.awaitTermination(5, TimeUnit.SECONDS));
        }
    }

    /** One read of a scripted sensor: fill values for read number n (from 1), or throw. */
    @FunctionalInterface
    interface Script {
        void read(int n, double[] values) throws Exception;
    }

    /** A device "dev" with channels dev.a and dev.b, read by a script; counts reads and closes. */
    static final class ScriptedSensor implements Sensor {
        final Script script;
        final AtomicInteger reads = new AtomicInteger();
        final AtomicInteger closes = new AtomicInteger();
        final AtomicReference<String> closedOn = new AtomicReference<>();

        ScriptedSensor(Script script) {
            this.script = script;
        }

        @Override
        public String id() {
            return "dev";
        }

        @Override
        public List<ChannelInfo> channels() {
            return List.of(new ChannelInfo("dev.a", "A", ""), new ChannelInfo("dev.b", "B", ""));
        }

        @Override
        public Duration interval() {
            return INTERVAL;
        }

        @Override
        public void read(double[] values) throws Exception {
            script.read(reads.incrementAndGet(), values);
        }

        @Override
        public void close() {
            closes.incrementAndGet();
            closedOn.set(Thread.currentThread().getName());
        }
    }

    private SensorThread start(ScriptedSensor sensor) {
        SensorThread t = new SensorThread(sensor, loop);
        threads.add(t);
        t.start();
        return t;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(5);
        }
    }

    private long samplesReceived() {
        return received.stream().filter(m -> m instanceof Sample).count();
    }

    /** Stops the thread, then waits until the loop has handled everything it posted. */
    private List<Object> stopAndCollect(SensorThread t) throws Exception {
        assertTrue(t.stop(Duration.ofSeconds(5)));
        loop.submit(() -> null).get(10, TimeUnit.SECONDS); // the inbox is FIFO: earlier posts are handled
        return new ArrayList<>(received);
    }

    private static List<StatusChange> statuses(List<Object> messages) {
        List<StatusChange> out = new ArrayList<>();
        for (Object m : messages) {
            if (m instanceof StatusChange s) {
                out.add(s);
            }
        }
        return out;
    }

    private static List<Sample> samples(List<Object> messages, String channel) {
        List<Sample> out = new ArrayList<>();
        for (Object m : messages) {
            if (m instanceof Sample s && s.channel().equals(channel)) {
                out.add(s);
            }
        }
        return out;
    }

    // ---- tests ---------------------------------------------------------------------------------------

    @Test
    void subMillisecondSchedulesAreReadInBurstsNotOneWakeupPerRead() throws Exception {
        startLoop(65536);
        int reads = 10_000; // at 20,000 a second: half a second
        long[] at = new long[reads];
        AtomicInteger n = new AtomicInteger();
        Sensor fast = new Sensor() {
            @Override public String id() { return "fast"; }
            @Override public List<ChannelInfo> channels() { return List.of(new ChannelInfo("fast.v", "v", "")); }
            @Override public Duration interval() { return Duration.ofNanos(50_000); }
            @Override public void read(double[] values) {
                int i = n.getAndIncrement();
                if (i < reads) {
                    at[i] = System.nanoTime();
                }
                values[0] = i;
            }
        };
        SensorThread t = new SensorThread(fast, loop);
        threads.add(t);
        t.start();
        await("10,000 reads", () -> n.get() >= reads);
        t.stop(Duration.ofSeconds(5));
        // A burst: reads less than 25 µs apart, so taken in one wake-up (a read here costs well
        // under a microsecond, a post a few). One wake-up a read, as before, spaces them by the
        // schedule's 50 µs: about 5,000 bursts for these 10,000 reads on a quiet machine (measured:
        // 5,028). A millisecond's worth a wake-up makes about 500; on a busy machine preemption
        // splits some bursts (measured: 918 with another benchmark and a build running), while the
        // old schedule, falling behind, could only burst more, never less.
        int bursts = 1;
        for (int i = 1; i < reads; i++) {
            if (at[i] - at[i - 1] >= 25_000) {
                bursts++;
            }
        }
        assertTrue(bursts <= reads / 4, bursts + " bursts for " + reads + " reads (one wake-up a read makes about "
                + reads / 2 + ", one a millisecond about " + reads / 20 + ")");
    }

    /**
     * Two devices of one interval, started half an interval apart, read at the same instants after
     * their first read: an idle loop is then woken once for both, not once each.
     */
    @Test
    void devicesOfOneIntervalReadAtTheSameInstantsWhateverTheirStart() throws Exception {
        startLoop(64);
        Duration interval = Duration.ofMillis(300);
        List<Long> first = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Long> second = new java.util.concurrent.CopyOnWriteArrayList<>();
        SensorThread a = new SensorThread(timedSensor("a", interval, first), loop);
        SensorThread b = new SensorThread(timedSensor("b", interval, second), loop);
        threads.add(a);
        threads.add(b);
        a.start();
        Thread.sleep(interval.toMillis() / 2);
        b.start();
        await("four reads of each", () -> first.size() >= 4 && second.size() >= 4);
        // Each device's first read is at once (a monitor that just arrived gets a value); the rest
        // are on the common grid: each of b's lies within a quarter interval of one of a's, where
        // reads paced from each device's own start would lie half an interval apart.
        long quarter = interval.toNanos() / 4;
        for (long tb : second.subList(1, 4)) {
            long nearest = first.subList(1, first.size()).stream().mapToLong(ta -> Math.abs(ta - tb)).min().orElseThrow();
            assertTrue(nearest < quarter, "b read " + nearest / 1_000_000 + " ms from a's nearest read");
        }
    }

    private static Sensor timedSensor(String id, Duration interval, List<Long> readTimes) {
        return new Sensor() {
            @Override public String id() { return id; }
            @Override public List<ChannelInfo> channels() { return List.of(new ChannelInfo(id + ".v", id, "")); }
            @Override public Duration interval() { return interval; }
            @Override public void read(double[] values) {
                readTimes.add(System.nanoTime());
                values[0] = 1;
            }
        };
    }

    @Test
    void aSensorThatThrowsIsReportedAsErrorOnceWithItsMessageAndOkOnceAfterItRecovers() throws Exception {
        startLoop(1024);
        String message = "cannot read /dev/i2c-1: No such device";
        ScriptedSensor sensor = new ScriptedSensor((n, v) -> {
            if (n <= 4) {
                throw new IOException(message);
            }
            v[0] = n;
            v[1] = -n;
        });
        SensorThread t = start(sensor);
        await("a few samples after the recovery", () -> samplesReceived() >= 10);
        List<Object> messages = stopAndCollect(t);

        assertTrue(sensor.reads.get() >= 5, "it retried");
        assertEquals(List.of(
                new StatusChange("dev.a", ChannelState.ERROR, message),
                new StatusChange("dev.b", ChannelState.ERROR, message),
                new StatusChange("dev.a", ChannelState.OK, ""),
                new StatusChange("dev.b", ChannelState.OK, "")), statuses(messages),
                "one error per channel for four failed reads, then one ok each");
        // The statuses come first: no sample before the recovery.
        assertTrue(messages.get(0) instanceof StatusChange && messages.get(1) instanceof StatusChange
                && messages.get(2) instanceof StatusChange && messages.get(3) instanceof StatusChange, messages.subList(0, 5).toString());
        assertEquals(5.0, samples(messages, "dev.a").get(0).value(), "the first sample is the first good read");
    }

    @Test
    void eachDifferentErrorIsReportedOnceAndARepeatedOneIsNot() throws Exception {
        startLoop(1024);
        ScriptedSensor sensor = new ScriptedSensor((n, v) -> {
            if (n <= 2) {
                throw new IOException("bus busy");
            }
            if (n <= 4) {
                throw new IllegalStateException(); // no message: reported by its class name
            }
            v[0] = 1;
            v[1] = 2;
        });
        SensorThread t = start(sensor);
        await("samples after the recovery", () -> samplesReceived() >= 2);
        List<StatusChange> got = statuses(stopAndCollect(t));
        List<String> seen = new ArrayList<>();
        for (StatusChange s : got) {
            if (s.channel().equals("dev.a")) {
                seen.add(s.state() + ":" + s.message());
            }
        }
        assertEquals(List.of("ERROR:bus busy", "ERROR:IllegalStateException", "OK:"), seen);
    }

    @Test
    void notANumberIsAnErrorNamingTheChannelAndNeverASample() throws Exception {
        startLoop(1024);
        ScriptedSensor sensor = new ScriptedSensor((n, v) -> {
            v[0] = n;
            v[1] = n <= 3 ? Double.NaN : n;
        });
        SensorThread t = start(sensor);
        await("samples after the recovery", () -> samplesReceived() >= 4);
        List<Object> messages = stopAndCollect(t);

        List<StatusChange> got = statuses(messages);
        assertEquals(4, got.size(), got.toString());
        for (int i = 0; i < 2; i++) {
            assertEquals(ChannelState.ERROR, got.get(i).state());
            assertTrue(got.get(i).message().contains("dev.b"), "names the channel: " + got.get(i).message());
            assertTrue(got.get(i).message().contains("NaN"), "says what it read: " + got.get(i).message());
        }
        assertEquals(ChannelState.OK, got.get(2).state());
        for (Object m : messages) {
            if (m instanceof Sample s) {
                assertTrue(Double.isFinite(s.value()), "a sample with " + s.value());
            }
        }
        assertEquals(4.0, samples(messages, "dev.a").get(0).value(), "the reads with NaN posted nothing, for any channel");
    }

    @Test
    void samplesCarryConsecutiveSeqPerChannelFromOneInReadOrder() throws Exception {
        startLoop(1024);
        ScriptedSensor sensor = new ScriptedSensor((n, v) -> {
            v[0] = n;
            v[1] = 1000 + n;
        });
        SensorThread t = start(sensor);
        await("50 reads", () -> samplesReceived() >= 100);
        List<Object> messages = stopAndCollect(t);
        assertEquals(List.of(), statuses(messages));
        for (String ch : List.of("dev.a", "dev.b")) {
            List<Sample> got = samples(messages, ch);
            assertEquals(sensor.reads.get(), got.size(), "one sample per read on " + ch);
            for (int i = 0; i < got.size(); i++) {
                Sample s = got.get(i);
                assertEquals(i + 1, s.seq(), ch);
                assertEquals((ch.equals("dev.a") ? 0 : 1000) + i + 1, s.value(), "sample " + s.seq() + " is read " + (i + 1));
            }
        }
    }

    @Test
    void retriesBackOffWhileTheSensorKeepsFailing() throws Exception {
        startLoop(1024);
        ScriptedSensor sensor = new ScriptedSensor((n, v) -> {
            throw new IOException("unplugged");
        });
        SensorThread t = start(sensor);
        Thread.sleep(600);
        stopAndCollect(t);
        int reads = sensor.reads.get();
        // At a 10 ms interval, retrying without back-off would read about 60 times in 600 ms;
        // doubling from 10 ms reads about 7 times (10+20+40+80+160+320 ms). A slow machine only
        // lowers the count.
        assertTrue(reads >= 2, "it retried: " + reads);
        assertTrue(reads <= 15, "retried " + reads + " times in 600 ms");
    }

    @Test
    void stopEndsTheThreadAndClosesTheSensorOnceOnItsOwnThread() throws Exception {
        startLoop(1024);
        ScriptedSensor sensor = new ScriptedSensor((n, v) -> {
            v[0] = n;
            v[1] = n;
        });
        SensorThread t = new SensorThread(sensor, loop);
        t.start();
        await("some samples", () -> samplesReceived() >= 4);
        assertTrue(t.stop(Duration.ofSeconds(5)), "stopped in time");
        assertFalse(t.isAlive());
        assertEquals(1, sensor.closes.get());
        assertEquals("sensor-dev", sensor.closedOn.get(), "closed from the device's thread");
        int reads = sensor.reads.get();
        Thread.sleep(100);
        assertEquals(reads, sensor.reads.get(), "no read after stop");
    }

    @Test
    void stopInterruptsABlockingRead() throws Exception {
        startLoop(1024);
        CountDownLatch inRead = new CountDownLatch(1);
        ScriptedSensor sensor = new ScriptedSensor((n, v) -> {
            inRead.countDown();
            Thread.sleep(60_000); // a hung bus
        });
        SensorThread t = new SensorThread(sensor, loop);
        t.start();
        assertTrue(inRead.await(10, TimeUnit.SECONDS));
        assertTrue(t.stop(Duration.ofSeconds(5)), "stopped although the read hung");
        assertEquals(1, sensor.closes.get());
    }

    @Test
    void samplesTheLoopRefusesAreCountedAndLeaveAGapInSeq() throws Exception {
        startLoop(4);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        loop.execute(() -> { // the loop is stuck: its inbox of four fills up
            blocked.countDown();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(blocked.await(10, TimeUnit.SECONDS));
        ScriptedSensor sensor = new ScriptedSensor((n, v) -> {
            v[0] = n;
            v[1] = n;
        });
        SensorThread t = start(sensor);
        try {
            await("samples refused", () -> t.refusedSamples() >= 10);
        } finally {
            release.countDown();
        }
        await("samples flow again", () -> samplesReceived() >= 20);
        List<Object> messages = stopAndCollect(t);

        assertEquals(t.refusedSamples(), loop.wakeupChannel().refused(), "the thread counts what the loop refused");
        long delivered = samplesReceived();
        assertEquals(2L * sensor.reads.get(), delivered + t.refusedSamples(), "every sample delivered or counted");
        for (String ch : List.of("dev.a", "dev.b")) {
            List<Sample> got = samples(messages, ch);
            long prev = 0;
            boolean gap = false;
            for (Sample s : got) {
                assertTrue(s.seq() > prev, ch + ": seq " + s.seq() + " after " + prev);
                gap |= s.seq() > prev + 1;
                prev = s.seq();
                assertEquals(s.seq(), (long) s.value(), "seq counts reads, refused ones included");
            }
            assertTrue(gap, ch + ": the refused samples show as a gap");
        }
    }

    @Test
    void anEdgeAndAReadRacingOnOneChannelReachTheLoopInSeqAndTimeOrder() throws Exception {
        // A GPIO input: read 1 gives its level at start, read 2 waits for the test; edges arrive
        // through the sink from another thread, as Pi4J's callbacks do.
        Semaphore nextRead = new Semaphore(0);
        AtomicInteger reads = new AtomicInteger();
        AtomicReference<SampleSink> sink = new AtomicReference<>();
        AtomicReference<Double> level = new AtomicReference<>(0.0);
        EventSensor door = door(sink, values -> {
            if (reads.incrementAndGet() > 1) {
                nextRead.acquire();
            }
            values[0] = level.get();
        });
        // The edge's post is held on its way into the inbox: the moment a preempted thread has its
        // seq and time and has not posted yet.
        CountDownLatch edgeOnItsWay = new CountDownLatch(1);
        CountDownLatch letEdgeIn = new CountDownLatch(1);
        LinkedBlockingQueue<Sample> inbox = new LinkedBlockingQueue<>();
        SensorThread.Inbox held = new SensorThread.Inbox() {
            @Override
            public boolean sample(Sample s) {
                if (Thread.currentThread().getName().equals("edge")) {
                    edgeOnItsWay.countDown();
                    try {
                        letEdgeIn.await(20, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                inbox.add(s);
                return true;
            }

            @Override
            public void status(StatusChange c) {}
        };
        SensorThread t = new SensorThread(door, held, SensorThread.DEFAULT_TIMEOUT);
        threads.add(t);
        t.start();
        Sample first = inbox.poll(20, TimeUnit.SECONDS);
        assertEquals(1, first.seq(), "read 1");

        level.set(1.0);
        Thread edge = new Thread(() -> sink.get().emit(0, 1.0), "edge");
        edge.start();
        try {
            assertTrue(edgeOnItsWay.await(20, TimeUnit.SECONDS), "the edge is on its way in");
            Thread device = threadNamed("sensor-door");
            // Read 2 goes on (its sample is dropped if it began before the edge: it may be older), and read 3.
            nextRead.release(2);
            // Either read 2's sample gets in first, or the device's thread waits for the edge's
            // post to finish: one or the other comes about whatever the timing.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (inbox.isEmpty() && DeviceStatusTest.lockOwner(device) != edge.getId()) {
                assertTrue(System.nanoTime() - deadline < 0, "read 2 neither posted nor waited for the edge");
                Thread.sleep(2);
            }
        } finally {
            letEdgeIn.countDown();
            edge.join(20_000);
        }
        List<Sample> got = new ArrayList<>();
        while (got.size() < 2) {
            Sample s = inbox.poll(20, TimeUnit.SECONDS);
            assertTrue(s != null, "both samples arrive: " + got);
            got.add(s);
        }
        assertEquals(List.of(2L, 3L), List.of(got.get(0).seq(), got.get(1).seq()), "inbox order is seq order: " + got);
        assertTrue(first.epochMicros() <= got.get(0).epochMicros() && got.get(0).epochMicros() <= got.get(1).epochMicros(),
                "inbox order is time order: " + first + ", " + got);
        assertEquals(1.0, got.get(1).value(), "the newest value is the line's level");
    }

    @Test
    void aReadThatBeganBeforeAnEdgeDoesNotMoveTheChannelBackToTheOlderLevel() throws Exception {
        // Read 2 samples the line (still 0), then is slow to finish; the edge to 1 is posted
        // meanwhile. Its 0 is older than the edge and must not follow it into the inbox.
        Semaphore finishRead = new Semaphore(0);
        CountDownLatch sampled = new CountDownLatch(1);
        AtomicInteger reads = new AtomicInteger();
        AtomicReference<SampleSink> sink = new AtomicReference<>();
        AtomicReference<Double> level = new AtomicReference<>(0.0);
        EventSensor door = door(sink, values -> {
            values[0] = level.get();
            int n = reads.incrementAndGet();
            if (n == 2) {
                sampled.countDown();
            }
            if (n >= 2) {
                finishRead.acquire();
            }
        });
        LinkedBlockingQueue<Sample> inbox = new LinkedBlockingQueue<>();
        SensorThread t = new SensorThread(door, new SensorThread.Inbox() {
            @Override public boolean sample(Sample s) { return inbox.add(s); }
            @Override public void status(StatusChange c) {}
        }, SensorThread.DEFAULT_TIMEOUT);
        threads.add(t);
        t.start();
        assertEquals(0.0, inbox.poll(20, TimeUnit.SECONDS).value(), "read 1: the line is low");
        assertTrue(sampled.await(20, TimeUnit.SECONDS), "read 2 has sampled the line");
        level.set(1.0);
        sink.get().emit(0, 1.0); // the edge, while read 2 is still under way
        finishRead.release(2); // read 2 finishes; read 3 samples the line anew
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Sample s = inbox.poll(20, TimeUnit.SECONDS);
            assertTrue(s != null, "the edge and read 3 arrive: " + values);
            values.add(s.value());
        }
        assertEquals(List.of(1.0, 1.0), values, "after the edge to 1, the channel never goes back to 0");
    }

    /** A read of the door's line, as a test scripts it. */
    private interface LineRead {
        void read(double[] values) throws InterruptedException;
    }

    /** A GPIO input with one channel, door.state, whose edges go to the sink it is given. */
    private static EventSensor door(AtomicReference<SampleSink> sink, LineRead read) {
        return new EventSensor() {
            @Override public String id() { return "door"; }
            @Override public List<ChannelInfo> channels() { return List.of(new ChannelInfo("door.state", "door", "")); }
            @Override public Duration interval() { return INTERVAL; }
            @Override public void listen(SampleSink s) { sink.set(s); }
            @Override public void read(double[] values) throws InterruptedException { read.read(values); }
        };
    }

    private static Thread threadNamed(String name) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(name)) {
                return t;
            }
        }
        throw new AssertionError("no thread " + name);
    }
}

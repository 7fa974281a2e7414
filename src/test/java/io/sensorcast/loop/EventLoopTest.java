package io.sensorcast.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.config.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The loop on its own (no HTTP, no hub): the door for other threads, timers, and failure staying
 * local.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EventLoopTest {

    private static final String LOOP_THREAD = "sensorcast-loop";

    private final List<EventLoop> loops = new ArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void stopEverything() throws Exception {
        for (Socket s : sockets) {
            s.close();
        }
        for (EventLoop loop : loops) {
            loop.shutdown();
            assertTrue(loop.awaitTermination(5, TimeUnit.SECONDS), "loop stops");
        }
    }

    private EventLoop start(int inboxCapacity) throws IOException {
        Settings settings = Settings.builder().bind("127.0.0.1").port(0).deviceName("test").inboxCapacity(inboxCapacity).build();
        EventLoop loop = new EventLoop(settings);
        loops.add(loop);
        return loop;
    }

    private static void awaitTrue(String what, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.get()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(5);
        }
    }

    private static void assertAlive(EventLoop loop) throws Exception {
        assertEquals("alive", loop.submit(() -> "alive").get(10, TimeUnit.SECONDS));
        assertNull(loop.failure(), "the loop did not die");
    }

    // ---- the door ---------------------------------------------------------------------------------

    @Test
    void postsFromManyThreadsAreAllDeliveredOnTheLoopInPerThreadOrder() throws Exception {
        EventLoop loop = start(1024); // small: producers will outrun it and see refusals
        int producers = 8;
        int each = 10_000;
        int[] next = new int[producers]; // loop thread only
        AtomicLong delivered = new AtomicLong();
        AtomicInteger wrongThread = new AtomicInteger();
        AtomicInteger outOfOrder = new AtomicInteger();
        loop.setMessageHandler(m -> {
            if (!Thread.currentThread().getName().equals(LOOP_THREAD)) {
                wrongThread.incrementAndGet();
            }
            int[] pair = (int[]) Note.of(m);
            if (next[pair[0]] != pair[1]) {
                outOfOrder.incrementAndGet();
            }
            next[pair[0]] = pair[1] + 1;
            delivered.incrementAndGet();
        });
        loop.start();
        Thread.sleep(100); // let it reach select: the posts start on an idle loop

        AtomicLong refusedSeen = new AtomicLong();
        AtomicInteger gaveUp = new AtomicInteger();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int id = p;
            Thread t = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    int[] msg = {id, i};
                    while (!loop.post(new Note(msg))) {
                        refusedSeen.incrementAndGet();
                        if (System.nanoTime() - deadline > 0) {
                            gaveUp.incrementAndGet();
                            return;
                        }
                        LockSupport.parkNanos(10_000); // leave the two cores to the loop meanwhile
                    }
                }
            }, "producer-" + p);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(40));
        }
        assertEquals(0, gaveUp.get(), "producers that could not post within 30 s");
        awaitTrue("every post is delivered", () -> delivered.get() == (long) producers * each);
        assertEquals(0, wrongThread.get(), "messages handled off the loop thread");
        assertEquals(0, outOfOrder.get(), "messages out of order within a producer");
        assertEquals(refusedSeen.get(), loop.wakeupChannel().refused(), "every refusal counted, and only those");
        assertAlive(loop);
        assertEquals((long) producers * each, delivered.get(), "nothing more after the count was reached");
    }

    @Test
    void executeThrowsRejectedExecutionWhenTheInboxIsFull() throws Exception {
        EventLoop loop = start(8);
        loop.start();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        loop.execute(() -> {
            running.countDown();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(running.await(10, TimeUnit.SECONDS));
        try {
            AtomicInteger ran = new AtomicInteger();
            for (int i = 0; i < 8; i++) {
                loop.execute(ran::incrementAndGet);
            }
            RejectedExecutionException e = assertThrows(RejectedExecutionException.class, () -> loop.execute(ran::incrementAndGet));
            assertTrue(e.getMessage().contains("full"), e.getMessage());
            assertFalse(loop.post(new Note("one more")), "post says no instead of throwing");
            assertEquals(2, loop.wakeupChannel().refused());

            release.countDown();
            awaitTrue("the eight accepted tasks ran", () -> ran.get() == 8);
            assertAlive(loop);
            assertEquals(8, ran.get(), "the refused task never ran");
        } finally {
            release.countDown();
        }
    }

    @Test
    void executeThrowsRejectedExecutionAfterShutdown() throws Exception {
        EventLoop loop = start(16);
        loop.start();
        assertAlive(loop);
        loop.shutdown();
        assertTrue(loop.awaitTermination(5, TimeUnit.SECONDS));
        RejectedExecutionException e = assertThrows(RejectedExecutionException.class, () -> loop.execute(() -> { }));
        assertTrue(e.getMessage().contains("stopped"), e.getMessage());
        assertFalse(loop.post(new Note("late")));
        assertThrows(RejectedExecutionException.class, () -> loop.submit(() -> 1));
    }

    @Test
    void tasksWaitingInTheInboxAtShutdownStillRun() throws Exception {
        EventLoop loop = start(16);
        loop.start();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        loop.execute(() -> {
            running.countDown();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(running.await(10, TimeUnit.SECONDS));
        CompletableFuture<String> queued = loop.submit(() -> "ran");
        loop.shutdown();
        release.countDown();
        assertEquals("ran", queued.get(10, TimeUnit.SECONDS), "a caller waiting on a future is not left hanging");
        assertTrue(loop.awaitTermination(5, TimeUnit.SECONDS));
    }

    // ---- failure stays local ------------------------------------------------------------------------

    static Stream<Arguments> throwables() {
        return Stream.of(
                Arguments.of("IllegalStateException", (Supplier<Throwable>) () -> new IllegalStateException("task bug")),
                Arguments.of("AssertionError", (Supplier<Throwable>) () -> new AssertionError("assert in a task")),
                Arguments.of("StackOverflowError", (Supplier<Throwable>) StackOverflowError::new));
    }

    private static void sneakyThrow(Throwable t) {
        EventLoopTest.<RuntimeException>sneaky(t);
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneaky(Throwable t) throws T {
        throw (T) t;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("throwables")
    void aTaskThatThrowsDoesNotKillTheLoopAndTheNextTaskRuns(String name, Supplier<Throwable> failure) throws Exception {
        EventLoop loop = start(16);
        loop.start();
        CompletableFuture<String> next = new CompletableFuture<>();
        loop.execute(() -> sneakyThrow(failure.get()));
        loop.execute(() -> next.complete(Thread.currentThread().getName()));
        assertEquals(LOOP_THREAD, next.get(10, TimeUnit.SECONDS));
        assertAlive(loop);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("throwables")
    void aMessageHandlerThatThrowsDoesNotKillTheLoop(String name, Supplier<Throwable> failure) throws Exception {
        EventLoop loop = start(16);
        List<Object> handled = new ArrayList<>(); // loop thread only
        loop.setMessageHandler(m -> {
            if (Note.of(m).equals("bad")) {
                sneakyThrow(failure.get());
            }
            handled.add(Note.of(m));
        });
        loop.start();
        assertTrue(loop.post(new Note("bad")));
        assertTrue(loop.post(new Note("good")));
        assertEquals(List.of("good"), loop.submit(() -> List.copyOf(handled)).get(10, TimeUnit.SECONDS));
        assertAlive(loop);
    }

    // ---- timers -------------------------------------------------------------------------------------

    @Test
    void aTimerRunsOnTheLoopThreadAfterItsDelayAndNotBefore() throws Exception {
        EventLoop loop = start(1024);
        loop.setMessageHandler(m -> { });
        loop.start();
        long delay = TimeUnit.MILLISECONDS.toNanos(200);
        AtomicLong scheduledAt = new AtomicLong();
        CompletableFuture<Long> ranAt = new CompletableFuture<>();
        AtomicReference<String> thread = new AtomicReference<>();
        loop.submit(() -> {
            scheduledAt.set(System.nanoTime());
            loop.schedule(delay, () -> {
                thread.set(Thread.currentThread().getName());
                ranAt.complete(System.nanoTime());
            });
            return null;
        }).get(10, TimeUnit.SECONDS);
        // Keep the loop busy meanwhile: a timer must wait for its deadline even when other work
        // wakes the loop many times before it.
        long ran;
        Thread busy = new Thread(() -> {
            for (int i = 0; i < 20_000 && !ranAt.isDone(); i++) {
                loop.post(new Note(new Object()));
                LockSupport.parkNanos(200_000);
            }
        }, "keeps-the-loop-busy");
        busy.start();
        try {
            ran = ranAt.get(10, TimeUnit.SECONDS);
        } finally {
            busy.join(10_000);
        }
        assertTrue(loop.stats().iterations() > 10, "the loop was woken before the deadline, or the test proves little");
        assertTrue(ran - scheduledAt.get() >= delay, "ran " + (ran - scheduledAt.get()) / 1_000_000 + " ms after scheduling, before its delay");
        assertEquals(LOOP_THREAD, thread.get());
    }

    @Test
    void timersRunInDeadlineOrderNotSchedulingOrder() throws Exception {
        EventLoop loop = start(16);
        loop.start();
        List<String> order = new ArrayList<>(); // loop thread only
        CountDownLatch done = new CountDownLatch(3);
        loop.submit(() -> {
            loop.schedule(TimeUnit.MILLISECONDS.toNanos(300), () -> { order.add("300ms"); done.countDown(); });
            loop.schedule(TimeUnit.MILLISECONDS.toNanos(50), () -> { order.add("50ms"); done.countDown(); });
            loop.schedule(TimeUnit.MILLISECONDS.toNanos(150), () -> { order.add("150ms"); done.countDown(); });
            return null;
        }).get(10, TimeUnit.SECONDS);
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertEquals(List.of("50ms", "150ms", "300ms"), loop.submit(() -> List.copyOf(order)).get(10, TimeUnit.SECONDS));
    }

    @Test
    void aTimerThatThrowsDoesNotStopTheNextTimerOrTheLoop() throws Exception {
        EventLoop loop = start(16);
        loop.start();
        CountDownLatch second = new CountDownLatch(1);
        loop.submit(() -> {
            loop.schedule(TimeUnit.MILLISECONDS.toNanos(20), () -> {
                throw new IllegalStateException("timer bug");
            });
            loop.schedule(TimeUnit.MILLISECONDS.toNanos(20), second::countDown);
            return null;
        }).get(10, TimeUnit.SECONDS);
        assertTrue(second.await(10, TimeUnit.SECONDS));
        assertAlive(loop);
    }

    @Test
    void scheduleFromAnotherThreadIsRefused() throws Exception {
        EventLoop loop = start(16);
        loop.start();
        assertAlive(loop);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.schedule(1, () -> { }));
        assertTrue(e.getMessage().contains(Thread.currentThread().getName()), e.getMessage());
    }

    // ---- a protocol that throws -----------------------------------------------------------------------

    /** Echoes what it reads; input containing 'X' makes it throw. */
    private static class EchoOrThrow implements Protocol {
        private final Supplier<Throwable> failure;

        EchoOrThrow(Supplier<Throwable> failure) {
            this.failure = failure;
        }

        @Override
        public void onData(Connection c, ByteBuffer in) {
            byte[] b = new byte[in.remaining()];
            in.get(b);
            if (new String(b, StandardCharsets.US_ASCII).contains("X")) {
                sneakyThrow(failure.get());
            }
            c.send(OutboundFrame.answer(b));
        }
    }

    private Socket connect(InetSocketAddress address) throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.connect(new InetSocketAddress("127.0.0.1", address.getPort()), 5000);
        s.setSoTimeout(10_000);
        return s;
    }

    private static String roundTrip(Socket s, String text) throws IOException {
        byte[] out = text.getBytes(StandardCharsets.US_ASCII);
        s.getOutputStream().write(out);
        byte[] in = s.getInputStream().readNBytes(out.length);
        return new String(in, StandardCharsets.US_ASCII);
    }

    /** True if the peer closed (EOF or reset) within the socket's read timeout. */
    private static boolean closedByServer(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        try {
            return in.read() < 0;
        } catch (SocketException reset) {
            return true;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("throwables")
    void aProtocolThatThrowsClosesItsOwnConnectionOnly(String name, Supplier<Throwable> failure) throws Exception {
        EventLoop loop = start(16);
        loop.start();
        InetSocketAddress address = loop.listen(new InetSocketAddress("127.0.0.1", 0), c -> new EchoOrThrow(failure))
                .get(10, TimeUnit.SECONDS);
        Socket good = connect(address);
        Socket bad = connect(address);
        assertEquals("hello", roundTrip(good, "hello"));
        assertEquals("fine", roundTrip(bad, "fine"));

        bad.getOutputStream().write("X".getBytes(StandardCharsets.US_ASCII));
        assertTrue(closedByServer(bad), "the connection whose protocol threw is closed");

        assertEquals("still here", roundTrip(good, "still here"));
        assertAlive(loop);
        assertEquals(1, loop.submit(loop::connectionCount).get(10, TimeUnit.SECONDS));
        Socket later = connect(address);
        assertEquals("new", roundTrip(later, "new"), "and it still accepts");
    }

    @Test
    void aProtocolWhoseTimerThrowsAnErrorClosesItsOwnConnectionOnly() throws Exception {
        EventLoop loop = start(16);
        loop.start();
        AtomicInteger accepted = new AtomicInteger();
        InetSocketAddress address = loop.listen(new InetSocketAddress("127.0.0.1", 0), c -> {
            if (accepted.getAndIncrement() > 0) {
                return new EchoOrThrow(IllegalStateException::new);
            }
            return new EchoOrThrow(IllegalStateException::new) {
                @Override
                public void onTick(Connection connection, long nowNanos) {
                    throw new AssertionError("timeout bookkeeping bug");
                }
            };
        }).get(10, TimeUnit.SECONDS);
        Socket bad = connect(address);
        assertEquals("first", roundTrip(bad, "first")); // accepted first: it gets the throwing tick
        Socket good = connect(address);
        assertEquals("second", roundTrip(good, "second"));

        assertTrue(closedByServer(bad), "closed at the next sweep (about a second)");
        assertEquals("still here", roundTrip(good, "still here"));
        assertAlive(loop);
    }

    @Test
    void periodicTasksOfOnePeriodShareTheirWakeups() throws Exception {
        EventLoop loop = start(16);
        loop.start();
        long period = TimeUnit.MILLISECONDS.toNanos(100);
        List<Long> first = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Long> second = java.util.Collections.synchronizedList(new ArrayList<>());
        loop.submit(() -> {
            loop.every(period, () -> first.add(loop.stats().iterations()));
            return null;
        }).get(5, TimeUnit.SECONDS);
        Thread.sleep(30); // registered at another moment: it must still fall due with the first
        loop.submit(() -> {
            loop.every(period, () -> second.add(loop.stats().iterations()));
            return null;
        }).get(5, TimeUnit.SECONDS);
        awaitTrue("both ran four times", () -> second.size() >= 4);
        List<Long> firstRuns = loop.submit(() -> new ArrayList<>(first)).get(5, TimeUnit.SECONDS);
        List<Long> secondRuns = loop.submit(() -> new ArrayList<>(second)).get(5, TimeUnit.SECONDS);
        assertTrue(firstRuns.containsAll(secondRuns),
                "every run of the second task was in an iteration that ran the first: " + firstRuns + " vs " + secondRuns);
    }
}

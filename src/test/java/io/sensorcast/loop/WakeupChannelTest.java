package io.sensorcast.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The one door into the loop: a bounded inbox with a counted refusal,
 * FIFO hand-over in bounded batches, and coalesced wakeups. Driven by hand here, with a counting
 * stand-in selector, so that "exactly one wakeup" is a count, not a timing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WakeupChannelTest {

    private final CountingSelector selector = new CountingSelector();

    @AfterEach
    void closeSelector() {
        selector.close();
    }

    private static List<Object> drainAll(WakeupChannel ch, int max) {
        List<Object> out = new ArrayList<>();
        ch.drain(m -> out.add(Note.of(m)), max);
        return out;
    }

    @Test
    void offerReturnsFalseAndCountsTheRefusalWhenTheInboxIsFull() {
        WakeupChannel ch = new WakeupChannel(selector, 3);
        assertTrue(ch.offer(new Note("a")));
        assertTrue(ch.offer(new Note("b")));
        assertTrue(ch.offer(new Note("c")));
        assertEquals(0, ch.refused());

        assertFalse(ch.offer(new Note("d")));
        assertFalse(ch.offer(new Note("e")));
        assertEquals(2, ch.refused());
        assertEquals(3, ch.depth());
        assertEquals(3, ch.capacity());
        // The refused ones are gone, not queued somewhere else.
        assertEquals(List.of("a", "b", "c"), drainAll(ch, 10));

        assertTrue(ch.offer(new Note("f")), "room again after the drain");
        assertEquals(2, ch.refused());
    }

    @Test
    void aRefusedOfferDoesNotWakeTheLoop() {
        WakeupChannel ch = new WakeupChannel(selector, 1);
        assertTrue(ch.offer(new Note("a"))); // loop awake: no wakeup
        assertFalse(ch.prepareToSleep(), "a waiting message keeps the loop awake");
        assertFalse(ch.offer(new Note("b")));
        assertEquals(0, ch.wakeups());
        assertEquals(0, selector.wakeupCalls());
    }

    @Test
    void capacityBelowOneIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new WakeupChannel(selector, 0));
    }

    @Test
    void drainHandsOverInFifoOrderAndAtMostMax() {
        WakeupChannel ch = new WakeupChannel(selector, 100);
        for (int i = 0; i < 10; i++) {
            assertTrue(ch.offer(new Note(i)));
        }
        List<Object> first = new ArrayList<>();
        assertEquals(4, ch.drain(m -> first.add(Note.of(m)), 4));
        assertEquals(List.of(0, 1, 2, 3), first);
        assertEquals(6, ch.depth());

        List<Object> rest = new ArrayList<>();
        assertEquals(6, ch.drain(m -> rest.add(Note.of(m)), 100));
        assertEquals(List.of(4, 5, 6, 7, 8, 9), rest);
        assertEquals(0, ch.drain(rest::add, 100), "nothing left");
    }

    @Test
    void drainKeepsPerProducerOrderWithManyProducers() throws Exception {
        int producers = 4;
        int each = 5_000;
        WakeupChannel ch = new WakeupChannel(selector, producers * each);
        List<Thread> threads = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        for (int p = 0; p < producers; p++) {
            int id = p;
            Thread t = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    ch.offer(new Note(new int[] {id, i}));
                }
            }, "producer-" + p);
            threads.add(t);
            t.start();
        }
        start.countDown();
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(20));
            assertFalse(t.isAlive());
        }
        int[] next = new int[producers];
        int total = ch.drain(m -> {
            int[] pair = (int[]) Note.of(m);
            assertEquals(next[pair[0]], pair[1], "producer " + pair[0] + " out of order");
            next[pair[0]]++;
        }, producers * each);
        assertEquals(producers * each, total);
        assertEquals(0, ch.refused());
    }

    @Test
    void manyOffersWhileTheLoopSleepsCauseExactlyOneWakeup() throws Exception {
        WakeupChannel ch = new WakeupChannel(selector, 10_000);
        assertTrue(ch.prepareToSleep(), "empty inbox: the loop may block");

        int threads = 4;
        int each = 1_000;
        List<Thread> posters = new ArrayList<>();
        for (int p = 0; p < threads; p++) {
            Thread t = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    ch.offer(new Note(i));
                }
            }, "poster-" + p);
            posters.add(t);
            t.start();
        }
        for (Thread t : posters) {
            t.join(TimeUnit.SECONDS.toMillis(20));
        }
        assertEquals(threads * each, ch.depth());
        assertEquals(1, ch.wakeups(), "the counter");
        assertEquals(1, selector.wakeupCalls(), "the selector calls behind it");
    }

    @Test
    void noWakeupWhileTheLoopIsAwake() {
        WakeupChannel ch = new WakeupChannel(selector, 1_000);
        for (int i = 0; i < 500; i++) {
            assertTrue(ch.offer(new Note(i)));
        }
        assertEquals(0, ch.wakeups());
        assertEquals(0, selector.wakeupCalls());
    }

    @Test
    void afterWakingTheLoopPostsCostNothingUntilItPreparesToSleepAgain() {
        WakeupChannel ch = new WakeupChannel(selector, 1_000);

        assertTrue(ch.prepareToSleep());
        ch.offer(new Note("first"));
        ch.offer(new Note("second"));
        assertEquals(1, ch.wakeups());
        ch.awake();
        ch.offer(new Note("while draining"));
        assertEquals(1, ch.wakeups(), "the loop is running: no wakeup needed");
        assertEquals(3, ch.drain(m -> { }, 1_000));

        assertTrue(ch.prepareToSleep());
        ch.offer(new Note("next sleep"));
        assertEquals(2, ch.wakeups(), "one wakeup per sleep");
        assertEquals(2, selector.wakeupCalls());
    }

    @Test
    void prepareToSleepReturnsFalseWhenTheInboxIsNotEmpty() {
        WakeupChannel ch = new WakeupChannel(selector, 10);
        ch.offer(new Note("waiting"));
        assertFalse(ch.prepareToSleep());
        // And it must not leave the flag raised: the loop does not sleep, so no post should wake it.
        ch.offer(new Note("another"));
        assertEquals(0, ch.wakeups());
        assertEquals(0, selector.wakeupCalls());
    }

    /**
     * The Dekker pair behind the flag: the loop raises "sleeping" then looks at the inbox, a poster
     * fills the inbox then looks at the flag. Whatever the interleaving, either the loop sees the
     * message or the poster wakes it. Run the race many times; a lost wakeup shows as a select that
     * times out with a message waiting.
     */
    @Test
    void aPostRacingTheLoopGoingToSleepIsNeverLost() throws Exception {
        WakeupChannel ch = new WakeupChannel(selector, 16);
        int cycles = 100_000;
        AtomicInteger go = new AtomicInteger();
        AtomicInteger lost = new AtomicInteger();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        Thread producer = new Thread(() -> {
            for (int c = 1; c <= cycles; c++) {
                while (go.get() < c) {
                    if (System.nanoTime() - deadline > 0) {
                        return;
                    }
                    Thread.onSpinWait();
                }
                // Sweep the post across the loop's few instructions between raising the flag and
                // looking at the inbox.
                for (int spin = c % 8; spin > 0; spin--) {
                    Thread.onSpinWait();
                }
                ch.offer(new Note(c));
            }
        }, "racing-producer");
        producer.start();
        try {
            int received = 0;
            for (int c = 1; c <= cycles && System.nanoTime() - deadline < 0; c++) {
                go.set(c); // the producer posts now, racing with the next lines
                int got = 0;
                while (got == 0 && System.nanoTime() - deadline < 0) {
                    if (ch.prepareToSleep()) {
                        int woken = selector.select(200);
                        ch.awake();
                        if (woken == 0 && ch.depth() > 0) {
                            lost.incrementAndGet(); // slept with a message waiting and nobody woke us
                        }
                    }
                    got = ch.drain(m -> { }, 16);
                }
                received += got;
            }
            assertEquals(0, lost.get(), "lost wakeups");
            assertEquals(cycles, received);
        } finally {
            producer.join(TimeUnit.SECONDS.toMillis(45));
        }
    }

    /** The real thing once: a wakeup through the channel ends a real select. */
    @Test
    void aPostEndsABlockingSelectOnARealSelector() throws Exception {
        try (Selector real = Selector.open()) {
            WakeupChannel ch = new WakeupChannel(real, 10);
            assertTrue(ch.prepareToSleep());
            Thread poster = new Thread(() -> ch.offer(new Note("wake")), "poster");
            poster.start();
            // Without the wakeup this select would block for the full 30 s and the class timeout
            // would fail the test long before the assertion.
            real.select(30_000);
            poster.join(5_000);
            assertEquals(1, ch.depth());
            assertEquals(1, ch.wakeups());
        }
    }
}

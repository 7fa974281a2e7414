package io.sensorcast.loop;

import static io.sensorcast.testing.ModelThreads.check;
import static io.sensorcast.testing.ModelThreads.runAll;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jetbrains.lincheck.Lincheck;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The wakeup channel under Lincheck's model checker, which explores the interleavings of its
 * senders and the loop instead of hoping a stress test meets them.
 *
 * <p>The inbox is checked for linearizability against a plain bounded FIFO queue: an offer, a
 * withdraw (how a post takes a message back from a loop that closed) and the
 * loop's drain behave as if each happened at one instant, so nothing accepted is lost or delivered
 * twice and a refused message is gone. The status queue beside it and the wakeup are checked as
 * the loop uses them: a sensor thread's status and samples arrive each once, the status before the
 * samples that follow it, and a post never leaves the loop asleep with a message waiting. And a post
 * that races the loop's end is either delivered or refused, never accepted and forgotten.
 */
@Tag("lincheck")
@Param(name = "message", gen = IntGen.class, conf = "1:3")
public class WakeupChannelModelTest {

    private static final int CAPACITY = 2;

    private final WakeupChannel channel = new WakeupChannel(new CountingSelector(), CAPACITY);

    @Operation
    public boolean offer(@Param(name = "message") int message) {
        return channel.offer(new Note(message));
    }

    @Operation
    public boolean withdraw(@Param(name = "message") int message) {
        return channel.withdraw(new Note(message));
    }

    /** The loop's drain: one thread only, as in production. */
    @Operation(nonParallelGroup = "loop")
    public List<Object> drain() {
        List<Object> out = new ArrayList<>();
        channel.drain(m -> out.add(Note.of(m)), CAPACITY);
        return out;
    }

    /** The sequential specification: a bounded FIFO queue. */
    public static final class BoundedQueue {
        private final ArrayDeque<Object> queue = new ArrayDeque<>();

        public boolean offer(int message) {
            if (queue.size() == CAPACITY) {
                return false;
            }
            queue.add(message);
            return true;
        }

        public boolean withdraw(int message) {
            return queue.remove(message);
        }

        public List<Object> drain() {
            List<Object> out = new ArrayList<>(queue);
            queue.clear();
            return out;
        }
    }

    @Test
    void theInboxIsABoundedFifoQueueWhateverTheInterleaving() {
        new ModelCheckingOptions()
                .iterations(20)
                .invocationsPerIteration(200)
                .threads(2)
                .actorsPerThread(3)
                .sequentialSpecification(BoundedQueue.class)
                .check(WakeupChannelModelTest.class);
    }

    @Test
    void aStatusIsNeverBehindTheSamplesThatFollowItAndAPostAlwaysWakesASleepingLoop() {
        Lincheck.runConcurrentTest(1_000, () -> {
            CountingSelector selector = new CountingSelector();
            WakeupChannel ch = new WakeupChannel(selector, 4);
            List<Object> received = Collections.synchronizedList(new ArrayList<>());

            Thread sensor = new Thread(() -> {
                ch.offerControl(new Note("ok"));
                ch.offer(new Note("s1"));
                ch.offer(new Note("s2"));
            });
            Thread other = new Thread(() -> ch.offer(new Note("t1")));
            Thread loop = new Thread(() -> {
                // Bounded: each round either drains something or sleeps until a post wakes it.
                for (int round = 0; round < 12 && received.size() < 4; round++) {
                    ch.drain(m -> received.add(Note.of(m)), 4);
                    if (received.size() < 4 && ch.prepareToSleep()) {
                        selector.select(); // a lost wakeup blocks here for good, and Lincheck says so
                    }
                    ch.awake();
                }
            });
            runAll(sensor, other, loop);
            ch.drain(m -> received.add(Note.of(m)), 4); // what a loop out of rounds left

            check(received.size() == 4 && received.containsAll(List.of("ok", "s1", "s2", "t1")),
                    "each accepted message once: " + received);
            check(received.indexOf("ok") < received.indexOf("s1"), "the status came after the sample that followed it: " + received);
            check(received.indexOf("s1") < received.indexOf("s2"), "one sender's samples out of order: " + received);
        });
    }

    @Test
    void aPostRacingTheLoopsStopIsEitherDeliveredOrRefusedNeverAcceptedAndForgotten() {
        Lincheck.runConcurrentTest(1_000, () -> {
            WakeupChannel ch = new WakeupChannel(new CountingSelector(), 4);
            List<Object> delivered = Collections.synchronizedList(new ArrayList<>());
            boolean[] accepted = new boolean[3];

            Thread sensor = new Thread(() -> {
                accepted[0] = ch.offer(new Note("a"));
                accepted[1] = ch.offerControl(new Note("b"));
            });
            Thread other = new Thread(() -> accepted[2] = ch.offer(new Note("c")));
            Thread loop = new Thread(() -> { // an iteration, then what EventLoop does as it ends
                ch.drain(m -> delivered.add(Note.of(m)), 4);
                ch.close();
                ch.drain(m -> delivered.add(Note.of(m)), 4);
            });
            runAll(sensor, other, loop);

            List<String> sent = List.of("a", "b", "c");
            for (int i = 0; i < sent.size(); i++) {
                String m = sent.get(i);
                long times = delivered.stream().filter(m::equals).count();
                check(times == (accepted[i] ? 1 : 0), m + (accepted[i] ? " accepted" : " refused") + " but delivered "
                        + times + " times: " + delivered);
            }
        });
    }
}

package io.sensorcast.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameQueueTest {

    /** Frames told apart by their length; contents() prints them as "s3" (a sample of 3 bytes). */
    private static OutboundFrame sample(int len) {
        return OutboundFrame.sample(new byte[len]);
    }

    private static OutboundFrame control(int len) {
        return OutboundFrame.answer(new byte[len]);
    }

    /** A state of {@code key}; contents() prints it as "A3" (key A, 3 bytes). */
    private static OutboundFrame state(String key, int len) {
        return OutboundFrame.state(key, new byte[len]);
    }

    private static List<String> contents(FrameQueue q) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < q.size(); i++) {
            OutboundFrame f = q.get(i);
            out.add((f.key() != null ? f.key() : f.kind() == OutboundFrame.Kind.SAMPLE ? "s" : "c") + "" + f.length());
        }
        return out;
    }

    @Test
    void keepsOrderAcrossTheRingsWrapAndGrowth() {
        FrameQueue q = new FrameQueue();
        List<Integer> expected = new ArrayList<>();
        int next = 1;
        // Fill, take some from the head so the tail wraps, then grow past the first size twice.
        for (; next <= 12; next++) {
            q.addLast(sample(next));
            expected.add(next);
        }
        for (int i = 0; i < 10; i++) {
            assertEquals(expected.remove(0), q.pollFirst().length());
        }
        for (; next <= 60; next++) {
            q.addLast(sample(next));
            expected.add(next);
        }
        assertEquals(expected.size(), q.size());
        for (int i = 0; i < q.size(); i++) {
            assertEquals(expected.get(i), q.get(i).length(), "frame " + i);
        }
        while (!expected.isEmpty()) {
            assertEquals(expected.remove(0), q.pollFirst().length());
        }
        assertTrue(q.isEmpty());
        assertNull(q.pollFirst());
    }

    @Test
    void removesTheOldestSamplesUntilEnoughIsFreedAndKeepsEverythingElseInOrder() {
        FrameQueue q = new FrameQueue();
        for (OutboundFrame f : List.of(sample(1), control(2), sample(3), sample(4), control(5), sample(6))) {
            q.addLast(f);
        }
        // 1 + 3 = 4 bytes are not 5: the third sample goes too, the controls never.
        assertEquals(8, q.removeOldestSamples(0, 5));
        assertEquals(List.of("c2", "c5", "s6"), contents(q));
    }

    @Test
    void theFrameAtTheHeadCanBeSpared() {
        FrameQueue q = new FrameQueue();
        for (OutboundFrame f : List.of(sample(1), sample(3), control(5), sample(7))) {
            q.addLast(f);
        }
        assertEquals(10, q.removeOldestSamples(1, 100), "all samples but the head");
        assertEquals(List.of("s1", "c5"), contents(q));
        q.addLast(sample(9));
        assertEquals(List.of("s1", "c5", "s9"), contents(q), "the ring is consistent after a removal");
    }

    @Test
    void dropsAtTheHeadOfALongQueueLeaveTheRestAsItWas() {
        FrameQueue q = new FrameQueue();
        q.addLast(control(7));
        for (int i = 1; i <= 1_000; i++) {
            q.addLast(sample(10 + i % 3)); // 11, 12, 10, 11, ...
        }
        q.addLast(control(9));
        assertEquals(23, q.removeOldestSamples(0, 20), "the two oldest samples: 11 + 12 bytes");
        assertEquals(1_000, q.size());
        assertEquals(List.of("c7", "s10", "s11", "s12"), contents(q).subList(0, 4));
        assertEquals("c9", contents(q).get(999));
        // And once more with the head spared, past the control frame.
        assertEquals(10, q.removeOldestSamples(1, 1));
        assertEquals(List.of("c7", "s11", "s12", "s10"), contents(q).subList(0, 4));
        List<String> rest = new ArrayList<>();
        for (OutboundFrame f; (f = q.pollFirst()) != null; ) {
            rest.add((f.kind() == OutboundFrame.Kind.SAMPLE ? "s" : "c") + f.length());
        }
        assertEquals(999, rest.size());
        assertEquals("c9", rest.get(998), "the tail is untouched");
    }

    @Test
    void aStateReplacesTheQueuedOneOfItsKeyAndGoesToTheTail() {
        FrameQueue q = new FrameQueue();
        for (int i = 0; i < 14; i++) {
            q.addLast(sample(1)); // then taken, so that the frames below wrap around the ring's end
        }
        for (int i = 0; i < 14; i++) {
            q.pollFirst();
        }
        for (OutboundFrame f : List.of(control(2), state("A", 3), sample(4), state("B", 5), sample(6))) {
            q.addLast(f);
        }
        OutboundFrame newer = state(new String("A"), 7); // equal, not the same object
        assertEquals(3, q.supersede(0, newer).length());
        assertEquals(List.of("c2", "s4", "B5", "s6", "A7"), contents(q));
        assertEquals(5, q.size());
        assertEquals(5, q.supersede(0, state("B", 8)).length());
        assertEquals(List.of("c2", "s4", "s6", "A7", "B8"), contents(q));
        assertEquals(8, q.supersede(0, state("B", 9)).length(), "at the tail: replaced where it is");
        assertEquals(List.of("c2", "s4", "s6", "A7", "B9"), contents(q));
    }

    @Test
    void withoutAQueuedFrameOfItsKeyNothingChanges() {
        FrameQueue q = new FrameQueue();
        for (OutboundFrame f : List.of(state("A", 3), sample(4), OutboundFrame.pushed(new byte[5]))) {
            q.addLast(f);
        }
        assertNull(q.supersede(0, state("C", 7)), "no frame of key C");
        assertNull(q.supersede(1, state("A", 7)), "the head (partly written) is spared");
        assertEquals(List.of("A3", "s4", "c5"), contents(q));
    }

    @Test
    void aRunReplacedByOneFrameClosesTheGapAcrossTheRingsWrap() {
        FrameQueue q = new FrameQueue();
        for (int i = 0; i < 12; i++) {
            q.addLast(control(99)); // moves the head on, so the run below wraps the ring of 16
            q.pollFirst();
        }
        for (OutboundFrame f : List.of(control(1), sample(2), sample(3), sample(4), control(5), sample(6))) {
            q.addLast(f);
        }
        q.replaceRun(1, 3, OutboundFrame.samples(new byte[9], 3));
        assertEquals(List.of("c1", "s9", "c5", "s6"), contents(q));
        q.addLast(control(7));
        assertEquals(List.of("c1", "s9", "c5", "s6", "c7"), contents(q), "the tail goes on after the closed gap");
    }

    @Test
    void droppingAMergedFrameCountsEverySampleItCarries() {
        FrameQueue q = new FrameQueue();
        q.addLast(OutboundFrame.samples(new byte[10], 4));
        q.addLast(control(2));
        q.addLast(sample(3));
        assertEquals(13, q.removeOldestSamples(0, 11));
        assertEquals(5, q.removedSamples(), "4 in the merged frame and 1");
        assertEquals(List.of("c2"), contents(q));
    }
}

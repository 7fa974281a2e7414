package io.sensorcast.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimerQueueTest {

    @Test
    void nextTickIsTheFollowingMultipleOfThePeriod() {
        assertEquals(2_000, TimerQueue.nextTick(1_500, 1_000));
        assertEquals(3_000, TimerQueue.nextTick(2_000, 1_000), "a tick exactly now is not the next one");
        assertEquals(1_000, TimerQueue.nextTick(1, 1_000));
        // nanoTime may be negative: still the multiple above, not towards zero.
        assertEquals(-1_000, TimerQueue.nextTick(-1_500, 1_000));
        assertEquals(0, TimerQueue.nextTick(-1, 1_000));
    }

    @Test
    void dueTimersRunInDeadlineOrderThenInTheOrderScheduled() {
        TimerQueue timers = new TimerQueue();
        List<String> ran = new ArrayList<>();
        timers.schedule(200, () -> ran.add("b"));
        timers.schedule(100, () -> ran.add("a"));
        timers.schedule(200, () -> ran.add("c"));
        timers.schedule(300, () -> ran.add("later"));
        assertEquals(100, timers.nanosUntilNext(0, 1_000));
        timers.runDue(250, (task, e) -> ran.add("failed"));
        assertEquals(List.of("a", "b", "c"), ran);
        assertEquals(50, timers.nanosUntilNext(250, 1_000));
    }

    @Test
    void aTimerWithSlackWaitsForAnotherWakeupButNoLongerThanItsSlack() {
        TimerQueue timers = new TimerQueue();
        List<String> ran = new ArrayList<>();
        timers.schedule(1_000, 500, () -> ran.add("housekeeping"));
        assertEquals(1_500, timers.nanosUntilNext(0, 10_000), "alone, it wakes the loop only at its deadline plus slack");
        timers.runDue(900, (task, e) -> ran.add("failed"));
        assertEquals(List.of(), ran, "not before its deadline");
        timers.runDue(1_200, (task, e) -> ran.add("failed"));
        assertEquals(List.of("housekeeping"), ran, "a wakeup after its deadline runs it");
    }

    @Test
    void anExactTimerBehindOneWithSlackStillWakesTheLoopAtItsDeadline() {
        TimerQueue timers = new TimerQueue();
        timers.schedule(1_000, 500, () -> {});
        timers.schedule(1_200, () -> {});
        assertEquals(1_200, timers.nanosUntilNext(0, 10_000));
        timers.schedule(1_100, 50, () -> {});
        assertEquals(1_150, timers.nanosUntilNext(0, 10_000));
    }

    @Test
    void periodicTimersKeepTheirSlack() {
        TimerQueue timers = new TimerQueue();
        timers.every(0, 1_000_000_000L, 500_000_000L, () -> {});
        assertEquals(1_500_000_000L, timers.nanosUntilNext(0, Long.MAX_VALUE));
    }
}

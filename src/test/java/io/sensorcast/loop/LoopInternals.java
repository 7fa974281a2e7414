package io.sensorcast.loop;

/** What tests in other packages may see of a loop's insides. */
public final class LoopInternals {

    private LoopInternals() {
    }

    /** Loop thread: how many timers are queued, cancelled ones included. */
    public static int timerCount(EventLoop loop) {
        return loop.timerCount();
    }
}

package io.sensorcast.sensor.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A monotonic clock that moves only when told to, or by exactly what a driver sleeps; the sleep
 * also runs a hook, which is how a test changes /proc between a driver's two snapshots.
 */
final class FakeClock implements Monotonic {

    interface Hook {
        void run() throws IOException;
    }

    private long now = 1_000_000_000L;
    final List<Duration> sleeps = new ArrayList<>();
    private Hook onSleep = () -> {};

    @Override
    public long nanos() {
        return now;
    }

    @Override
    public void sleep(Duration d) {
        sleeps.add(d);
        now += d.toNanos();
        try {
            onSleep.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void advance(Duration d) {
        now += d.toNanos();
    }

    /** What happens (to the files) while the driver sleeps. */
    void onSleep(Hook hook) {
        this.onSleep = hook;
    }
}

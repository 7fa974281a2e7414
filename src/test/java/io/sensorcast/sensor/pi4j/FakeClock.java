package io.sensorcast.sensor.pi4j;

import java.time.Duration;
import java.util.function.LongSupplier;

/** A monotonic clock that moves only when the test says, so rates and debouncing need no sleeping. */
final class FakeClock implements LongSupplier {

    private long nanos = 1_000_000_000L;

    @Override
    public synchronized long getAsLong() {
        return nanos;
    }

    synchronized void advance(Duration d) {
        nanos += d.toNanos();
    }
}

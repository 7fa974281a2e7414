package io.sensorcast.sensor.system;

import java.time.Duration;

/**
 * The monotonic clock the rate drivers measure their windows with, and their way of waiting:
 * one seam, so that tests step time by hand and no test depends on how fast the machine is.
 */
interface Monotonic {

    long nanos();

    void sleep(Duration d) throws InterruptedException;

    Monotonic SYSTEM = new Monotonic() {
        @Override
        public long nanos() {
            return System.nanoTime();
        }

        @Override
        public void sleep(Duration d) throws InterruptedException {
            Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
        }
    };
}

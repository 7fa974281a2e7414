package io.sensorcast.sensor;

import java.time.Instant;

/**
 * Sample timestamps: wall-clock time, since that is what a person reads on a chart. Scheduling
 * never uses it (a Pi has no RTC and NTP steps the clock after boot).
 */
public final class WallClock {

    private WallClock() {}

    /** Microseconds since the epoch. */
    public static long micros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}

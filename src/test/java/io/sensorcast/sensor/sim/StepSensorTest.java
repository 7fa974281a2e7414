package io.sensorcast.sensor.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sensorcast.hub.ChannelInfo;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StepSensorTest {

    private final AtomicLong now = new AtomicLong(7_000_000_000L);

    private double at(StepSensor s, long millis) {
        now.set(7_000_000_000L + millis * 1_000_000L);
        double[] v = new double[1];
        s.read(v);
        return v[0];
    }

    @Test
    void alternatesBetweenTheTwoValuesEveryHold() {
        // 10 for [0, 3 s), 30 for [3 s, 6 s), 10 again from 6 s
        StepSensor s = new StepSensor("door", "Door", "", 2, 10, 30, Duration.ofSeconds(3), now::get);
        assertEquals(List.of(new ChannelInfo("door.step", "Door", "")), s.channels());
        assertEquals(10.0, at(s, 0));
        assertEquals(10.0, at(s, 2999));
        assertEquals(30.0, at(s, 3000));
        assertEquals(30.0, at(s, 5999));
        assertEquals(10.0, at(s, 6000));
        assertEquals(30.0, at(s, 9500));
    }

    @Test
    void theRateIsTheReadInterval() {
        assertEquals(Duration.ofMillis(500), new StepSensor("d", "", "", 2, 0, 1, Duration.ofSeconds(1), now::get).interval());
    }

    @Test
    void aHoldBelowOneMillisecondOrABadRateIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new StepSensor("d", "", "", 1, 0, 1, Duration.ofNanos(999_999), now::get));
        assertThrows(IllegalArgumentException.class, () -> new StepSensor("d", "", "", -1, 0, 1, Duration.ofSeconds(1), now::get));
    }
}

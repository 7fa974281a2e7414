package io.sensorcast.sensor.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sensorcast.hub.ChannelInfo;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SineSensorTest {

    private final AtomicLong now = new AtomicLong(5_000_000_000L);

    private double at(SineSensor s, double seconds) {
        now.set(5_000_000_000L + Math.round(seconds * 1e9));
        double[] v = new double[1];
        s.read(v);
        return v[0];
    }

    @Test
    void followsTheCurveOfTheMonotonicClock() {
        // mean 20, amplitude 5, period 60 s: 20 + 5 sin(2π t / 60)
        SineSensor s = new SineSensor("sim", "Sine", "", 10, 20, 5, 60, now::get);
        assertEquals(20.0, at(s, 0), 1e-9);
        assertEquals(25.0, at(s, 15), 1e-9);   // sin(π/2) = 1
        assertEquals(20.0, at(s, 30), 1e-9);   // sin(π) = 0
        assertEquals(15.0, at(s, 45), 1e-9);   // sin(3π/2) = -1
        assertEquals(22.5, at(s, 5), 1e-9);    // sin(π/6) = 0.5
        assertEquals(25.0, at(s, 75), 1e-9);   // a period later, the same as at 15 s
    }

    @Test
    void theRateIsTheReadInterval() {
        assertEquals(Duration.ofMillis(250), new SineSensor("sim", "", "", 4, 0, 1, 1, now::get).interval());
        assertEquals(Duration.ofNanos(1000), new SineSensor("sim", "", "", 1_000_000, 0, 1, 1, now::get).interval());
    }

    @Test
    void theDemoIsTheSlowWaveOnSimSine() {
        SineSensor demo = SineSensor.demo(1);
        assertEquals(List.of(new ChannelInfo("sim.sine", "Simulated sine", "")), demo.channels());
        assertEquals(Duration.ofSeconds(1), demo.interval());
    }

    @Test
    void ratesAndPeriodsThatMakeNoSenseAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new SineSensor("sim", "", "", 0, 0, 1, 1, now::get));
        assertThrows(IllegalArgumentException.class, () -> new SineSensor("sim", "", "", 2_000_000, 0, 1, 1, now::get));
        assertThrows(IllegalArgumentException.class, () -> new SineSensor("sim", "", "", Double.NaN, 0, 1, 1, now::get));
        assertThrows(IllegalArgumentException.class, () -> new SineSensor("sim", "", "", 1, 0, 1, 0, now::get));
    }
}

package io.sensorcast.sensor.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.hub.ChannelInfo;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class RandomWalkSensorTest {

    /** A walk whose uniform draws are the given numbers, in order. */
    private static RandomWalkSensor walk(double start, double step, double min, double max, Double... draws) {
        Iterator<Double> it = List.of(draws).iterator();
        return new RandomWalkSensor("room", "Room", "°C", 1, start, step, min, max, it::next);
    }

    private static double[] values(RandomWalkSensor w, int n) {
        double[] out = new double[n];
        double[] v = new double[1];
        for (int i = 0; i < n; i++) {
            w.read(v);
            out[i] = v[0];
        }
        return out;
    }

    @Test
    void eachReadMovesByTheDrawScaledToPlusMinusOneStep() {
        // move = (2u - 1) * step, step 0.5, from 20:
        // u 0.75 -> +0.25 -> 20.25; u 0.5 -> 0 -> 20.25; u 0.0 -> -0.5 -> 19.75; u 0.9 -> +0.4 -> 20.15
        RandomWalkSensor w = walk(20, 0.5, 0, 40, 0.75, 0.5, 0.0, 0.9);
        assertEquals(List.of(new ChannelInfo("room.walk", "Room", "°C")), w.channels());
        assertArrayEquals(new double[] {20.25, 20.25, 19.75, 20.15}, values(w, 4), 1e-12);
    }

    @Test
    void aStepPastABoundIsReflectedBackInside() {
        // from 9.5, step 1, u 0.9 -> +0.8 -> 10.3 > 10 -> 2 * 10 - 10.3 = 9.7
        assertArrayEquals(new double[] {9.7}, values(walk(9.5, 1, 0, 10, 0.9), 1), 1e-12);
        // from 0.2, step 1, u 0.0 -> -1 -> -0.8 < 0 -> 2 * 0 - (-0.8) = 0.8
        assertArrayEquals(new double[] {0.8}, values(walk(0.2, 1, 0, 10, 0.0), 1), 1e-12);
    }

    @Test
    void theSameSeedGivesTheSameWalkAndAnotherSeedAnother() {
        double[] a = values(new RandomWalkSensor("w", "", "", 100, 50, 2, 0, 100, 42L), 200);
        double[] b = values(new RandomWalkSensor("w", "", "", 100, 50, 2, 0, 100, 42L), 200);
        double[] c = values(new RandomWalkSensor("w", "", "", 100, 50, 2, 0, 100, 43L), 200);
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
    }

    @Test
    void aLongWalkNeverLeavesItsBoundsAndMovesAtMostOneStepAtATime() {
        double[] v = values(new RandomWalkSensor("w", "", "", 100, 1, 1, 0, 3, 7L), 20_000);
        double previous = 1;
        for (double x : v) {
            assertTrue(x >= 0 && x <= 3, "left the bounds: " + x);
            assertTrue(Math.abs(x - previous) <= 1 + 1e-12, "moved more than a step: " + previous + " -> " + x);
            previous = x;
        }
    }

    @Test
    void theRateIsTheReadInterval() {
        assertEquals(Duration.ofMillis(100), new RandomWalkSensor("w", "", "", 10, 0, 1, 0, 2, 1L).interval());
    }

    @Test
    void settingsThatCannotWorkAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new RandomWalkSensor("w", "", "", 1, 0, 5, 0, 2, 1L)); // step > range
        assertThrows(IllegalArgumentException.class, () -> new RandomWalkSensor("w", "", "", 1, 3, 1, 0, 2, 1L)); // start outside
        assertThrows(IllegalArgumentException.class, () -> new RandomWalkSensor("w", "", "", 1, 0, 1, 2, 2, 1L)); // min = max
        assertThrows(IllegalArgumentException.class, () -> new RandomWalkSensor("w", "", "", 0, 0, 1, 0, 2, 1L)); // rate 0
    }
}

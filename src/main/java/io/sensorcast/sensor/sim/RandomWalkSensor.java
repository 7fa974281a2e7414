package io.sensorcast.sensor.sim;

import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

/**
 * A simulated random walk within bounds: each read moves the value by a uniform random step in
 * [-step, +step) and reflects it off a bound it would cross, so it wanders like a real slow
 * quantity (a room's temperature) and never leaves [min, max].
 *
 * <p>The value is a function of the sample count and the seed, not of time: the same seed gives the
 * same sequence at any rate, which is what makes it usable in tests.
 */
public final class RandomWalkSensor extends SimulatedSensor {

    private final double step;
    private final double min;
    private final double max;
    private final DoubleSupplier uniform;
    private double value;

    /**
     * @param id            the device id; the channel is {@code id.walk}
     * @param ratePerSecond samples per second (0 < rate ≤ 1,000,000)
     * @param start         the value before the first step, within [min, max]
     * @param step          the largest move per sample, above 0 and at most max - min
     * @param seed          the random sequence; equal seeds give equal walks
     */
    public RandomWalkSensor(String id, String name, String unit, double ratePerSecond, double start, double step,
                            double min, double max, long seed) {
        this(id, name, unit, ratePerSecond, start, step, min, max, new SplittableRandom(seed)::nextDouble);
    }

    /** With {@code uniform} giving numbers in [0, 1): the test seam that fixes each step. */
    RandomWalkSensor(String id, String name, String unit, double ratePerSecond, double start, double step, double min,
                     double max, DoubleSupplier uniform) {
        super(id, "walk", name, unit, ratePerSecond);
        if (!(min < max) || !Double.isFinite(min) || !Double.isFinite(max)) {
            throw new IllegalArgumentException("bounds must be finite with min < max, were " + min + " and " + max);
        }
        if (!(start >= min && start <= max)) {
            throw new IllegalArgumentException("start " + start + " is outside [" + min + ", " + max + "]");
        }
        if (!(step > 0) || step > max - min) {
            // One reflection is enough only if a step is no wider than the range.
            throw new IllegalArgumentException("step must be above 0 and at most max - min (" + (max - min) + "), was " + step);
        }
        this.step = step;
        this.min = min;
        this.max = max;
        this.uniform = uniform;
        this.value = start;
    }

    @Override
    double next() {
        double next = value + (2 * uniform.getAsDouble() - 1) * step;
        if (next > max) {
            next = 2 * max - next;
        } else if (next < min) {
            next = 2 * min - next;
        }
        value = next;
        return value;
    }
}

package io.sensorcast.sensor.sysfs;

/**
 * A linear conversion from a source's number to the value shown: {@code (raw + offset) * scale},
 * the same order of operations as the IIO ABI's {@code _offset} and {@code _scale}.
 *
 * @param offset added first, in the source's unit
 * @param scale  multiplies the sum
 * @param unit   the symbol of the result ("°C", "hPa", "" for none)
 */
public record Conversion(double offset, double scale, String unit) {

    /** No change, no unit. */
    public static final Conversion NONE = new Conversion(0, 1, "");

    public Conversion {
        if (!Double.isFinite(offset) || !Double.isFinite(scale)) {
            throw new IllegalArgumentException("offset and scale must be finite numbers, were " + offset + " and " + scale);
        }
        if (unit == null) {
            unit = "";
        }
    }

    public double apply(double raw) {
        return (raw + offset) * scale;
    }
}

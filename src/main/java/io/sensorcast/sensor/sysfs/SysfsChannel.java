package io.sensorcast.sensor.sysfs;

import java.io.IOException;
import java.util.Objects;

/**
 * One channel of a {@link SysfsSensor}: where its number comes from and how it is converted.
 *
 * @param quantity   the channel id's last part ("temperature"); the id is {@code deviceId.quantity}
 * @param name       what the dashboard shows; blank means the id
 * @param source     the file(s) the number comes from
 * @param conversion {@code (raw + offset) * scale}, and the unit of the result
 */
public record SysfsChannel(String quantity, String name, NumberSource source, Conversion conversion) {

    public SysfsChannel {
        Objects.requireNonNull(quantity, "quantity");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(conversion, "conversion");
    }

    /** Any file holding a number: {@code value = (raw + offset) * scale}, shown in {@code unit}. */
    public static SysfsChannel file(String quantity, String name, java.nio.file.Path file, double offset, double scale,
                                    String unit) {
        return new SysfsChannel(quantity, name, new SysfsFile(file), new Conversion(offset, scale, unit));
    }

    /** An IIO channel in the usual unit for its type (°C, %, hPa, V; see {@link IioChannel}). */
    public static SysfsChannel iio(String quantity, String name, IioChannel channel) {
        return new SysfsChannel(quantity, name, channel, channel.standardConversion());
    }

    /** A hwmon attribute in the usual unit for its type (°C, V, %, RPM; see {@link HwmonAttribute}). */
    public static SysfsChannel hwmon(String quantity, String name, HwmonAttribute attribute) {
        return new SysfsChannel(quantity, name, attribute, attribute.standardConversion());
    }

    /** Reads and converts. */
    public double read() throws IOException {
        return conversion.apply(source.read());
    }
}

package io.sensorcast.sensor;

import io.sensorcast.hub.ChannelInfo;
import java.time.Duration;
import java.util.List;

/**
 * A device driver that is read on an interval: one device, one or more channels (a BME280 has
 * three). The contract every driver family implements; the rest of the program knows only this.
 *
 * <p>{@link #read} runs on the device's own thread and may block for I/O (sysfs, I2C); it never
 * touches the loop. The thread that calls it stamps the time and posts the samples.
 */
public interface Sensor extends AutoCloseable {

    /** The device id, unique in the configuration ("cpu", "greenhouse"). */
    String id();

    /** The channels this device measures, in the order {@link #read} fills them. */
    List<ChannelInfo> channels();

    /** How often to read. At most a few kHz for real hardware; the simulator goes higher. */
    Duration interval();

    /**
     * Acquires what {@link #read} needs: opens the bus device, checks the chip id, reads the
     * calibration. Called on the device's thread before the first read, and again (after
     * {@link #close()}) when a read failed, so a sensor that was unplugged recovers by itself.
     */
    default void open() throws Exception {}

    /**
     * Reads every channel once into {@code values} (same order as {@link #channels()}). Throws with
     * a message a person understands ("cannot read /sys/...: Permission denied") when it cannot.
     */
    void read(double[] values) throws Exception;

    /** Releases hardware handles; safe to call when not open. Called from the device's thread. */
    @Override
    default void close() throws Exception {}
}

package io.sensorcast.sensor.sysfs;

import io.sensorcast.hub.ChannelInfo;
import io.sensorcast.sensor.Sensor;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A device whose readings are numbers in sysfs files: an IIO sensor (a BME280 through the kernel's
 * bmp280 driver), a hwmon chip, or any attribute with a known scale. One device, one or more
 * channels, read in order; the first channel that cannot be read fails the whole read with a
 * message naming its file.
 *
 * <p>Construct with {@link #SysfsSensor(String, List, Duration)}, or {@link #bmx280} for the
 * common Bosch sensors.
 */
public final class SysfsSensor implements Sensor {

    private final String id;
    private final List<SysfsChannel> channels;
    private final List<ChannelInfo> infos;
    private final Duration interval;

    /**
     * @param deviceId  the device id ("greenhouse"); channel ids are {@code deviceId.quantity}
     * @param channels  at least one
     * @param interval  how often to read
     * @throws IllegalArgumentException if an id is outside the channel-id alphabet or repeats
     */
    public SysfsSensor(String deviceId, List<SysfsChannel> channels, Duration interval) {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(interval, "interval");
        if (channels.isEmpty()) {
            throw new IllegalArgumentException(deviceId + ": a sysfs device needs at least one channel");
        }
        List<ChannelInfo> list = new ArrayList<>();
        for (SysfsChannel c : channels) {
            ChannelInfo info = new ChannelInfo(deviceId + "." + c.quantity(), c.name(), c.conversion().unit());
            if (list.stream().anyMatch(i -> i.id().equals(info.id()))) {
                throw new IllegalArgumentException(deviceId + ": channel " + info.id() + " is configured twice");
            }
            list.add(info);
        }
        this.id = deviceId;
        this.channels = List.copyOf(channels);
        this.infos = List.copyOf(list);
        this.interval = interval;
    }

    /**
     * A Bosch BMP280 or BME280 read through the kernel's bmp280 IIO driver (on a Pi:
     * {@code dtoverlay=i2c-sensor,bme280}): channels {@code temperature} (°C), {@code pressure}
     * (hPa) and, when {@code chip} is "bme280", {@code humidity} (%).
     *
     * @param chip the IIO device name, "bme280" or "bmp280"
     */
    public static SysfsSensor bmx280(String deviceId, Path sysfsRoot, String chip, Duration interval) {
        List<SysfsChannel> list = new ArrayList<>();
        list.add(SysfsChannel.iio("temperature", "Temperature", IioChannel.byName(sysfsRoot, chip, "in_temp")));
        if (chip.equals("bme280")) {
            list.add(SysfsChannel.iio("humidity", "Relative humidity", IioChannel.byName(sysfsRoot, chip, "in_humidityrelative")));
        }
        list.add(SysfsChannel.iio("pressure", "Air pressure", IioChannel.byName(sysfsRoot, chip, "in_pressure")));
        return new SysfsSensor(deviceId, list, interval);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public List<ChannelInfo> channels() {
        return infos;
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public void read(double[] values) throws IOException {
        for (int i = 0; i < channels.size(); i++) {
            values[i] = channels.get(i).read();
        }
    }

    /** Nothing is held between reads. */
    @Override
    public void close() {}
}

package io.sensorcast.sensor.system;

import io.sensorcast.hub.ChannelInfo;
import io.sensorcast.sensor.Sensor;
import io.sensorcast.sensor.sysfs.HwmonAttribute;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A Raspberry Pi's under-voltage alarm as mainline Linux exposes it: the hwmon chip "rpi_volt"
 * (drivers/hwmon/raspberrypi-hwmon.c; Documentation/hwmon/raspberrypi-hwmon.rst), attribute
 * {@code in0_lcrit_alarm}, 0 or 1. Used where {@link ThrottleFlags}' get_throttled file does not
 * exist (mainline kernels), since it carries only this one flag.
 *
 * <p>The driver polls the firmware every 2 s, asks it to clear the sticky bits each time, and
 * reports the sticky under-voltage bit (16): so 1 means "under-voltage happened within the last
 * poll period", which is why the channel is an alarm, not "under-voltage now".
 */
public final class UnderVoltageAlarm implements Sensor {

    private final String id;
    private final HwmonAttribute attribute;
    private final Duration interval;
    private final List<ChannelInfo> channels;

    /**
     * @param deviceId the device id; the channel is {@code deviceId.under_voltage_alarm}, 0 or 1
     */
    public UnderVoltageAlarm(String deviceId, Path sysfsRoot, Duration interval) {
        this.id = deviceId;
        this.attribute = HwmonAttribute.byName(sysfsRoot, "rpi_volt", "in0_lcrit_alarm");
        this.interval = interval;
        this.channels = List.of(new ChannelInfo(deviceId + ".under_voltage_alarm", "Under-voltage alarm", ""));
    }

    /** Device "pi" when the rpi_volt hwmon chip can be read under {@code sysfsRoot}, else empty. */
    public static Optional<UnderVoltageAlarm> find(Path sysfsRoot, Duration interval) {
        UnderVoltageAlarm a = new UnderVoltageAlarm("pi", sysfsRoot, interval);
        try {
            a.attribute.read();
            return Optional.of(a);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public List<ChannelInfo> channels() {
        return channels;
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public void read(double[] values) throws IOException {
        double v = attribute.read();
        if (v != 0 && v != 1) {
            throw new IOException(attribute + " holds " + v + ", expected 0 or 1");
        }
        values[0] = v;
    }

    /** Nothing is held between reads. */
    @Override
    public void close() {}
}

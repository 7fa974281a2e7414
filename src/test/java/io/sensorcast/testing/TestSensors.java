package io.sensorcast.testing;

import io.sensorcast.hub.ChannelInfo;
import io.sensorcast.sensor.Sensor;
import io.sensorcast.sensor.sim.SineSensor;
import java.time.Duration;
import java.util.List;

/** Small sensors whose behaviour a test states: a fixed value, a failure, a sine at a known rate. */
public final class TestSensors {

    private TestSensors() {}

    /** Device {@code id}, channel {@code id + ".sine"}, {@code rate} samples per second. */
    public static Sensor sine(String id, String name, String unit, double rate) {
        return new SineSensor(id, name, unit, rate, 20, 5, 60);
    }

    /** One channel that always reads {@code value}. */
    public static Sensor constant(String channelId, String name, String unit, double value, Duration interval) {
        return new Fixed(channelId.substring(0, channelId.indexOf('.')), new ChannelInfo(channelId, name, unit),
                interval, value, null);
    }

    /** One channel whose every read throws with {@code message}, as a missing I2C device does. */
    public static Sensor failing(String channelId, String message, Duration interval) {
        return new Fixed(channelId.substring(0, channelId.indexOf('.')), new ChannelInfo(channelId, channelId, ""),
                interval, Double.NaN, message);
    }

    private record Fixed(String id, ChannelInfo channel, Duration interval, double value, String failure)
            implements Sensor {

        @Override
        public List<ChannelInfo> channels() {
            return List.of(channel);
        }

        @Override
        public void read(double[] values) throws Exception {
            if (failure != null) {
                throw new java.io.IOException(failure);
            }
            values[0] = value;
        }
    }
}

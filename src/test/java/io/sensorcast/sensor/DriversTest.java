package io.sensorcast.sensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.config.Config;
import io.sensorcast.config.ConfigLoader;
import io.sensorcast.hub.ChannelInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * From configuration text to running drivers, against the captured Raspberry Pi 4 tree: each
 * device type lands on the right driver with its keys, and the values read are the fixture's.
 */
class DriversTest {

    private static final Path PI4 = Path.of("src/test/resources/sysfs/pi4").toAbsolutePath();

    private static Config config(String devices) {
        ConfigLoader.Result r = ConfigLoader.fromTexts(Map.of("test.conf",
                "paths.sysfs = " + PI4 + "\n" + devices));
        assertTrue(r.ok(), r.errors().toString());
        return r.config();
    }

    private static double read(Sensor s, int channel) throws Exception {
        double[] v = new double[s.channels().size()];
        s.open();
        try {
            s.read(v);
        } finally {
            s.close();
        }
        return v[channel];
    }

    @Test
    void everyTypeBuildsItsDriverWithTheConfiguredIdsTimingAndMode() {
        Config c = config("""
                [device.greenhouse]
                type = bme280
                address = 0x77
                interval = 2s
                [device.soil]
                type = mcp3008
                inputs = 0, 3
                [device.door]
                type = gpio
                pin = 17
                [device.wind]
                type = counter
                pin = 27
                quantity = wind
                unit = km/h
                [device.probe]
                type = w1
                sensor = 28-0000075d5c1a
                [device.gpu]
                type = command
                command = vcgencmd measure_temp
                quantity = temperature
                timeout = 2s
                mode = on-demand
                grace = 10s
                """);
        Drivers.Built built = Drivers.build(c.devices(), c.settings());
        assertEquals(1, built.resources().size(), "one Pi4J board for the four Pi4J devices");
        Map<String, List<String>> channels = new java.util.LinkedHashMap<>();
        for (Device d : built.devices()) {
            channels.put(d.id(), d.sensors().stream().flatMap(s -> s.channels().stream()).map(ChannelInfo::id).toList());
        }
        assertEquals(Map.of(
                "greenhouse", List.of("greenhouse.temperature", "greenhouse.humidity", "greenhouse.pressure"),
                "soil", List.of("soil.ch0", "soil.ch3"),
                "door", List.of("door.state"),
                "wind", List.of("wind.wind"),
                "probe", List.of("probe.temperature"),
                "gpu", List.of("gpu.temperature")), channels);
        Device gpu = built.devices().get(5);
        assertTrue(gpu.onDemand());
        assertEquals(Duration.ofSeconds(10), gpu.grace());
        assertEquals(Duration.ofSeconds(2), gpu.timeout());
        assertEquals(Duration.ofSeconds(2), built.devices().get(0).sensors().get(0).interval());
    }

    @Test
    void fileDevicesReadTheCapturedTree() throws Exception {
        Config c = config("""
                [device.probe]
                type = w1
                sensor = 28-0000075d5c1a
                [device.bme]
                type = sysfs
                iio_device = %1$s/bus/iio/devices/iio:device0
                iio_channel = in_pressure
                quantity = pressure
                [device.board]
                type = sysfs
                path = %1$s/class/hwmon/hwmon0/temp1_input
                scale = 0.001
                quantity = temperature
                unit = °C
                """.formatted(PI4));
        List<Device> devices = Drivers.build(c.devices(), c.settings()).devices();
        // w1_slave "t=23125": millidegrees (DS18B20 datasheet, w1_therm's conversion)
        assertEquals(23.125, read(devices.get(0).sensors().get(0), 0), 1e-9);
        // IIO in_pressure_input is already processed, in kPa (sysfs-bus-iio): 100.934882812 kPa = 1009.34882812 hPa
        assertEquals(1009.34882812, read(devices.get(1).sensors().get(0), 0), 1e-6);
        // (48686 + 0) * 0.001 = 48.686
        assertEquals(48.686, read(devices.get(2).sensors().get(0), 0), 1e-9);
    }

    @Test
    void theSystemDeviceOffersWhatTheTreeHas() {
        Config c = config("[device.pi]\ntype = system\n");
        List<String> ids = Drivers.build(c.devices(), c.settings()).devices().get(0).sensors().stream()
                .flatMap(s -> s.channels().stream()).map(ChannelInfo::id).toList();
        assertTrue(ids.contains("cpu.temperature"), ids.toString());
        assertTrue(ids.contains("pi.under_voltage"), ids.toString());
    }

    @Test
    void simSignalsFollowTheirKeys() throws Exception {
        Config c = config("""
                [device.s]
                type = sim
                signal = step
                min = 1
                max = 9
                rate = 100
                """);
        Sensor step = Drivers.build(c.devices(), c.settings()).devices().get(0).sensors().get(0);
        assertEquals("s.step", step.channels().get(0).id());
        assertEquals(Duration.ofMillis(10), step.interval());
        assertEquals(1.0, read(step, 0), 1e-9, "a step starts at min");
    }
}

package io.sensorcast.sensor;

import io.sensorcast.config.CommandWords;
import io.sensorcast.config.DeviceConfig;
import io.sensorcast.config.ConfigError;
import io.sensorcast.config.Settings;
import io.sensorcast.config.Values;
import io.sensorcast.sensor.command.CommandSensor;
import io.sensorcast.sensor.pi4j.Bme280;
import io.sensorcast.sensor.pi4j.DigitalInput;
import io.sensorcast.sensor.pi4j.Edge;
import io.sensorcast.sensor.pi4j.Mcp3008;
import io.sensorcast.sensor.pi4j.Pi4jBoard;
import io.sensorcast.sensor.pi4j.Pull;
import io.sensorcast.sensor.pi4j.PulseCounter;
import io.sensorcast.sensor.sim.RandomWalkSensor;
import io.sensorcast.sensor.sim.SineSensor;
import io.sensorcast.sensor.sim.StepSensor;
import io.sensorcast.sensor.sysfs.IioChannel;
import io.sensorcast.sensor.sysfs.SysfsChannel;
import io.sensorcast.sensor.sysfs.SysfsSensor;
import io.sensorcast.sensor.system.SystemSensors;
import io.sensorcast.sensor.w1.W1Thermometer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Builds the driver for each configured device. Building touches no hardware (that is
 * {@link Sensor#open()}'s job, on the device's thread), so {@code sensorcast check} can list what
 * would run on any machine. The Pi4J board is made only when a device needs it.
 */
public final class Drivers {

    /** The devices to run and what to close after their threads stopped. */
    public record Built(List<Device> devices, List<AutoCloseable> resources) {}

    private Pi4jBoard board;

    private Drivers() {}

    /** The devices of a validated configuration. */
    public static Built build(List<DeviceConfig> configs, Settings settings) {
        Drivers drivers = new Drivers();
        List<Device> devices = new ArrayList<>();
        for (DeviceConfig d : configs) {
            devices.add(new Device(d.id(), drivers.sensors(d, settings), d.timeout(), d.onDemand(), d.grace()));
        }
        List<AutoCloseable> resources = drivers.board == null ? List.of() : List.of(drivers.board);
        return new Built(devices, resources);
    }

    /** The sensors of one device (one, except for system, which has one per source present). */
    public static List<Sensor> create(DeviceConfig d, Settings settings) {
        Drivers drivers = new Drivers();
        List<Sensor> sensors = drivers.sensors(d, settings);
        if (drivers.board != null) {
            drivers.board.close(); // nothing opened it: building is side-effect free
        }
        return sensors;
    }

    /**
     * What the schema cannot see: each device's driver is built (no hardware touched) and what it
     * refuses becomes a mistake at the device's type line, as do channel ids that two devices share
     * (the system device's fixed ids, say). {@code sensorcast check} and the server both run this.
     */
    public static List<ConfigError> validate(List<DeviceConfig> configs, Settings settings) {
        List<ConfigError> errors = new ArrayList<>();
        java.util.Map<String, String> channelOwner = new java.util.HashMap<>();
        for (DeviceConfig d : configs) {
            String[] at = d.origin().split(":(?=\\d+$)");
            String file = at[0];
            int line = at.length > 1 ? Integer.parseInt(at[1]) : 0;
            String key = "device." + d.id() + ".type";
            List<Sensor> sensors;
            try {
                sensors = create(d, settings);
            } catch (IllegalArgumentException e) {
                errors.add(new ConfigError(file, line, key, e.getMessage()));
                continue;
            }
            for (Sensor s : sensors) {
                for (var c : s.channels()) {
                    String other = channelOwner.putIfAbsent(c.id(), d.id());
                    if (other != null) {
                        errors.add(new ConfigError(file, line, key, "channel " + c.id() + " is also a channel of device "
                                + other + "; choose another device id or quantity"));
                    }
                }
            }
        }
        return errors;
    }

    private List<Sensor> sensors(DeviceConfig d, Settings s) {
        String id = d.id();
        return switch (d.type()) {
            case "system" -> SystemSensors.available(s.sysfsRoot, s.procfsRoot, Path.of(d.string("disk")), d.interval(),
                    d.list("interfaces"));
            case "sim" -> List.of(sim(d, s));
            case "sysfs" -> {
                SysfsChannel channel = d.has("path")
                        ? SysfsChannel.file(d.string("quantity"), d.name(), Path.of(d.string("path")), d.number("offset"),
                                d.number("scale"), d.string("unit"))
                        : SysfsChannel.iio(d.string("quantity"), d.name(),
                                IioChannel.at(Path.of(d.string("iio_device")), d.string("iio_channel")));
                yield List.of(new SysfsSensor(id, List.of(channel), d.interval()));
            }
            case "w1" -> List.of(new W1Thermometer(id, s.sysfsRoot.resolve("bus/w1/devices").resolve(d.string("sensor")),
                    d.interval()));
            case "bme280" -> List.of(new Bme280(board(), id, (int) d.integer("bus"), (int) d.integer("address"), d.interval()));
            case "mcp3008" -> List.of(new Mcp3008(board(), id, (int) d.integer("bus"), (int) d.integer("chip_select"),
                    d.list("inputs").stream().map(x -> (int) Values.integer(x)).toList(), d.number("vref"), d.interval()));
            case "gpio" -> List.of(new DigitalInput(board(), id, (int) d.integer("pin"), pull(d), d.duration("debounce"),
                    d.interval()));
            case "counter" -> List.of(new PulseCounter(board(), id, (int) d.integer("pin"), pull(d),
                    Edge.valueOf(d.string("edge").toUpperCase(Locale.ROOT)), d.duration("debounce"), d.string("quantity"),
                    d.string("unit"), d.number("factor"), d.interval()));
            // With shell = true the whole line goes to /bin/sh -c as one argument.
            case "command" -> List.of(CommandSensor.single(id, d.string("quantity"), d.string("unit"),
                    d.bool("shell") ? List.of(d.string("command")) : CommandWords.split(d.string("command")), d.bool("shell"),
                    d.string("pattern").isEmpty() ? null : d.string("pattern"), d.interval(), d.timeout()));
            default -> throw new IllegalArgumentException("device " + id + " (" + d.origin() + "): unknown type " + d.type());
        };
    }

    private static Sensor sim(DeviceConfig d, Settings s) {
        if (d.isBuiltIn()) {
            return SineSensor.demo(s.simRate); // the built-in channel takes its rate from --sim-rate
        }
        double rate = 1e9 / d.interval().toNanos();
        double min = d.number("min");
        double max = d.number("max");
        return switch (d.string("signal")) {
            case "random-walk" -> new RandomWalkSensor(d.id(), d.name(), d.string("unit"), rate, (min + max) / 2,
                    (max - min) / 50, min, max, d.id().hashCode());
            case "step" -> new StepSensor(d.id(), d.name(), d.string("unit"), rate, min, max, d.duration("period"));
            default -> new SineSensor(d.id(), d.name(), d.string("unit"), rate, (min + max) / 2, (max - min) / 2,
                    d.duration("period").toNanos() / 1e9);
        };
    }

    private static Pull pull(DeviceConfig d) {
        return switch (d.string("pull")) {
            case "up" -> Pull.UP;
            case "down" -> Pull.DOWN;
            default -> Pull.NONE;
        };
    }

    private Pi4jBoard board() {
        if (board == null) {
            board = Pi4jBoard.raspberryPi();
        }
        return board;
    }
}

package io.sensorcast.sensor;

import io.sensorcast.config.DeviceConfig;
import io.sensorcast.config.Settings;
import io.sensorcast.sensor.sim.SineSensor;
import io.sensorcast.sensor.system.CpuTemperature;
import io.sensorcast.sensor.system.LoadAverage;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the driver for each configured device. Building touches no hardware (that is
 * {@link Sensor#open()}'s job, on the device's thread), so {@code sensorcast check} can list what
 * would run on any machine.
 */
public final class Drivers {

    private Drivers() {}

    /** The sensors for a validated configuration's devices. */
    public static List<Sensor> create(List<DeviceConfig> devices, Settings settings) {
        List<Sensor> sensors = new ArrayList<>();
        for (DeviceConfig d : devices) {
            sensors.addAll(create(d, settings));
        }
        return sensors;
    }

    /** The sensors of one device (one, except for system, which has one per source). */
    public static List<Sensor> create(DeviceConfig d, Settings settings) {
        return switch (d.type()) {
            case "system" -> {
                List<Sensor> list = new ArrayList<>();
                CpuTemperature.find(settings.sysfsRoot, d.interval()).ifPresent(list::add);
                list.add(new LoadAverage(settings.procfsRoot, d.interval()));
                yield list;
            }
            // The built-in simulated channel takes its rate from --sim-rate.
            case "sim" -> List.of(new SineSensor(d.id(), d.isBuiltIn() ? "Simulated sine" : d.name(), d.string("unit"),
                    d.isBuiltIn() ? settings.simRate : 1e9 / d.interval().toNanos(),
                    (d.number("min") + d.number("max")) / 2, (d.number("max") - d.number("min")) / 2,
                    d.duration("period").toNanos() / 1e9));
            default -> throw new IllegalArgumentException("device " + d.id() + " (" + d.origin() + "): type "
                    + d.type() + " is not available in this build yet");
        };
    }
}

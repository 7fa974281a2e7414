package io.sensorcast.sensor.system;

import io.sensorcast.hub.ChannelInfo;
import io.sensorcast.sensor.Sensor;
import io.sensorcast.sensor.sysfs.Conversion;
import io.sensorcast.sensor.sysfs.HwmonAttribute;
import io.sensorcast.sensor.sysfs.SysfsChannel;
import io.sensorcast.sensor.sysfs.SysfsSensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The built-in system devices of any Linux machine, only those whose source exists under the given
 * roots: a container without thermal zones simply has no {@code cpu.temperature}, a PC no
 * {@code pi.*} flags. Like node_exporter's collectors, each reads procfs/sysfs under a root that is
 * a setting, so a captured tree stands in for a board in tests.
 *
 * <table>
 * <caption>Devices and channels</caption>
 * <tr><th>device</th><th>channels</th><th>source</th></tr>
 * <tr><td>cpu</td><td>cpu.temperature (°C)</td><td>{@link CpuTemperature}, sysfs class/thermal</td></tr>
 * <tr><td>cpu-usage</td><td>cpu-usage.busy (%)</td><td>{@link CpuUsage}, procfs stat</td></tr>
 * <tr><td>load</td><td>load.1m, load.5m, load.15m</td><td>{@link LoadAverage}, procfs loadavg</td></tr>
 * <tr><td>mem</td><td>mem.available (MiB), mem.used (%)</td><td>{@link MemoryUsage}, procfs meminfo</td></tr>
 * <tr><td>rootfs</td><td>rootfs.used (%), rootfs.available (MiB)</td><td>{@link FilesystemUsage}, statvfs</td></tr>
 * <tr><td>net-IFACE</td><td>net-IFACE.rx, net-IFACE.tx (B/s)</td><td>{@link NetworkThroughput}, procfs net/dev</td></tr>
 * <tr><td>pi</td><td>pi.under_voltage, pi.freq_capped, pi.throttled, pi.soft_temp_limit and
 *     the same with _occurred (0/1)</td><td>{@link ThrottleFlags}, sysfs get_throttled</td></tr>
 * <tr><td>pi</td><td>pi.under_voltage_alarm (0/1), only without get_throttled</td>
 *     <td>{@link UnderVoltageAlarm}, hwmon rpi_volt</td></tr>
 * <tr><td>fan</td><td>fan.speed (RPM), fan.pwm (%): a Pi 5's fan, or any the pwm-fan driver runs</td>
 *     <td>hwmon pwmfan: fan1_input, pwm1 (0-255)</td></tr>
 * <tr><td>rp1</td><td>rp1.temperature (°C), rp1.in1 to rp1.in4 (V): a Pi 5's RP1 chip and its ADC's inputs</td>
 *     <td>hwmon rp1_adc: temp1_input, in1_input to in4_input</td></tr>
 * </table>
 *
 * <p>The Pi 5's PMIC measures its rails too, but the kernel does not show them through hwmon
 * (only the firmware does, through vcgencmd pmic_read_adc): a {@code command} device reads those.
 */
public final class SystemSensors {

    private SystemSensors() {}

    /**
     * Every system device whose source is present.
     *
     * @param sysfsRoot  where sysfs is mounted ("/sys")
     * @param procfsRoot where procfs is mounted ("/proc")
     * @param mountPoint the file system to watch as "rootfs" ("/")
     * @param interval   how often each device is read
     * @param interfaces network interfaces to report, shell-style patterns ("eth*"); empty for all
     *                   but the loopback
     */
    public static List<Sensor> available(Path sysfsRoot, Path procfsRoot, Path mountPoint, Duration interval,
                                         List<String> interfaces) {
        List<Sensor> list = new ArrayList<>();
        CpuTemperature.find(sysfsRoot, interval).ifPresent(list::add);
        if (readable(() -> ProcStat.read(procfsRoot.resolve("stat")))) {
            list.add(new CpuUsage("cpu-usage", procfsRoot, interval));
        }
        LoadAverage load = new LoadAverage(procfsRoot, interval);
        if (readable(() -> {
            load.read(new double[3]);
            return load;
        })) {
            list.add(load);
        }
        if (MemoryUsage.availableUnder(procfsRoot)) {
            list.add(new MemoryUsage("mem", procfsRoot, interval));
        }
        if (readable(() -> Files.getFileStore(mountPoint))) {
            list.add(new FilesystemUsage("rootfs", mountPoint, interval));
        }
        list.addAll(NetworkThroughput.discover(procfsRoot, interval, interfaces));
        ThrottleFlags.find(sysfsRoot, interval).ifPresentOrElse(list::add,
                () -> UnderVoltageAlarm.find(sysfsRoot, interval).ifPresent(list::add));
        hwmonDevice("fan", sysfsRoot, "pwmfan", interval, List.of(
                new Reading("speed", "Fan speed", "fan1_input", null),
                // pwm1 is the duty cycle as 0-255 (Documentation/hwmon/sysfs-interface.rst): shown in %.
                new Reading("pwm", "Fan PWM duty", "pwm1", new Conversion(0, 100.0 / 255, "%")))).ifPresent(list::add);
        List<Reading> rp1 = new ArrayList<>();
        rp1.add(new Reading("temperature", "RP1 temperature", "temp1_input", null));
        for (int i = 1; i <= 4; i++) {
            rp1.add(new Reading("in" + i, "RP1 ADC input " + i, "in" + i + "_input", null));
        }
        hwmonDevice("rp1", sysfsRoot, "rp1_adc", interval, rp1).ifPresent(list::add);
        return list;
    }

    /** One channel of a hwmon chip: its attribute, in the attribute's usual unit unless {@code conversion} says otherwise. */
    private record Reading(String quantity, String name, String attribute, Conversion conversion) {}

    /**
     * A device of the hwmon chip named {@code chip}, with the readings it has now (a fan without a
     * tachometer has no fan1_input); none when it has none of them.
     */
    private static Optional<Sensor> hwmonDevice(String id, Path sysfsRoot, String chip, Duration interval, List<Reading> readings) {
        List<SysfsChannel> channels = new ArrayList<>();
        for (Reading r : readings) {
            HwmonAttribute a = HwmonAttribute.byName(sysfsRoot, chip, r.attribute());
            if (readable(a::read)) {
                channels.add(r.conversion() == null ? SysfsChannel.hwmon(r.quantity(), r.name(), a)
                        : new SysfsChannel(r.quantity(), r.name(), a, r.conversion()));
            }
        }
        return channels.isEmpty() ? Optional.empty() : Optional.of(new SysfsSensor(id, channels, interval));
    }

    /** The channels {@link #available} would give, in the same order. */
    public static List<ChannelInfo> channels(Path sysfsRoot, Path procfsRoot, Path mountPoint, List<String> interfaces) {
        List<ChannelInfo> all = new ArrayList<>();
        for (Sensor s : available(sysfsRoot, procfsRoot, mountPoint, Duration.ofSeconds(1), interfaces)) {
            all.addAll(s.channels());
        }
        return all;
    }

    @FunctionalInterface
    private interface Probe {
        Object run() throws IOException;
    }

    private static boolean readable(Probe p) {
        try {
            p.run();
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

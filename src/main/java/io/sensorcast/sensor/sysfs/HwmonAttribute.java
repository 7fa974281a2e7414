package io.sensorcast.sensor.sysfs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One attribute of a hardware-monitoring chip ({@code /sys/class/hwmon/hwmonN}), found by the
 * chip's {@code name} ("cpu_thermal" on a Pi, "rpi_volt", "rp1_adc" and "pwmfan" on a Pi 5) or by
 * directory.
 *
 * <p>Units per Documentation/hwmon/sysfs-interface.rst: {@code temp*} millidegrees Celsius,
 * {@code in*} millivolts, {@code curr*} milliamperes, {@code power*} microwatts, {@code energy*}
 * microjoules, {@code humidity*} milli-percent, {@code fan*} RPM, {@code pwm*} 0-255, and
 * {@code *_alarm} / {@code *_fault} 0 or 1. {@link #standardConversion} turns them into °C, V, A,
 * W, J and %.
 */
public final class HwmonAttribute implements NumberSource {

    private static final Pattern ATTRIBUTE = Pattern.compile("(temp|in|curr|power|energy|humidity|fan|pwm|freq)(\\d+)(_[a-z_]+)?");

    private final DeviceByName byName; // null when the directory is fixed
    private final Path fixedDir;
    private final String attribute;
    private final Matcher parts;

    private HwmonAttribute(DeviceByName byName, Path fixedDir, String attribute) {
        Matcher m = ATTRIBUTE.matcher(attribute == null ? "" : attribute);
        if (!m.matches()) {
            throw new IllegalArgumentException("hwmon attribute '" + attribute
                    + "' must look like temp1_input, in0_input, fan1_input, humidity1_input or in0_lcrit_alarm");
        }
        this.byName = byName;
        this.fixedDir = fixedDir;
        this.attribute = attribute;
        this.parts = m;
    }

    /** {@code attribute} of the chip in {@code hwmonDir} (".../hwmon0"). */
    public static HwmonAttribute at(Path hwmonDir, String attribute) {
        return new HwmonAttribute(null, hwmonDir, attribute);
    }

    /**
     * {@code attribute} of the chip named {@code chip} under {@code sysfsRoot/class/hwmon}, looked
     * up on the first read and again after a failed one (hwmon numbers change between boots).
     */
    public static HwmonAttribute byName(Path sysfsRoot, String chip, String attribute) {
        return new HwmonAttribute(new DeviceByName(sysfsRoot.resolve("class/hwmon"), "hwmon*", chip, "hwmon device"),
                null, attribute);
    }

    public String attribute() {
        return attribute;
    }

    @Override
    public double read() throws IOException {
        Path dir = byName == null ? fixedDir : byName.get();
        try {
            return SysfsFiles.readNumber(dir.resolve(attribute));
        } catch (IOException e) {
            if (byName != null) {
                byName.forget();
            }
            throw e;
        }
    }

    /** The ABI unit turned into the usual one; alarms and faults stay 0/1 without a unit. */
    public Conversion standardConversion() {
        String suffix = parts.group(3) == null ? "" : parts.group(3);
        if (suffix.endsWith("_alarm") || suffix.endsWith("_fault") || suffix.endsWith("_beep") || suffix.endsWith("_enable")) {
            return Conversion.NONE;
        }
        switch (parts.group(1)) {
            case "temp":
                return new Conversion(0, 0.001, "°C");
            case "in":
                return new Conversion(0, 0.001, "V");
            case "curr":
                return new Conversion(0, 0.001, "A");
            case "power":
                return new Conversion(0, 1e-6, "W");
            case "energy":
                return new Conversion(0, 1e-6, "J");
            case "humidity":
                return new Conversion(0, 0.001, "%");
            case "fan":
                return new Conversion(0, 1, "RPM");
            case "freq":
                return new Conversion(0, 1, "Hz");
            default: // pwm: duty cycle 0-255
                return Conversion.NONE;
        }
    }

    @Override
    public String toString() {
        return attribute + " of " + (byName == null ? fixedDir : byName);
    }
}

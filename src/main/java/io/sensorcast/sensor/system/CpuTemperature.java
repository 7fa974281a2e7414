package io.sensorcast.sensor.system;

import io.sensorcast.hub.ChannelInfo;
import io.sensorcast.sensor.Sensor;
import io.sensorcast.sensor.sysfs.SysfsFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * CPU temperature from the kernel's thermal zones ({@code class/thermal/thermal_zone*}, the
 * {@code temp} file in millidegrees Celsius; Documentation/ABI/testing/sysfs-class-thermal). On a
 * Pi the zone type is "cpu-thermal"; on PCs "x86_pkg_temp" or "acpitz". Absent zones (containers,
 * some VMs) mean no channel.
 */
public final class CpuTemperature implements Sensor {

    /** Zone types that measure the CPU or SoC, best first. */
    private static final List<String> PREFERRED = List.of("cpu-thermal", "cpu_thermal", "soc_thermal", "x86_pkg_temp", "acpitz");

    private final String id;
    private final Path tempFile;
    private final Duration interval;
    private final List<ChannelInfo> channels;

    /**
     * @param deviceId the device id; the channel is {@code deviceId.temperature}, in °C
     * @param tempFile a thermal zone's {@code temp} file
     */
    public CpuTemperature(String deviceId, Path tempFile, Duration interval) {
        this.id = deviceId;
        this.tempFile = tempFile;
        this.interval = interval;
        this.channels = List.of(new ChannelInfo(deviceId + ".temperature", "CPU temperature", "°C"));
    }

    /**
     * One thermal zone: its directory and its {@code type} ("cpu-thermal"), as the kernel names it.
     *
     * @param dir  ".../class/thermal/thermal_zone0"
     * @param type the zone's type, as written in its {@code type} attribute
     */
    public record Zone(Path dir, String type) {
        /** The zone's {@code temp} attribute, millidegrees Celsius. */
        public Path tempFile() {
            return dir.resolve("temp");
        }
    }

    /**
     * Every zone under {@code sysfsRoot/class/thermal} with a readable {@code temp} and
     * {@code type}, in zone-number order; none (an empty list) when the machine has no thermal
     * class. One listing for both {@link #find} and {@code sensorcast detect}.
     */
    public static List<Zone> zones(Path sysfsRoot) {
        List<Zone> list = new ArrayList<>();
        try {
            for (Path zone : SysfsFiles.list(sysfsRoot.resolve("class/thermal"), "thermal_zone*")) {
                if (!Files.isReadable(zone.resolve("temp")) || !Files.isReadable(zone.resolve("type"))) {
                    continue;
                }
                try {
                    list.add(new Zone(zone, SysfsFiles.readTrimmed(zone.resolve("type"))));
                } catch (IOException e) {
                    // A zone whose type cannot be read says nothing about what it measures: skip it.
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        list.sort(Comparator.comparingLong(z -> zoneNumber(z.dir())));
        return list;
    }

    /** Device "cpu" on the CPU's zone under {@code sysfsRoot}, or empty when the machine has none. */
    public static Optional<CpuTemperature> find(Path sysfsRoot, Duration interval) {
        Zone best = null;
        int bestRank = Integer.MAX_VALUE;
        // zones() is in zone-number order, so among equal ranks the lowest number wins: a stable choice.
        for (Zone zone : zones(sysfsRoot)) {
            int rank = PREFERRED.indexOf(zone.type().toLowerCase(Locale.ROOT));
            rank = rank < 0 ? PREFERRED.size() : rank;
            if (rank < bestRank) {
                best = zone;
                bestRank = rank;
            }
        }
        return Optional.ofNullable(best).map(z -> new CpuTemperature("cpu", z.tempFile(), interval));
    }

    /** 10 for thermal_zone10: numerically, so that zone 10 does not sort before zone 2. */
    private static long zoneNumber(Path zone) {
        String digits = zone.getFileName().toString().substring("thermal_zone".length());
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
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
        String text = SysfsFiles.readTrimmed(tempFile);
        try {
            values[0] = Long.parseLong(text) / 1000.0;
        } catch (NumberFormatException e) {
            throw new IOException(tempFile + " holds '" + SysfsFiles.excerpt(text) + "', not millidegrees");
        }
    }

    /** Nothing is held between reads. */
    @Override
    public void close() {}
}

package io.sensorcast.sensor.system;

import io.sensorcast.hub.ChannelInfo;
import io.sensorcast.sensor.Sensor;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * CPU temperature from the kernel's thermal zones ({@code class/thermal/thermal_zone*}, the
 * {@code temp} file in millidegrees Celsius). On a Pi the zone is "cpu-thermal"; on PCs
 * "x86_pkg_temp" or "acpitz". Absent zones (containers, some VMs) mean no channel.
 */
public final class CpuTemperature implements Sensor {

    /** Zone types that measure the CPU or SoC, best first. */
    private static final List<String> PREFERRED = List.of("cpu-thermal", "cpu_thermal", "soc_thermal", "x86_pkg_temp", "acpitz");

    private final Path tempFile;
    private final Duration interval;

    CpuTemperature(Path tempFile, Duration interval) {
        this.tempFile = tempFile;
        this.interval = interval;
    }

    /** The CPU's zone under {@code sysfsRoot}, or empty when the machine has none. */
    public static Optional<CpuTemperature> find(Path sysfsRoot, Duration interval) {
        Path dir = sysfsRoot.resolve("class/thermal");
        Path best = null;
        int bestRank = Integer.MAX_VALUE;
        try (DirectoryStream<Path> zones = Files.newDirectoryStream(dir, "thermal_zone*")) {
            for (Path zone : zones) {
                if (!Files.isReadable(zone.resolve("temp"))) {
                    continue;
                }
                String type = readTrimmed(zone.resolve("type")).toLowerCase(Locale.ROOT);
                int rank = PREFERRED.indexOf(type);
                rank = rank < 0 ? PREFERRED.size() : rank;
                // Lowest rank wins; among equals the lowest zone number, for a stable choice.
                if (rank < bestRank || rank == bestRank && zone.getFileName().toString().compareTo(best.getFileName().toString()) < 0) {
                    best = zone;
                    bestRank = rank;
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.ofNullable(best).map(z -> new CpuTemperature(z.resolve("temp"), interval));
    }

    @Override
    public String id() {
        return "cpu";
    }

    @Override
    public List<ChannelInfo> channels() {
        return List.of(new ChannelInfo("cpu.temperature", "CPU temperature", "°C"));
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public void read(double[] values) throws IOException {
        String text = readTrimmed(tempFile);
        try {
            values[0] = Long.parseLong(text) / 1000.0;
        } catch (NumberFormatException e) {
            throw new IOException(tempFile + " holds '" + text + "', not millidegrees");
        }
    }

    private static String readTrimmed(Path p) throws IOException {
        try {
            return Files.readString(p).trim();
        } catch (IOException e) {
            throw new IOException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }
}

package io.sensorcast.sensor.system;

import io.sensorcast.sensor.sysfs.SysfsFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /proc/net/dev}: per network interface, bytes received and sent since the interface's
 * counters started (proc(5); net/core/net-procfs.c, dev_seq_printf_stats). Two header lines, then
 *
 * <pre>  eth0: 98765432  123456 0 0 0 0 0 345 12345678 67890 0 0 0 0 0 0</pre>
 *
 * with 8 receive fields (bytes first) and 8 transmit fields (bytes first). The name ends at the
 * first ':', which an interface name cannot contain (dev_valid_name rejects ':', '/' and white
 * space); old kernels printed large counters right after the colon, with no space.
 */
final class NetDev {

    /** Cumulative byte counters of one interface. */
    record Counters(long rxBytes, long txBytes) {}

    private NetDev() {}

    static Map<String, Counters> read(Path file) throws IOException {
        return parse(SysfsFiles.readText(file, SysfsFiles.MAX_PROC_BYTES), file);
    }

    static Map<String, Counters> parse(String text, Path file) throws IOException {
        Map<String, Counters> map = new LinkedHashMap<>();
        String[] lines = text.split("\n");
        for (int i = 2; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw new IOException(file + " line " + (i + 1) + " has no interface name: '" + SysfsFiles.excerpt(line) + "'");
            }
            String name = line.substring(0, colon).trim();
            String[] f = line.substring(colon + 1).trim().split("\\s+");
            if (f.length < 9) {
                throw new IOException(file + ": the line of " + name + " has " + f.length + " counters, expected 16");
            }
            try {
                map.put(name, new Counters(Long.parseUnsignedLong(f[0]), Long.parseUnsignedLong(f[8])));
            } catch (NumberFormatException e) {
                throw new IOException(file + ": the line of " + name + " holds something other than counters: '"
                        + SysfsFiles.excerpt(line.trim()) + "'");
            }
        }
        if (map.isEmpty()) {
            throw new IOException(file + " lists no interfaces");
        }
        return map;
    }
}

package io.sensorcast.sensor.system;

import io.sensorcast.sensor.sysfs.SysfsFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code /proc/meminfo}: "Name:   value kB" lines (proc(5); Documentation/filesystems/proc.rst,
 * "meminfo"). The "kB" there is KiB: the kernel prints pages shifted by (PAGE_SHIFT - 10).
 */
final class MemInfo {

    private MemInfo() {}

    /** Every "Name: N kB" line, in KiB; lines without a unit (HugePages_Total) are left out. */
    static Map<String, Long> read(Path file) throws IOException {
        return parse(SysfsFiles.readText(file, SysfsFiles.MAX_PROC_BYTES), file);
    }

    static Map<String, Long> parse(String text, Path file) throws IOException {
        Map<String, Long> kib = new HashMap<>();
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String[] f = line.substring(colon + 1).trim().split("\\s+");
            if (f.length != 2 || !f[1].equals("kB")) {
                continue;
            }
            try {
                kib.put(line.substring(0, colon).trim(), Long.parseLong(f[0]));
            } catch (NumberFormatException e) {
                throw new IOException(file + " holds '" + SysfsFiles.excerpt(line.trim()) + "', not a size in kB");
            }
        }
        return kib;
    }

    /** The value of {@code name}, in KiB; its absence is an error naming the file. */
    static long require(Map<String, Long> kib, String name, Path file) throws IOException {
        Long v = kib.get(name);
        if (v == null) {
            throw new IOException(file + " has no " + name + " line"
                    + (name.equals("MemAvailable") ? " (it appeared in Linux 3.14)" : ""));
        }
        return v;
    }
}

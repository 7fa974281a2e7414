package io.sensorcast.sensor.system;

import io.sensorcast.sensor.sysfs.SysfsFiles;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The aggregate "cpu" line of {@code /proc/stat}: time every CPU together spent in each state since
 * boot, in USER_HZ ticks (proc(5); Documentation/filesystems/proc.rst, "1.8 Miscellaneous kernel
 * statistics in /proc/stat").
 *
 * <pre>cpu  52296 0 6197 319380 294 0 116 30 0 0
 *      user nice system idle iowait irq softirq steal guest guest_nice</pre>
 *
 * <p>The total is user through steal. guest and guest_nice are left out because the kernel already
 * counts guest time in user and nice (account_guest_time adds to both), so adding them would count
 * it twice. Kernels before 2.6.11 print fewer fields; whatever is present is summed.
 */
final class ProcStat {

    /** Ticks since boot: all of them, and those in which the CPUs had nothing to run. */
    record CpuTimes(long total, long idle) {}

    private ProcStat() {}

    static CpuTimes read(Path file) throws IOException {
        return parse(SysfsFiles.readText(file, SysfsFiles.MAX_PROC_BYTES), file);
    }

    static CpuTimes parse(String text, Path file) throws IOException {
        for (String line : text.split("\n")) {
            if (!line.startsWith("cpu ")) {
                continue;
            }
            String[] f = line.substring(4).trim().split("\\s+");
            if (f.length < 4) {
                throw new IOException(file + ": the cpu line has " + f.length + " fields, expected at least 4: '"
                        + SysfsFiles.excerpt(line) + "'");
            }
            long total = 0;
            long[] v = new long[Math.min(f.length, 8)];
            try {
                for (int i = 0; i < v.length; i++) {
                    v[i] = Long.parseLong(f[i]);
                    total += v[i];
                }
            } catch (NumberFormatException e) {
                throw new IOException(file + ": the cpu line holds something other than tick counts: '"
                        + SysfsFiles.excerpt(line) + "'");
            }
            // idle is field 4; iowait (field 5) is idle time too: the CPU waited, it did not work.
            long idle = v[3] + (v.length > 4 ? v[4] : 0);
            return new CpuTimes(total, idle);
        }
        throw new IOException(file + " has no 'cpu' line");
    }
}

package io.sensorcast.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The machine's own load, shown beside every figure: other work on a shared machine moves
 * results, and a reader should see when it did. Busy and stolen time per core from /proc/stat,
 * and the 1-minute load average. Stolen is what the hypervisor of a VM gave to others while this
 * machine wanted the core: a stall no process here can see, but every latency here pays.
 */
record MachineLoad(long[] busy, long[] steal, long[] total, double loadAverage) {

    static MachineLoad now() throws IOException {
        return parse(Files.readAllLines(Path.of("/proc/stat")), Files.readString(Path.of("/proc/loadavg")));
    }

    /** From the lines of /proc/stat and the text of /proc/loadavg. */
    static MachineLoad parse(List<String> stat, String loadavg) {
        List<long[]> cores = new ArrayList<>();
        for (String line : stat) {
            if (line.startsWith("cpu") && Character.isDigit(line.charAt(3))) {
                String[] f = line.trim().split("\\s+");
                long all = 0;
                for (int i = 1; i < f.length && i <= 8; i++) {
                    all += Long.parseLong(f[i]);
                }
                long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]); // idle + iowait
                long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
                cores.add(new long[] {all - idle - steal, steal, all});
            }
        }
        long[] busy = new long[cores.size()];
        long[] steal = new long[cores.size()];
        long[] total = new long[cores.size()];
        for (int i = 0; i < busy.length; i++) {
            busy[i] = cores.get(i)[0];
            steal[i] = cores.get(i)[1];
            total[i] = cores.get(i)[2];
        }
        String load = loadavg.trim().split("\\s+")[0];
        return new MachineLoad(busy, steal, total, Double.parseDouble(load));
    }

    /** Busy percentage of each core between two readings (stolen time not included). */
    static double[] busyPercent(MachineLoad a, MachineLoad b) {
        return percent(a.busy, b.busy, a, b);
    }

    /** Stolen percentage of each core between two readings. */
    static double[] stealPercent(MachineLoad a, MachineLoad b) {
        return percent(a.steal, b.steal, a, b);
    }

    private static double[] percent(long[] before, long[] after, MachineLoad a, MachineLoad b) {
        int n = Math.min(a.total.length, b.total.length);
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            long t = b.total[i] - a.total[i];
            p[i] = t <= 0 ? 0 : 100.0 * (after[i] - before[i]) / t;
        }
        return p;
    }
}

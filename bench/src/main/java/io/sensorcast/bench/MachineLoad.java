package io.sensorcast.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The machine's own load, shown beside every figure: other work on a shared machine moves
 * results, and a reader should see when it did. Busy time per core from /proc/stat, and the
 * 1-minute load average.
 */
record MachineLoad(long[] busy, long[] total, double loadAverage) {

    static MachineLoad now() throws IOException {
        List<long[]> cores = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
            if (line.startsWith("cpu") && Character.isDigit(line.charAt(3))) {
                String[] f = line.trim().split("\\s+");
                long all = 0;
                for (int i = 1; i < f.length && i <= 8; i++) {
                    all += Long.parseLong(f[i]);
                }
                long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]); // idle + iowait
                cores.add(new long[] {all - idle, all});
            }
        }
        long[] busy = new long[cores.size()];
        long[] total = new long[cores.size()];
        for (int i = 0; i < busy.length; i++) {
            busy[i] = cores.get(i)[0];
            total[i] = cores.get(i)[1];
        }
        String load = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0];
        return new MachineLoad(busy, total, Double.parseDouble(load));
    }

    /** Busy percentage of each core between two readings. */
    static double[] busyPercent(MachineLoad a, MachineLoad b) {
        int n = Math.min(a.busy.length, b.busy.length);
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            long t = b.total[i] - a.total[i];
            p[i] = t <= 0 ? 0 : 100.0 * (b.busy[i] - a.busy[i]) / t;
        }
        return p;
    }
}

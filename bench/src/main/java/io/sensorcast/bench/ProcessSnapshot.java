package io.sensorcast.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A server process as /proc shows it at one moment: memory, CPU ticks, threads, context
 * switches per thread, open file descriptors. Two snapshots make the rates of a window.
 *
 * <p>Context switches are kept per thread id: names repeat (the JVM's "java" threads) and
 * threads come and go (the JVM adds and retires compiler threads), and summing by name across
 * two snapshots then gave negative counts.
 */
record ProcessSnapshot(
        long nanoTime,
        long rssKiB,
        long hwmKiB,
        long cpuTicks,
        int threads,
        int fds,
        Map<Long, Long> switchesByTid,
        Map<Long, Long> wakeupsByTid,
        Map<Long, String> nameByTid,
        Map<String, Integer> threadsByName) {

    /** Clock ticks per second of utime/stime: USER_HZ, 100 on every Linux the Pi runs. */
    static final double TICKS_PER_SECOND = 100;

    /** Thread names (comm, 15 characters at most) of the JVM's own threads, by prefix. */
    private static final List<String> JVM_THREADS = List.of(
            "VM Thread", "VM Periodic", "GC Thread", "G1 ", "C1 Compiler", "C2 Compiler", "Sweeper",
            "Signal Dispatch", "Finalizer", "Reference Handl", "Service Thread", "Monitor Deflat",
            "Common-Cleaner", "Notification Th", "Attach Listener", "Cleaner-", "VM ", "JFR ");

    static boolean isJvmThread(String comm) {
        for (String p : JVM_THREADS) {
            if (comm.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    static ProcessSnapshot of(long pid) throws IOException {
        Path proc = Path.of("/proc", Long.toString(pid));
        long now = System.nanoTime();
        Map<String, Long> status = statusNumbers(proc.resolve("status"));
        Map<Long, Long> switches = new TreeMap<>();
        Map<Long, Long> wakeups = new TreeMap<>();
        Map<Long, String> nameByTid = new TreeMap<>();
        Map<String, Integer> names = new TreeMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(proc.resolve("task"))) {
            for (Path task : tasks) {
                try {
                    String comm = Files.readString(task.resolve("comm")).strip();
                    Map<String, Long> s = statusNumbers(task.resolve("status"));
                    long n = s.getOrDefault("voluntary_ctxt_switches", 0L)
                            + s.getOrDefault("nonvoluntary_ctxt_switches", 0L);
                    long tid = Long.parseLong(task.getFileName().toString());
                    switches.put(tid, n);
                    wakeups.put(tid, s.getOrDefault("voluntary_ctxt_switches", 0L));
                    nameByTid.put(tid, comm);
                    names.merge(comm, 1, Integer::sum);
                } catch (NoSuchFileException gone) {
                    // the thread ended between listing and reading
                }
            }
        }
        int fds = 0;
        try (DirectoryStream<Path> list = Files.newDirectoryStream(proc.resolve("fd"))) {
            for (Path ignored : list) {
                fds++;
            }
        }
        return new ProcessSnapshot(now,
                status.getOrDefault("VmRSS", 0L), status.getOrDefault("VmHWM", 0L),
                cpuTicks(proc.resolve("stat")), status.getOrDefault("Threads", 0L).intValue(), fds,
                switches, wakeups, nameByTid, names);
    }

    /** Threads that are the JVM's own (GC, compilers, VM thread, ...), by their names. */
    int jvmThreads() {
        int n = 0;
        for (Map.Entry<String, Integer> e : threadsByName.entrySet()) {
            if (isJvmThread(e.getKey())) {
                n += e.getValue();
            }
        }
        return n;
    }

    long totalSwitches() {
        return switchesByTid.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Context switches of the window between two snapshots, summed by thread name: of the threads
     * alive at the end (one started in the window counts from zero; one that ended in it is lost).
     */
    static Map<String, Long> switchesBetween(ProcessSnapshot a, ProcessSnapshot b) {
        return between(a.switchesByTid, b.switchesByTid, b.nameByTid);
    }

    /**
     * Voluntary context switches of the window by thread name: each is a thread going to sleep, so
     * they count the process's own wake-ups, whatever else the machine runs (a busy machine adds
     * involuntary ones, preemptions, which say nothing about the server).
     */
    static Map<String, Long> wakeupsBetween(ProcessSnapshot a, ProcessSnapshot b) {
        return between(a.wakeupsByTid, b.wakeupsByTid, b.nameByTid);
    }

    private static Map<String, Long> between(Map<Long, Long> before, Map<Long, Long> after, Map<Long, String> names) {
        Map<String, Long> d = new TreeMap<>();
        after.forEach((tid, n) -> d.merge(names.get(tid), n - before.getOrDefault(tid, 0L), Long::sum));
        return d;
    }

    /** CPU use between two snapshots as a percentage of one core. */
    static double cpuPercent(ProcessSnapshot a, ProcessSnapshot b) {
        double seconds = (b.nanoTime - a.nanoTime) / 1e9;
        return seconds <= 0 ? 0 : (b.cpuTicks - a.cpuTicks) / TICKS_PER_SECOND / seconds * 100;
    }

    /** utime + stime: fields 14 and 15 of stat, counted after the ")" that ends the comm. */
    private static long cpuTicks(Path stat) throws IOException {
        String s = Files.readString(stat);
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        // f[0] is field 3 (state), so field n is f[n - 3].
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** "Key:  123 kB" lines of a status file, as numbers (kB for memory). */
    private static Map<String, Long> statusNumbers(Path status) throws IOException {
        Map<String, Long> m = new TreeMap<>();
        for (String line : Files.readAllLines(status)) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String[] v = line.substring(colon + 1).trim().split("\\s+");
            if (v.length > 0 && !v[0].isEmpty() && v[0].chars().allMatch(Character::isDigit) && v[0].length() < 19) {
                m.put(line.substring(0, colon), Long.parseLong(v[0]));
            }
        }
        return m;
    }
}

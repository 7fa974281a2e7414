package io.sensorcast.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where Chromium's time goes while it shows the page ({@code --browser --profile}), in two parts
 * measured one after the other so that neither disturbs the other:
 *
 * <ul>
 *   <li>CPU per thread of every Chromium process (utime + stime of /proc/PID/task/TID/stat),
 *       named by process type and thread name: the renderer's main thread (script, style, layout,
 *       paint), its compositor, its IO thread (where the network service's messages arrive), the
 *       network service, the browser process. Costs nothing to measure.</li>
 *   <li>A sampling profile of the page's script (the DevTools protocol's Profiler, 1 ms samples):
 *       self time per function, and V8's own entries: (program) is the renderer's work outside
 *       script, (garbage collector), (idle). The profiler costs time itself: compare its entries
 *       with each other, not with the runs without it.</li>
 * </ul>
 */
final class RendererProfile {

    private RendererProfile() {}

    /** Clock ticks per "process type/thread name" of these processes, summed over threads of one name. */
    static Map<String, Long> threadTicks(List<Long> pids) {
        Map<String, Long> out = new HashMap<>();
        for (long pid : pids) {
            String type = processType(pid);
            try (var tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
                for (Path t : tasks) {
                    try {
                        String stat = Files.readString(t.resolve("stat"));
                        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                        out.merge(type + "/" + name.replaceAll("[0-9]+$", ""), ticks, Long::sum);
                    } catch (IOException | RuntimeException gone) {
                        // a thread that ended while listed
                    }
                }
            } catch (IOException gone) {
                // a process that ended
            }
        }
        return out;
    }

    /** renderer, gpu-process, utility (the network service), or browser for the one without --type. */
    private static String processType(long pid) {
        try {
            String cmd = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"));
            int at = cmd.indexOf("--type=");
            if (at < 0) {
                return "browser";
            }
            // Chromium's child processes rewrite their arguments as one line: a space or a NUL ends a word.
            int end = at + 7;
            while (end < cmd.length() && cmd.charAt(end) != ' ' && cmd.charAt(end) != '\0') {
                end++;
            }
            String type = cmd.substring(at + 7, end);
            if (type.equals("utility") && cmd.contains("NetworkService")) {
                return "network";
            }
            return type;
        } catch (IOException | RuntimeException gone) {
            return "?";
        }
    }

    /** The threads that used at least 0.1 % of a core between two readings, busiest first, as text. */
    static String threadLine(Map<String, Long> before, Map<String, Long> after, double seconds) {
        List<Map.Entry<String, Double>> rows = new ArrayList<>();
        for (Map.Entry<String, Long> e : after.entrySet()) {
            double pct = (e.getValue() - before.getOrDefault(e.getKey(), 0L)) / ProcessSnapshot.TICKS_PER_SECOND / seconds * 100;
            if (pct >= 0.1) {
                rows.add(Map.entry(e.getKey(), pct));
            }
        }
        rows.sort((a, b) -> Double.compare(b.getValue(), a.getValue()));
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Double> r : rows) {
            b.append(b.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.1f%%", r.getKey(), r.getValue()));
        }
        return b.toString();
    }

    /** Samples the page's script for {@code seconds}; self ms per second by function, the largest first. */
    @SuppressWarnings("unchecked")
    static Map<String, Double> script(HeadlessChromium browser, double seconds) throws IOException, InterruptedException {
        browser.send("Profiler.enable", "{}");
        browser.send("Profiler.setSamplingInterval", "{\"interval\":1000}");
        browser.send("Profiler.start", "{}");
        Thread.sleep((long) (seconds * 1000));
        Map<String, Object> profile = (Map<String, Object>) browser.send("Profiler.stop", "{}").get("profile");
        browser.send("Profiler.disable", "{}");
        return selfTimes(profile);
    }

    /** A DevTools Profiler.Profile as self ms per second of the profile, by "function file:line". */
    @SuppressWarnings("unchecked")
    static Map<String, Double> selfTimes(Map<String, Object> profile) {
        double micros = ((Number) profile.get("endTime")).doubleValue() - ((Number) profile.get("startTime")).doubleValue();
        Map<Integer, String> names = new HashMap<>();
        for (Object o : (List<Object>) profile.get("nodes")) {
            Map<String, Object> node = (Map<String, Object>) o;
            Map<String, Object> frame = (Map<String, Object>) node.get("callFrame");
            String fn = (String) frame.get("functionName");
            String url = (String) frame.get("url");
            String where = url == null || url.isEmpty() ? ""
                    : " " + url.substring(url.lastIndexOf('/') + 1) + ":" + (((Number) frame.get("lineNumber")).intValue() + 1);
            names.put(((Number) node.get("id")).intValue(), (fn.isEmpty() ? "(anonymous)" : fn) + where);
        }
        // Each sample's time is the delta to the next one (timeDeltas[i + 1]).
        List<Object> samples = (List<Object>) profile.get("samples");
        List<Object> deltas = (List<Object>) profile.get("timeDeltas");
        Map<String, Double> self = new HashMap<>();
        for (int i = 0; i + 1 < samples.size(); i++) {
            String name = names.get(((Number) samples.get(i)).intValue());
            self.merge(name, ((Number) deltas.get(i + 1)).doubleValue(), Double::sum);
        }
        Map<String, Double> out = new LinkedHashMap<>();
        self.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
                .forEach(e -> out.put(e.getKey(), e.getValue() / 1000 / (micros / 1e6)));
        return out;
    }

    /** The entries of at least 0.05 ms/s, at most {@code limit}, as text. */
    static String scriptLine(Map<String, Double> selfMsPerSecond, int limit) {
        StringBuilder b = new StringBuilder();
        int n = 0;
        for (Map.Entry<String, Double> e : selfMsPerSecond.entrySet()) {
            if (n++ == limit || e.getValue() < 0.05) {
                break;
            }
            b.append(b.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue()));
        }
        return b.toString();
    }
}

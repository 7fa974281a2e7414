package io.sensorcast.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * What sensorcast allocated during a cell's measuring window, from its flight recording
 * (jdk.ObjectAllocationSample, whose weights add up to an estimate of the bytes allocated), on
 * the loop thread and the sensor threads, by class and the allocating method of sensorcast's
 * own code. Divided by the samples produced it says what each sample costs; the question it
 * answers is whether anything grows with the number of monitors.
 */
final class AllocationProfile {

    /** One allocation site: thread, class, and the first sensorcast frame on the stack. */
    record Site(String thread, String type, String where, double bytes) {}

    private final List<Site> sites;
    private final double totalBytes;
    private final double samples;
    private final int monitors;

    private AllocationProfile(List<Site> sites, double totalBytes, double samples, int monitors) {
        this.sites = sites;
        this.totalBytes = totalBytes;
        this.samples = samples;
        this.monitors = monitors;
    }

    static AllocationProfile read(Path recording, Instant from, Instant to, double samples, int monitors) {
        Map<String, Site> byKey = new HashMap<>();
        double total = 0;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                if (!e.getEventType().getName().equals("jdk.ObjectAllocationSample")
                        || e.getStartTime().isBefore(from) || e.getStartTime().isAfter(to)
                        || e.getThread() == null) {
                    continue;
                }
                String thread = e.getThread().getJavaName();
                if (thread == null || !(thread.equals("sensorcast-loop") || thread.startsWith("sensor-"))) {
                    continue;
                }
                String type = e.getClass("objectClass").getName();
                String where = firstOwnFrame(e);
                double weight = e.getLong("weight");
                total += weight;
                String key = thread + '|' + type + '|' + where;
                Site old = byKey.get(key);
                byKey.put(key, new Site(thread, type, where, weight + (old == null ? 0 : old.bytes())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + recording, e);
        }
        List<Site> sites = new ArrayList<>(byKey.values());
        sites.sort((a, b) -> Double.compare(b.bytes(), a.bytes()));
        return new AllocationProfile(sites, total, samples, monitors);
    }

    private static String firstOwnFrame(RecordedEvent e) {
        if (e.getStackTrace() == null) {
            return "?";
        }
        for (RecordedFrame f : e.getStackTrace().getFrames()) {
            String type = f.getMethod().getType().getName();
            if (type.startsWith("io.sensorcast.")) {
                return type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
            }
        }
        return "(JDK)";
    }

    String describe(String cell) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "  allocation in %s (loop and sensor threads, JFR estimate): %.0f bytes per sample, %d monitors%n",
                cell, perSample(totalBytes), monitors));
        for (Site s : sites.subList(0, Math.min(8, sites.size()))) {
            b.append(String.format(Locale.ROOT, "    %7.1f B/sample  %-16s %-40s %s%n",
                    perSample(s.bytes()), s.thread(), s.type(), s.where()));
        }
        return b.toString();
    }

    private double perSample(double bytes) {
        return samples > 0 ? bytes / samples : 0;
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bytesPerSample", perSample(totalBytes));
        m.put("monitors", monitors);
        List<Map<String, Object>> top = new ArrayList<>();
        for (Site s : sites.subList(0, Math.min(12, sites.size()))) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("thread", s.thread());
            t.put("class", s.type());
            t.put("where", s.where());
            t.put("bytesPerSample", perSample(s.bytes()));
            top.add(t);
        }
        m.put("sites", top);
        return m;
    }
}

package io.sensorcast.history;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the history a board would have after {@code days} days of {@code channels} channels, as
 * the writer leaves it (one block per 10-minute flush, one segment per UTC day), ending now: for
 * measuring the start with a full history (README, History on disk).
 *
 * <pre>java [-DrawHour=true] -cp target/classes:target/test-classes io.sensorcast.history.SevenDaysOfSegments DIR DAYS CHANNEL-ID...</pre>
 * A channel id of the form {@code s@.sine} stands for s1.sine … sN.sine with N given as {@code s@.sine:N}.
 */
public final class SevenDaysOfSegments {

    private SevenDaysOfSegments() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        int days = Integer.parseInt(args[1]);
        List<String> ids = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            String a = args[i];
            if (a.contains("@")) {
                String[] pattern = a.split(":");
                for (int n = 1; n <= Integer.parseInt(pattern[1]); n++) {
                    ids.add(pattern[0].replace("@", String.valueOf(n)));
                }
            } else {
                ids.add(a);
            }
        }
        Files.createDirectories(dir);
        int now = (int) (System.currentTimeMillis() / 60_000);
        int first = now - days * 1440;
        long bytes = 0;
        for (int flushStart = first; flushStart < now; flushStart += 10) {
            List<SegmentFormat.Minute> batch = new ArrayList<>();
            for (String id : ids) {
                for (int m = flushStart; m < Math.min(now, flushStart + 10); m++) {
                    float v = (float) (20 + 5 * Math.sin(m / 30.0));
                    batch.add(new SegmentFormat.Minute(id, m, v - 0.5f, v, v + 0.5f, 60));
                }
            }
            int newest = Math.min(now, flushStart + 10) - 1;
            Path seg = dir.resolve(LocalDate.ofEpochDay(Math.floorDiv(newest, 1440)) + ".seg");
            byte[] block = SegmentFormat.minutesBlock(batch);
            if (!Files.exists(seg)) {
                Files.write(seg, SegmentFormat.header());
            }
            Files.write(seg, block, java.nio.file.StandardOpenOption.APPEND);
            bytes += block.length;
        }
        if (Boolean.getBoolean("rawHour")) { // -DrawHour=true: and a full raw hour at 1 s, as a clean stop leaves it
            List<SegmentFormat.RawSource> raw = new ArrayList<>();
            long nowMicros = (long) now * 60_000_000L;
            for (String id : ids) {
                long[] t = new long[3601];
                float[] v = new float[t.length];
                for (int i = 0; i < t.length; i++) {
                    t[i] = nowMicros - (t.length - 1 - i) * 1_000_000L;
                    v[i] = i % 100;
                }
                raw.add(SegmentFormat.source(new SegmentFormat.RawPoints(id, t, v)));
            }
            bytes += new HistoryDirectory(dir, l -> { }).writeRawSnapshot(raw);
        }
        System.out.println(ids.size() + " channels, " + days + " days, " + bytes + " bytes in " + dir);
    }
}

package io.sensorcast.history;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The history files without a server: the format reads back what was written; a file cut at any
 * byte or with bits flipped gives back every block before the damage and is cut to its last good
 * block, said once with the file and the offset; a file that is not ours, or of another version,
 * is refused and left byte for byte as it was.
 */
class HistoryFilesTest {

    /** 2026-12-07T00:00Z in epoch minutes. */
    private static final int DAY0 = (int) (Instant.parse("2026-12-07T00:00:00Z").getEpochSecond() / 60);

    @TempDir
    Path dir;

    /** Everything a scan handed over, as text lines, in order. */
    static final class Collected implements SegmentFormat.Sink {
        final List<String> lines = new ArrayList<>();

        @Override
        public void minute(String channel, int minute, float min, float avg, float max, int count) {
            lines.add(channel + " " + minute + " " + min + " " + avg + " " + max + " " + count);
        }

        @Override
        public void raw(String channel, long epochMicros, float value) {
            lines.add(channel + " raw " + epochMicros + " " + value);
        }
    }

    private static List<SegmentFormat.Minute> flush(int firstMinute, int minutes, String... channels) {
        List<SegmentFormat.Minute> out = new ArrayList<>();
        for (int m = 0; m < minutes; m++) {
            for (int c = 0; c < channels.length; c++) {
                float v = c * 100 + m + 0.25f;
                out.add(new SegmentFormat.Minute(channels[c], firstMinute + m, v - 1, v, v + 1, 60 - c));
            }
        }
        return out;
    }

    private static String line(SegmentFormat.Minute m) {
        return m.channel() + " " + m.minute() + " " + m.min() + " " + m.avg() + " " + m.max() + " " + m.count();
    }

    private HistoryDirectory directory(List<String> log) {
        return new HistoryDirectory(dir, log::add);
    }

    /** Three flushes of two channels' minutes, appended through the directory as the writer does. */
    private List<List<String>> writeThreeFlushes() throws IOException {
        HistoryDirectory d = directory(new ArrayList<>());
        List<List<String>> blocks = new ArrayList<>();
        for (int f = 0; f < 3; f++) {
            List<SegmentFormat.Minute> batch = flush(DAY0 + f * 3, 3, "cpu.temp", "sim.value");
            d.append(SegmentFormat.minutesBlock(batch), DAY0 + f * 3 + 2, (ch, out) -> { });
            blocks.add(batch.stream().map(HistoryFilesTest::line).toList());
        }
        return blocks;
    }

    @Test
    void minutesAndRawPointsReadBackExactlyAsWritten() throws IOException {
        List<List<String>> blocks = writeThreeFlushes();
        HistoryDirectory d = directory(new ArrayList<>());
        d.writeRawSnapshot(List.of(SegmentFormat.source(new SegmentFormat.RawPoints("sim.value",
                new long[] {1L, 2_000_000L, Long.MAX_VALUE}, new float[] {1.5f, -0f, Float.MAX_VALUE}))));
        Collected got = new Collected();
        HistoryDirectory.Loaded loaded = d.load(got);

        List<String> want = new ArrayList<>();
        // A block lists each channel once: its minutes together, channels in the order first met.
        for (List<String> b : blocks) {
            b.stream().filter(l -> l.startsWith("cpu.temp")).forEach(want::add);
            b.stream().filter(l -> l.startsWith("sim.value")).forEach(want::add);
        }
        want.add("sim.value raw 1 1.5");
        want.add("sim.value raw 2000000 -0.0");
        want.add("sim.value raw " + Long.MAX_VALUE + " " + Float.MAX_VALUE);
        assertEquals(want, got.lines);
        assertEquals(3, loaded.blocks());
        assertFalse(Files.exists(dir.resolve(HistoryDirectory.RAW_SNAPSHOT)), "the raw hour is read once, then removed");
        assertTrue(Files.exists(dir.resolve("2026-12-07.seg")), "segments are named for their UTC day");
    }

    @Test
    void aRawHourLargerThanOneWritePieceReadsBackWhole() throws IOException {
        long[] t = new long[20_000]; // 240 KB: four 64 KiB pieces
        float[] v = new float[t.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = 1_796_000_000_000_000L + i * 1_000_000L;
            v[i] = i * 0.5f;
        }
        HistoryDirectory d = directory(new ArrayList<>());
        long n = d.writeRawSnapshot(List.of(SegmentFormat.source(new SegmentFormat.RawPoints("a.b", t, v)),
                SegmentFormat.source(new SegmentFormat.RawPoints("c.d", new long[] {7L}, new float[] {8f}))));
        assertEquals(Files.size(dir.resolve(HistoryDirectory.RAW_SNAPSHOT)), n);
        List<String> log = new ArrayList<>();
        Collected got = new Collected();
        directory(log).load(got);
        assertEquals(List.of(), log, "the checksum of the streamed block checks");
        assertEquals(t.length + 1, got.lines.size());
        assertEquals("a.b raw " + t[12_345] + " " + v[12_345], got.lines.get(12_345));
        assertEquals("c.d raw 7 8.0", got.lines.get(t.length));
    }

    @Test
    void aBlockOfFifteenChannelsTenMinutesIsAboutThreeKilobytes() {
        String[] ids = new String[15];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = "channel-" + i + ".value";
        }
        int size = SegmentFormat.minutesBlock(flush(DAY0, 10, ids)).length;
        // 16 bytes a minute, a channel's id and first minute once per block.
        int idBytes = java.util.Arrays.stream(ids).mapToInt(String::length).sum();
        assertEquals(12 + 3 + 15 * (1 + 4 + 2) + idBytes + 150 * 16, size, "bytes of one flush");
        assertTrue(size < 3000, size + " bytes");
    }

    @Test
    void aFileCutAtEveryByteGivesBackEveryWholeBlockBeforeTheCutAndIsCutToIt() throws IOException {
        List<List<String>> blocks = writeThreeFlushes();
        Path seg = dir.resolve("2026-12-07.seg");
        byte[] whole = Files.readAllBytes(seg);
        long[] ends = blockEnds(whole);
        for (int cut = 0; cut < whole.length; cut++) {
            Files.write(seg, java.util.Arrays.copyOf(whole, cut));
            List<String> log = new ArrayList<>();
            Collected got = new Collected();
            directory(log).load(got);

            int complete = 0;
            while (complete < ends.length && ends[complete] <= cut) {
                complete++;
            }
            List<String> want = new ArrayList<>();
            for (int b = 0; b < complete; b++) {
                want.addAll(sortedLikeABlock(blocks.get(b)));
            }
            assertEquals(want, got.lines, "cut at " + cut);
            long goodEnd = cut < SegmentFormat.HEADER_BYTES ? 0 : complete == 0 ? SegmentFormat.HEADER_BYTES : ends[complete - 1];
            assertEquals(goodEnd, Files.size(seg), "cut at " + cut + ": the file ends at its last good block");
            boolean torn = cut != goodEnd;
            assertEquals(torn ? 1 : 0, log.size(), "cut at " + cut + ": said once: " + log);
            if (torn) {
                assertTrue(log.get(0).contains(seg.toString()) && log.get(0).contains("offset " + goodEnd), log.get(0));
            }
        }
    }

    /** Where each block ends, from the lengths in their headers. */
    private static long[] blockEnds(byte[] file) {
        List<Long> ends = new ArrayList<>();
        int pos = SegmentFormat.HEADER_BYTES;
        while (pos < file.length) {
            int len = java.nio.ByteBuffer.wrap(file, pos + 4, 4).getInt();
            pos += 12 + len;
            ends.add((long) pos);
        }
        return ends.stream().mapToLong(Long::longValue).toArray();
    }

    private static List<String> sortedLikeABlock(List<String> block) {
        List<String> out = new ArrayList<>();
        block.stream().filter(l -> l.startsWith("cpu.temp")).forEach(out::add);
        block.stream().filter(l -> l.startsWith("sim.value")).forEach(out::add);
        return out;
    }

    @Test
    void aFlippedBitCostsOnlyItsOwnBlock() throws IOException {
        List<List<String>> blocks = writeThreeFlushes();
        Path seg = dir.resolve("2026-12-07.seg");
        byte[] whole = Files.readAllBytes(seg);
        long[] ends = blockEnds(whole);
        Random random = new Random(19);
        for (int trial = 0; trial < 300; trial++) {
            byte[] bytes = whole.clone();
            int at = SegmentFormat.HEADER_BYTES + random.nextInt(whole.length - SegmentFormat.HEADER_BYTES);
            bytes[at] ^= (byte) (1 << random.nextInt(8));
            Files.write(seg, bytes);
            List<String> log = new ArrayList<>();
            Collected got = new Collected();
            directory(log).load(got);

            int hit = 0;
            while (ends[hit] <= at) {
                hit++;
            }
            List<String> want = new ArrayList<>();
            for (int b = 0; b < blocks.size(); b++) {
                if (b != hit) {
                    want.addAll(sortedLikeABlock(blocks.get(b)));
                }
            }
            assertEquals(want, got.lines, "bit flipped at " + at);
            assertEquals(1, log.size(), "said once: " + log);
            long start = hit == 0 ? SegmentFormat.HEADER_BYTES : ends[hit - 1];
            assertTrue(log.get(0).contains("offset " + start), log.get(0));
            long size = Files.size(seg);
            assertEquals(hit == blocks.size() - 1 ? start : whole.length, size,
                    "a damaged last block is cut off; one in the middle is skipped and kept");
        }
    }

    @Test
    void aForeignFileAndAnotherVersionAreRefusedAndLeftAsTheyWere() throws IOException {
        byte[] foreign = "temperature,21.5\nhumidity,40\n".getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("2026-12-06.seg"), foreign);
        byte[] v2 = SegmentFormat.header();
        v2[11] = 2;
        int crc = SegmentFormat.crc(v2, 0, 12);
        java.nio.ByteBuffer.wrap(v2, 12, 4).putInt(crc);
        byte[] otherVersion = java.util.Arrays.copyOf(v2, 40); // a header of version 2 and a block we cannot read
        Files.write(dir.resolve("2026-12-07.seg"), otherVersion);
        Files.write(dir.resolve("notes.txt"), foreign);

        List<String> log = new ArrayList<>();
        HistoryDirectory d = directory(log);
        HistoryDirectory.Loaded loaded = d.load(new Collected());

        assertEquals(2, loaded.refusedFiles());
        assertArrayEquals(foreign, Files.readAllBytes(dir.resolve("2026-12-06.seg")));
        assertArrayEquals(otherVersion, Files.readAllBytes(dir.resolve("2026-12-07.seg")));
        assertArrayEquals(foreign, Files.readAllBytes(dir.resolve("notes.txt")));
        assertEquals(3, log.size(), log.toString());
        assertTrue(log.stream().anyMatch(l -> l.contains("2026-12-06.seg") && l.contains("not a history file")), log.toString());
        assertTrue(log.stream().anyMatch(l -> l.contains("2026-12-07.seg") && l.contains("format version 2")
                && l.contains("reads version 1")), log.toString());

        // Neither written to nor deleted later: the day's minutes go to a file of their own.
        d.append(SegmentFormat.minutesBlock(flush(DAY0, 1, "a.b")), DAY0, (ch, out) -> { });
        assertArrayEquals(otherVersion, Files.readAllBytes(dir.resolve("2026-12-07.seg")));
        assertTrue(Files.exists(dir.resolve("2026-12-07.1.seg")));
        d.deleteOlderThan(Instant.parse("2027-01-01T00:00:00Z").toEpochMilli(), Duration.ofDays(7));
        assertArrayEquals(foreign, Files.readAllBytes(dir.resolve("2026-12-06.seg")));
        assertArrayEquals(otherVersion, Files.readAllBytes(dir.resolve("2026-12-07.seg")));
        assertFalse(Files.exists(dir.resolve("2026-12-07.1.seg")), "our own old segment goes");
    }

    @Test
    void wholeSegmentsGoOnceTheirDayEndedMoreThanTheWindowAgo() throws IOException {
        HistoryDirectory d = directory(new ArrayList<>());
        for (int day = 0; day < 3; day++) {
            d.append(SegmentFormat.minutesBlock(flush(DAY0 + day * 1440, 1, "a.b")), DAY0 + day * 1440, (ch, out) -> { });
        }
        // 2026-12-07's last minute is 23:59; with a 1 h window it may go at 2026-12-08T01:00 and not before.
        long justBefore = Instant.parse("2026-12-08T00:59:59Z").toEpochMilli();
        assertEquals(0, d.deleteOlderThan(justBefore, Duration.ofHours(1)));
        assertEquals(1, d.deleteOlderThan(justBefore + 1000, Duration.ofHours(1)));
        assertFalse(Files.exists(dir.resolve("2026-12-07.seg")));
        assertTrue(Files.exists(dir.resolve("2026-12-08.seg")) && Files.exists(dir.resolve("2026-12-09.seg")));
    }
}

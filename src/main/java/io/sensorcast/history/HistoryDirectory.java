package io.sensorcast.history;

import io.sensorcast.sensor.sysfs.SysfsFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The history directory: segment files of one UTC day each ({@code 2026-12-07.seg}; a day whose
 * name is taken by a file we refuse gets {@code 2026-12-07.1.seg}), and the raw hour a clean stop
 * leaves ({@code raw-hour.snapshot}, read once at the next start and then removed).
 *
 * <p>A segment holds blocks whose newest minute falls on its day, so every minute in it is at or
 * before the day's end: a whole segment goes once its day ended more than the aggregate window
 * ago. Files are appended or deleted, never rewritten; the one exception is cutting a torn tail.
 * Not thread-safe: the main thread loads, then only the writer thread touches it.
 */
public final class HistoryDirectory {

    static final Pattern SEGMENT = Pattern.compile("(\\d{4}-\\d{2}-\\d{2})(?:\\.(\\d{1,4}))?\\.seg");
    public static final String RAW_SNAPSHOT = "raw-hour.snapshot";

    private final Path dir;
    private final Consumer<String> log;
    /** Segment names we refused (foreign or another version): never written, never deleted. */
    private final Set<String> refused = new HashSet<>();
    private long recordsSkipped;

    /** @param log where warnings go, one line each (the service's logger; tests collect them) */
    public HistoryDirectory(Path dir, Consumer<String> log) {
        this.dir = dir;
        this.log = log;
    }

    public Path path() {
        return dir;
    }

    /** Damaged stretches skipped since this directory was opened (each a block or a torn tail). */
    public long recordsSkipped() {
        return recordsSkipped;
    }

    /**
     * The directory's entries, sorted by name. A directory that cannot be read to the end (a 32-bit
     * JVM under qemu-user on ext4: EOVERFLOW) is an IOException that names it, never the unchecked
     * exception a directory stream throws.
     */
    private List<Path> entries() throws IOException {
        List<Path> all = new ArrayList<>(SysfsFiles.list(dir, any -> true));
        all.sort(null);
        return all;
    }

    /** What a load found. */
    public record Loaded(int files, int blocks, int refusedFiles, int damaged) {}

    /**
     * Creates the directory if needed and reads every segment, oldest day first, into
     * {@code sink}; then the raw hour of the last clean stop, which is removed once read.
     * Damaged stretches are skipped and a torn tail cut off, each said once with the file and the
     * offset; a file that is not ours or of another version is said and left as it is.
     */
    public Loaded load(SegmentFormat.Sink sink) throws IOException {
        Files.createDirectories(dir);
        List<Path> segments = new ArrayList<>();
        for (Path p : entries()) {
            String name = p.getFileName().toString();
            if (SEGMENT.matcher(name).matches() && Files.isRegularFile(p)) {
                segments.add(p);
            } else if (!name.equals(RAW_SNAPSHOT) && !name.endsWith(".tmp")) {
                log.accept("history: " + p + " is not a history file of sensorcast; left alone");
            }
        }
        int blocks = 0;
        int refusedFiles = 0;
        int damaged = 0;
        for (Path p : segments) {
            FileResult r = loadFile(p, sink);
            if (r == null) {
                refused.add(p.getFileName().toString());
                refusedFiles++;
            } else {
                blocks += r.blocks;
                damaged += r.damaged;
            }
        }
        Path raw = dir.resolve(RAW_SNAPSHOT);
        if (Files.isRegularFile(raw)) {
            FileResult r = loadFile(raw, sink);
            if (r != null) {
                Files.delete(raw); // read once: a second start must not load it again
            } else {
                refusedFiles++;
            }
        }
        readBuffer = new byte[0]; // the writer that keeps this directory needs none of it
        return new Loaded(segments.size(), blocks, refusedFiles, damaged);
    }

    private record FileResult(int blocks, int damaged) {}

    /**
     * One buffer for every file a start reads, grown to the largest: a day of 200 channels is 5 MB,
     * and on a heap already holding their minutes a new array per file costs a full collection each.
     */
    private byte[] readBuffer = new byte[0];

    /** Reads the whole file into {@link #readBuffer}; returns its length. */
    private int read(Path p) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE - 16) {
                throw new IOException(p + ": " + size + " bytes, more than a history file holds");
            }
            if (readBuffer.length < size) {
                readBuffer = null; // the old one can go before the new one is made
                readBuffer = new byte[(int) size];
            }
            ByteBuffer into = ByteBuffer.wrap(readBuffer, 0, (int) size);
            while (into.hasRemaining() && ch.read(into) >= 0) {
                // until the end of what size said
            }
            return into.position();
        }
    }

    /** Null when the file is refused. */
    private FileResult loadFile(Path p, SegmentFormat.Sink sink) throws IOException {
        int length = read(p);
        byte[] bytes = readBuffer;
        switch (SegmentFormat.header(bytes, length)) {
            case FOREIGN -> {
                log.accept("history: " + p + " is not a history file of sensorcast (no valid header); refused, left as it is");
                return null;
            }
            case OTHER_VERSION -> {
                log.accept("history: " + p + " has history format version " + SegmentFormat.version(bytes)
                        + "; this sensorcast reads version " + SegmentFormat.VERSION + "; refused, left as it is");
                return null;
            }
            case TORN -> {
                if (length > 0) {
                    log.accept("history: " + p + ": damaged record at offset 0: the header is cut short ("
                            + length + " of " + SegmentFormat.HEADER_BYTES
                            + " bytes, a stop in the middle of a write); cut off there");
                    truncate(p, 0);
                    recordsSkipped++;
                }
                return new FileResult(0, length > 0 ? 1 : 0);
            }
            default -> { }
        }
        SegmentFormat.Scan scan = SegmentFormat.scan(bytes, length, sink);
        for (int i = 0; i < scan.damaged().size(); i++) {
            long at = scan.damaged().get(i);
            boolean tail = scan.tornTail() && i == scan.damaged().size() - 1;
            log.accept("history: " + p + ": damaged record at offset " + at
                    + (tail ? " to the end (a stop in the middle of a write); cut off there" : "; skipped to the next good one"));
        }
        recordsSkipped += scan.damaged().size();
        if (scan.tornTail()) {
            truncate(p, scan.validEnd());
        }
        return new FileResult(scan.blocks(), scan.damaged().size());
    }

    private static void truncate(Path p, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.truncate(size);
            ch.force(false);
        }
    }

    /** The segment a block whose newest minute is {@code epochMinute} goes to: its UTC day's, unless refused. */
    Path segmentFor(int epochMinute) {
        String day = LocalDate.ofEpochDay(Math.floorDiv((long) epochMinute, 1440)).toString();
        String name = day + ".seg";
        for (int n = 1; refused.contains(name) && n < 10_000; n++) {
            name = day + "." + n + ".seg";
        }
        return dir.resolve(name);
    }

    /**
     * Appends one block with one write and one fdatasync, after the header if the file is new;
     * returns the bytes written.
     */
    long append(byte[] block, int newestMinute, HistoryWriter.Fault fault) throws IOException {
        Path p = segmentFor(newestMinute);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            byte[] header = ch.size() == 0 ? SegmentFormat.header() : new byte[0];
            ByteBuffer out = ByteBuffer.allocate(header.length + block.length).put(header).put(block).flip();
            fault.beforeWrite(ch, out);
            while (out.hasRemaining()) {
                ch.write(out);
            }
            ch.force(false);
            return header.length + block.length;
        }
    }

    /**
     * Deletes whole segments whose day ended more than {@code window} before {@code nowMillis};
     * returns how many. Refused files are never touched.
     */
    int deleteOlderThan(long nowMillis, java.time.Duration window) throws IOException {
        long cutoff = nowMillis - window.toMillis();
        int deleted = 0;
        for (Path p : entries()) {
            String name = p.getFileName().toString();
            Matcher m = SEGMENT.matcher(name);
            if (!m.matches() || refused.contains(name)) {
                continue;
            }
            long dayEnd;
            try {
                dayEnd = LocalDate.parse(m.group(1)).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            } catch (java.time.format.DateTimeParseException e) {
                continue;
            }
            if (dayEnd <= cutoff) {
                Files.delete(p);
                deleted++;
            }
        }
        return deleted;
    }

    /** Bytes of the files in the directory. */
    long size() {
        long total = 0;
        try {
            for (Path p : entries()) {
                try {
                    total += Files.size(p);
                } catch (IOException e) {
                    // gone meanwhile
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return total;
    }

    /** Writes the raw hour once (a clean stop): a new file, synced, then renamed into place. */
    long writeRawSnapshot(List<? extends SegmentFormat.RawSource> channels) throws IOException {
        Path tmp = dir.resolve(RAW_SNAPSHOT + ".tmp");
        long n;
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer header = ByteBuffer.wrap(SegmentFormat.header());
            while (header.hasRemaining()) {
                ch.write(header, header.position());
            }
            n = SegmentFormat.HEADER_BYTES + SegmentFormat.writeRawBlock(ch, SegmentFormat.HEADER_BYTES, channels);
            ch.force(false);
        }
        Files.move(tmp, dir.resolve(RAW_SNAPSHOT), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return n;
    }

}

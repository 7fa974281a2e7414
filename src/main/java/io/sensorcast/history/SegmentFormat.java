package io.sensorcast.history;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The bytes of a history file, pure: no file is touched here (LevelDB's log format, made smaller).
 *
 * <pre>
 * file   := header block*
 * header := "SCHIST\r\n" version:u32 crc32c(magic, version):u32                     16 bytes
 * block  := "SCB1" length:u32 crc32c(length, payload):u32 payload[length]         one per flush
 * payload:= kind:u8 entries:u16 entry*
 *   kind 1 (minutes): id-length:u8 id:UTF-8 first-minute:i32 n:u16 n * minute    minute: 16 bytes
 *       minute := offset-from-first:u16 min:f32 avg:f32 max:f32 count:u16
 *   kind 2 (raw points): id-length:u8 id:UTF-8 n:i32 n * (epoch-µs:i64 value:f32)
 * </pre>
 *
 * All numbers are big-endian; minutes are epoch minutes (UTC). A block names each channel once
 * and is appended with one write, so a flush of 15 channels' 10 minutes is about 2.7 KB. Every
 * block carries its own checksum and starts with a marker, so a reader that meets a damaged block
 * finds the next good one ({@link #scan}).
 */
public final class SegmentFormat {

    /** The first 8 bytes of every history file; the CR LF catches a file mangled as text. */
    static final byte[] MAGIC = "SCHIST\r\n".getBytes(StandardCharsets.US_ASCII);
    public static final int VERSION = 1;
    public static final int HEADER_BYTES = 16;
    static final int BLOCK_MARK = 0x53434231; // "SCB1"
    static final int BLOCK_HEADER_BYTES = 12;
    /** Largest payload a reader accepts: far above a flush of 200 channels' hour (about 200 KB). */
    public static final int MAX_PAYLOAD = 64 << 20;
    static final int KIND_MINUTES = 1;
    static final int KIND_RAW = 2;
    static final int MINUTE_BYTES = 16;
    static final int RAW_POINT_BYTES = 12;

    private SegmentFormat() {}

    /** One channel's finished minute, as the hub hands it to the writer. */
    public record Minute(String channel, int minute, float min, float avg, float max, int count) {}

    /** Receives what a scan reads, in file order. */
    public interface Sink {
        void minute(String channel, int minute, float min, float avg, float max, int count);

        void raw(String channel, long epochMicros, float value);
    }

    /** The 16-byte header of a file of this version. */
    public static byte[] header() {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES);
        b.put(MAGIC).putInt(VERSION);
        b.putInt(crc(b.array(), 0, 12));
        return b.array();
    }

    static int crc(byte[] a, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(a, off, len);
        return (int) c.getValue();
    }

    /**
     * A block of minutes, channels in the order first met. A channel's minutes must ascend; a
     * channel with more than 65,535 minutes from its first (a clock that jumped) gets a new entry.
     */
    public static byte[] minutesBlock(List<Minute> minutes) {
        List<int[]> runs = new ArrayList<>(); // [from, to) of minutes, one channel, offsets fit u16
        java.util.Map<String, List<Integer>> byChannel = new java.util.LinkedHashMap<>();
        for (int i = 0; i < minutes.size(); i++) {
            byChannel.computeIfAbsent(minutes.get(i).channel(), k -> new ArrayList<>()).add(i);
        }
        int size = 3;
        List<Minute> ordered = new ArrayList<>(minutes.size());
        for (List<Integer> idx : byChannel.values()) {
            int start = ordered.size();
            for (int i : idx) {
                Minute m = minutes.get(i);
                boolean split = ordered.size() > start
                        && (m.minute() - ordered.get(start).minute() > 0xFFFF || ordered.size() - start >= 0xFFFF);
                if (split) {
                    runs.add(new int[] {start, ordered.size()});
                    start = ordered.size();
                }
                ordered.add(m);
            }
            runs.add(new int[] {start, ordered.size()});
        }
        for (int[] r : runs) {
            size += 1 + id(ordered.get(r[0]).channel()).length + 4 + 2 + (r[1] - r[0]) * MINUTE_BYTES;
        }
        if (runs.size() > 0xFFFF) {
            throw new IllegalArgumentException("more than 65535 channel entries in one block");
        }
        ByteBuffer p = ByteBuffer.allocate(size);
        p.put((byte) KIND_MINUTES).putShort((short) runs.size());
        for (int[] r : runs) {
            Minute first = ordered.get(r[0]);
            byte[] id = id(first.channel());
            p.put((byte) id.length).put(id).putInt(first.minute()).putShort((short) (r[1] - r[0]));
            for (int i = r[0]; i < r[1]; i++) {
                Minute m = ordered.get(i);
                p.putShort((short) (m.minute() - first.minute()))
                        .putFloat(m.min()).putFloat(m.avg()).putFloat(m.max())
                        .putShort((short) Math.min(0xFFFF, Math.max(0, m.count())));
            }
        }
        return block(p.array());
    }

    /** One channel's raw points for {@link #rawBlock}. */
    public record RawPoints(String channel, long[] epochMicros, float[] values) {}

    /** One channel's raw points, read where they are (a channel's ring): nothing copied. */
    public interface RawSource {
        String channel();

        int size();

        long time(int i);

        float value(int i);
    }

    /**
     * Streams a block of raw points to {@code out} in pieces of at most 64 KiB, so that 200
     * channels' full hour (8.6 MB) never sits in the heap at once: the block's header (length,
     * checksum) is written first as a placeholder and again at {@code start} once known. Returns
     * the block's length.
     */
    public static long writeRawBlock(java.nio.channels.FileChannel out, long start, List<? extends RawSource> channels)
            throws java.io.IOException {
        long len = 3;
        for (RawSource r : channels) {
            len += 1 + id(r.channel()).length + 4 + (long) r.size() * RAW_POINT_BYTES;
        }
        if (len > MAX_PAYLOAD || channels.size() > 0xFFFF) {
            throw new IllegalArgumentException("a raw hour of " + len + " bytes does not fit a block");
        }
        CRC32C crc = new CRC32C();
        ByteBuffer head = ByteBuffer.allocate(BLOCK_HEADER_BYTES).putInt(BLOCK_MARK).putInt((int) len);
        crc.update(head.array(), 4, 4);
        out.write(ByteBuffer.allocate(BLOCK_HEADER_BYTES), start); // placeholder
        long pos = start + BLOCK_HEADER_BYTES;
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        buf.put((byte) KIND_RAW).putShort((short) channels.size());
        for (RawSource r : channels) {
            byte[] id = id(r.channel());
            pos = drainIfLess(out, pos, buf, crc, 1 + id.length + 4);
            buf.put((byte) id.length).put(id).putInt(r.size());
            for (int i = 0; i < r.size(); i++) {
                pos = drainIfLess(out, pos, buf, crc, RAW_POINT_BYTES);
                buf.putLong(r.time(i)).putFloat(r.value(i));
            }
        }
        pos = drainIfLess(out, pos, buf, crc, buf.capacity());
        head.putInt((int) crc.getValue()).flip();
        while (head.hasRemaining()) {
            out.write(head, start + head.position());
        }
        return BLOCK_HEADER_BYTES + len;
    }

    private static long drainIfLess(java.nio.channels.FileChannel out, long pos, ByteBuffer buf, CRC32C crc, int need)
            throws java.io.IOException {
        if (buf.remaining() >= need) {
            return pos;
        }
        buf.flip();
        crc.update(buf.array(), 0, buf.limit());
        while (buf.hasRemaining()) {
            pos += out.write(buf, pos);
        }
        buf.clear();
        return pos;
    }

    /** Points in arrays as a {@link RawSource}. */
    public static RawSource source(RawPoints p) {
        return new RawSource() {
            @Override
            public String channel() {
                return p.channel();
            }

            @Override
            public int size() {
                return p.epochMicros().length;
            }

            @Override
            public long time(int i) {
                return p.epochMicros()[i];
            }

            @Override
            public float value(int i) {
                return p.values()[i];
            }
        };
    }

    /** A block of raw points (the raw hour, written once at a clean stop). */
    public static byte[] rawBlock(List<RawPoints> channels) {
        int size = 3;
        for (RawPoints r : channels) {
            size += 1 + id(r.channel()).length + 4 + r.epochMicros().length * RAW_POINT_BYTES;
        }
        ByteBuffer p = ByteBuffer.allocate(size);
        p.put((byte) KIND_RAW).putShort((short) channels.size());
        for (RawPoints r : channels) {
            byte[] id = id(r.channel());
            p.put((byte) id.length).put(id).putInt(r.epochMicros().length);
            for (int i = 0; i < r.epochMicros().length; i++) {
                p.putLong(r.epochMicros()[i]).putFloat(r.values()[i]);
            }
        }
        return block(p.array());
    }

    private static byte[] id(String channel) {
        byte[] id = channel.getBytes(StandardCharsets.UTF_8);
        if (id.length == 0 || id.length > 255) {
            throw new IllegalArgumentException("channel id of " + id.length + " bytes: 1 to 255 fit a history record");
        }
        return id;
    }

    private static byte[] block(byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(BLOCK_HEADER_BYTES + payload.length);
        b.putInt(BLOCK_MARK).putInt(payload.length);
        CRC32C c = new CRC32C();
        c.update(b.array(), 4, 4);
        c.update(payload);
        b.putInt((int) c.getValue()).put(payload);
        return b.array();
    }

    /** What a file's first bytes say. */
    public enum HeaderStatus {
        /** A header of this version: blocks follow. */
        OK,
        /** Empty, or the start of this version's header cut short (a power cut at creation): nothing in it. */
        TORN,
        /** Not a history file (or its header is damaged): leave it alone. */
        FOREIGN,
        /** A history file of another format version: leave it alone. */
        OTHER_VERSION
    }

    public static HeaderStatus header(byte[] file) {
        return header(file, file.length);
    }

    /** The header of a file held in {@code file[0, end)} (a buffer used again for each file). */
    public static HeaderStatus header(byte[] file, int end) {
        byte[] want = header();
        if (end < HEADER_BYTES) {
            for (int i = 0; i < end; i++) {
                if (file[i] != want[i]) {
                    return HeaderStatus.FOREIGN;
                }
            }
            return HeaderStatus.TORN;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (file[i] != MAGIC[i]) {
                return HeaderStatus.FOREIGN;
            }
        }
        if (crc(file, 0, 12) != ByteBuffer.wrap(file, 12, 4).getInt()) {
            return HeaderStatus.FOREIGN;
        }
        return version(file) == VERSION ? HeaderStatus.OK : HeaderStatus.OTHER_VERSION;
    }

    /** The version a file with our magic says it has. */
    public static int version(byte[] file) {
        return ByteBuffer.wrap(file, MAGIC.length, 4).getInt();
    }

    /**
     * What a scan found: {@code validEnd} is where the last good block ends (the file should be
     * cut there when {@code tornTail}); {@code damaged} lists the offsets where a damaged stretch
     * began (the last one is the torn tail when {@code tornTail}).
     */
    public record Scan(long validEnd, boolean tornTail, List<Long> damaged, int blocks) {}

    /**
     * Reads every good block of a file whose header is {@link HeaderStatus#OK} into {@code sink}.
     * A damaged block (bad mark, length past the end, checksum or content that does not add up) is
     * skipped up to the next block that checks; with none after it, the rest is a torn tail.
     */
    public static Scan scan(byte[] file, Sink sink) {
        return scan(file, file.length, sink);
    }

    /** {@link #scan(byte[], Sink)} of a file held in {@code file[0, end)}. */
    public static Scan scan(byte[] file, int end, Sink sink) {
        List<Long> damaged = new ArrayList<>();
        int pos = HEADER_BYTES;
        int validEnd = HEADER_BYTES;
        int blocks = 0;
        boolean inDamage = false;
        while (pos < end) {
            int len = checkedBlock(file, end, pos);
            if (len >= 0) {
                decode(file, pos + BLOCK_HEADER_BYTES, len, sink);
                blocks++;
                pos += BLOCK_HEADER_BYTES + len;
                validEnd = pos;
                inDamage = false;
                continue;
            }
            if (!inDamage) {
                damaged.add((long) pos);
                inDamage = true;
            }
            pos = nextMark(file, end, pos + 1);
        }
        return new Scan(validEnd, inDamage, List.copyOf(damaged), blocks);
    }

    private static int nextMark(byte[] file, int end, int from) {
        for (int i = from; i + 4 <= end; i++) {
            if (file[i] == 'S' && file[i + 1] == 'C' && file[i + 2] == 'B' && file[i + 3] == '1') {
                return i;
            }
        }
        return end;
    }

    /** The payload length of a block at {@code pos} that checks (mark, length, checksum, content), else -1. */
    private static int checkedBlock(byte[] file, int end, int pos) {
        if (end - pos < BLOCK_HEADER_BYTES) {
            return -1;
        }
        ByteBuffer b = ByteBuffer.wrap(file, pos, BLOCK_HEADER_BYTES);
        if (b.getInt() != BLOCK_MARK) {
            return -1;
        }
        int len = b.getInt();
        if (len < 3 || len > MAX_PAYLOAD || len > end - pos - BLOCK_HEADER_BYTES) {
            return -1;
        }
        CRC32C c = new CRC32C();
        c.update(file, pos + 4, 4);
        c.update(file, pos + BLOCK_HEADER_BYTES, len);
        if ((int) c.getValue() != b.getInt()) {
            return -1;
        }
        return decode(file, pos + BLOCK_HEADER_BYTES, len, null) ? len : -1;
    }

    /**
     * Checks the payload's structure (sink null: lengths only, no value is read) or hands its
     * contents to the sink. Plain byte arithmetic: the start reads 2 million minutes this way, and
     * under C1 alone (the unit's -XX:TieredStopAtLevel=1) a ByteBuffer per value costs more.
     */
    private static boolean decode(byte[] f, int off, int len, Sink sink) {
        int end = off + len;
        int p = off;
        int kind = f[p] & 0xFF;
        int entries = u16(f, p + 1);
        p += 3;
        for (int e = 0; e < entries; e++) {
            if (p >= end) {
                return false;
            }
            int idLen = f[p] & 0xFF;
            p++;
            if (idLen == 0 || idLen > end - p) {
                return false;
            }
            String id = sink == null ? null : new String(f, p, idLen, StandardCharsets.UTF_8);
            p += idLen;
            if (kind == KIND_MINUTES) {
                if (end - p < 6) {
                    return false;
                }
                int first = i32(f, p);
                int n = u16(f, p + 4);
                p += 6;
                if ((long) n * MINUTE_BYTES > end - p) {
                    return false;
                }
                if (sink == null) {
                    p += n * MINUTE_BYTES;
                    continue;
                }
                for (int i = 0; i < n; i++, p += MINUTE_BYTES) {
                    sink.minute(id, first + u16(f, p), Float.intBitsToFloat(i32(f, p + 2)),
                            Float.intBitsToFloat(i32(f, p + 6)), Float.intBitsToFloat(i32(f, p + 10)), u16(f, p + 14));
                }
            } else if (kind == KIND_RAW) {
                if (end - p < 4) {
                    return false;
                }
                int n = i32(f, p);
                p += 4;
                if (n < 0 || (long) n * RAW_POINT_BYTES > end - p) {
                    return false;
                }
                if (sink == null) {
                    p += n * RAW_POINT_BYTES;
                    continue;
                }
                for (int i = 0; i < n; i++, p += RAW_POINT_BYTES) {
                    long t = ((long) i32(f, p) << 32) | (i32(f, p + 4) & 0xFFFF_FFFFL);
                    sink.raw(id, t, Float.intBitsToFloat(i32(f, p + 8)));
                }
            } else {
                return false;
            }
        }
        return p == end;
    }

    private static int u16(byte[] f, int p) {
        return ((f[p] & 0xFF) << 8) | (f[p + 1] & 0xFF);
    }

    private static int i32(byte[] f, int p) {
        return (f[p] << 24) | ((f[p + 1] & 0xFF) << 16) | ((f[p + 2] & 0xFF) << 8) | (f[p + 3] & 0xFF);
    }
}

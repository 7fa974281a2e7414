package io.sensorcast.loop;

import java.nio.ByteBuffer;

/**
 * Where a connection's queued frames are gathered for its one write(2) per iteration: a heap array
 * that the frames are copied into with {@link System#arraycopy}, and the loop's one direct buffer
 * that the socket is written from.
 *
 * <p>A sample frame is some 70 bytes, and ten monitors at 400,000 samples/s are four million of
 * them a second. {@link ByteBuffer#put(byte[], int, int)} into a direct buffer costs its bounds
 * and memory-session checks per call, which C1 (the unit's compiler) does not fold away: per frame,
 * that was more than the copy. Gathering into the array first leaves one such put per write.
 */
final class WriteStaging {

    private final byte[] bytes;
    private final ByteBuffer direct;

    WriteStaging(int capacity) {
        this.bytes = new byte[capacity];
        this.direct = ByteBuffer.allocateDirect(capacity);
    }

    /** The array to gather into, from index 0; at most {@link #capacity()} bytes of it are written. */
    byte[] bytes() {
        return bytes;
    }

    int capacity() {
        return bytes.length;
    }

    /** The first {@code length} gathered bytes, in the direct buffer, ready for the socket. */
    ByteBuffer load(int length) {
        direct.clear();
        direct.put(bytes, 0, length);
        return direct.flip();
    }
}

package io.sensorcast.bench;

import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

/** One monitor connection of the load client: its socket, its unparsed bytes, its seqs. */
final class Monitor {

    enum State { CONNECTING, UPGRADING, OPEN }

    final SocketChannel socket;
    SelectionKey key;
    State state = State.CONNECTING;
    /** When churning: the moment this monitor leaves (System.nanoTime); else Long.MAX_VALUE. */
    final long leaveAt;

    /** Bytes of a frame (or of the HTTP response) that arrived without their end. */
    byte[] carry = new byte[0];
    int carryLength;

    /** Channels seen on this connection and the last seq of each: usually one or a few. */
    private byte[][] channels = new byte[0][];
    private long[] lastSeq = new long[0];

    Monitor(SocketChannel socket, long leaveAt) {
        this.socket = socket;
        this.leaveAt = leaveAt;
    }

    void keep(byte[] b, int from, int to) {
        int n = to - from;
        if (carry.length < n) {
            carry = new byte[Math.max(n, 256)];
        }
        System.arraycopy(b, from, carry, 0, n);
        carryLength = n;
    }

    /**
     * Records a sample's seq and returns how many samples are missing before it (0 when it follows
     * the previous one or is the first seen on its channel; -1 when it is not newer than the last).
     */
    long advance(byte[] b, int channelStart, int channelEnd, long seq) {
        int i = indexOf(b, channelStart, channelEnd);
        if (i < 0) {
            channels = Arrays.copyOf(channels, channels.length + 1);
            lastSeq = Arrays.copyOf(lastSeq, lastSeq.length + 1);
            channels[channels.length - 1] = Arrays.copyOfRange(b, channelStart, channelEnd);
            lastSeq[lastSeq.length - 1] = seq;
            return 0;
        }
        long last = lastSeq[i];
        if (seq <= last) {
            return -1;
        }
        lastSeq[i] = seq;
        return seq - last - 1;
    }

    private int indexOf(byte[] b, int from, int to) {
        for (int i = 0; i < channels.length; i++) {
            if (Arrays.equals(channels[i], 0, channels[i].length, b, from, to)) {
                return i;
            }
        }
        return -1;
    }
}

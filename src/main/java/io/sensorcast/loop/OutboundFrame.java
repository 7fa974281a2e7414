package io.sensorcast.loop;

/**
 * Bytes ready for the wire, encoded once and shared read-only by every connection that sends them
 * (encoded once per message, never per connection). Nobody writes into {@link #bytes} after construction; a frame lives until the
 * last connection that queued it has written it, and the garbage collector frees it then.
 */
public final class OutboundFrame {

    /** What a full outbound queue may do with a frame. */
    public enum Kind {
        /** A sample: the oldest of these are dropped when a connection is over its outbound cap. */
        SAMPLE,
        /**
         * Answers (HTTP responses, pongs, replies to commands, echoes) and the WebSocket session's
         * own frames (ping, close): never dropped; while they fill the cap, the protocol stops
         * reading the peer's input.
         */
        ANSWER,
        /** The "you lost N frames" notice: never dropped, at most one queued per connection. */
        DROP_NOTICE,
        /**
         * What the server says on its own (hello, a channel's status, the channel list, alerts):
         * never dropped. One with a {@link #key} replaces the queued one of the same key; past the
         * cap of these, the connection is closed, since its peer has lost what they said.
         */
        PUSHED
    }

    private final byte[] bytes;
    private final Kind kind;
    private final Object key;
    /** Samples this frame carries: 1, or more for a frame that merged them ({@link SampleMerger}). */
    private final int samples;

    public OutboundFrame(byte[] bytes, Kind kind) {
        this(bytes, kind, null, kind == Kind.SAMPLE ? 1 : 0);
    }

    private OutboundFrame(byte[] bytes, Kind kind, Object key, int samples) {
        this.bytes = bytes;
        this.kind = kind;
        this.key = key;
        this.samples = samples;
    }

    public static OutboundFrame answer(byte[] bytes) {
        return new OutboundFrame(bytes, Kind.ANSWER);
    }

    /** A message the server pushes that nothing replaces (the hello, an alert). */
    public static OutboundFrame pushed(byte[] bytes) {
        return new OutboundFrame(bytes, Kind.PUSHED);
    }

    /**
     * The newest state of {@code key} (compared with {@code equals}): a channel's status, the channel
     * list. It takes the place of a frame of the same key still wholly queued, at the tail.
     */
    public static OutboundFrame state(Object key, byte[] bytes) {
        return new OutboundFrame(bytes, Kind.PUSHED, java.util.Objects.requireNonNull(key, "key"), 0);
    }

    public static OutboundFrame sample(byte[] bytes) {
        return new OutboundFrame(bytes, Kind.SAMPLE);
    }

    /** One frame that carries {@code samples} samples (a {@link SampleMerger}'s result): dropped and counted as that many. */
    public static OutboundFrame samples(byte[] bytes, int samples) {
        if (samples < 1) {
            throw new IllegalArgumentException("a sample frame carries at least one sample: " + samples);
        }
        return new OutboundFrame(bytes, Kind.SAMPLE, null, samples);
    }

    /** The encoded bytes. Shared: callers must treat the array as read-only. */
    byte[] bytes() {
        return bytes;
    }

    public int length() {
        return bytes.length;
    }

    /** Copies {@code length} bytes from {@code from} into {@code into} at {@code at}: reading without a way to write. */
    public void copyTo(int from, byte[] into, int at, int length) {
        System.arraycopy(bytes, from, into, at, length);
    }

    /** The byte at {@code i}. */
    public byte byteAt(int i) {
        return bytes[i];
    }

    /** Samples carried: 1 for a sample frame, more for merged ones, 0 for any other kind. */
    public int samples() {
        return samples;
    }

    public Kind kind() {
        return kind;
    }

    /** What a newer frame of the same key replaces; null for a frame nothing replaces. */
    Object key() {
        return key;
    }
}

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

    public OutboundFrame(byte[] bytes, Kind kind) {
        this(bytes, kind, null);
    }

    private OutboundFrame(byte[] bytes, Kind kind, Object key) {
        this.bytes = bytes;
        this.kind = kind;
        this.key = key;
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
        return new OutboundFrame(bytes, Kind.PUSHED, java.util.Objects.requireNonNull(key, "key"));
    }

    public static OutboundFrame sample(byte[] bytes) {
        return new OutboundFrame(bytes, Kind.SAMPLE);
    }

    /** The encoded bytes. Shared: callers must treat the array as read-only. */
    byte[] bytes() {
        return bytes;
    }

    public int length() {
        return bytes.length;
    }

    public Kind kind() {
        return kind;
    }

    /** What a newer frame of the same key replaces; null for a frame nothing replaces. */
    Object key() {
        return key;
    }
}

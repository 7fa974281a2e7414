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
        /** Hello, status, handshake responses, WebSocket control frames: never dropped. */
        CONTROL,
        /** The "you lost N frames" notice: never dropped, at most one queued per connection. */
        DROP_NOTICE
    }

    private final byte[] bytes;
    private final Kind kind;

    public OutboundFrame(byte[] bytes, Kind kind) {
        this.bytes = bytes;
        this.kind = kind;
    }

    public static OutboundFrame control(byte[] bytes) {
        return new OutboundFrame(bytes, Kind.CONTROL);
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
}

package io.sensorcast.loop;

import java.nio.ByteBuffer;

/**
 * What speaks on a {@link Connection}: HTTP first, WebSocket after an upgrade. Every method runs on
 * the loop thread. A protocol that throws closes its own connection only.
 */
public interface Protocol {

    /**
     * Bytes arrived. Consume all of {@code in} or keep what you need: the buffer is the loop's and is
     * reused for the next connection as soon as this returns.
     */
    void onData(Connection connection, ByteBuffer in) throws Exception;

    /**
     * An outbound connection ({@link EventLoop#connect}) is established: the protocol speaks first
     * (MQTT's CONNECT). Not called for accepted connections.
     */
    default void onConnected(Connection connection) throws Exception {}

    /**
     * The connection is being closed for {@code cause}: an I/O error (a reset, a refused connect)
     * or an exception from the protocol itself. {@link #onClosed} follows.
     */
    default void onError(Connection connection, Throwable cause) {}

    /**
     * Everything queued on the connection is written: a streamed answer queues its next part here.
     * Held-back input (pipelined requests) is handed over only once the queue stays empty after this.
     */
    default void onDrained(Connection connection) throws Exception {}

    /** Called about once a second for timeouts; {@code nowNanos} is {@link System#nanoTime()}. */
    default void onTick(Connection connection, long nowNanos) {}

    /**
     * The connection dropped {@code dropped} sample frames since the last notice ({@code total} in all).
     * Returns the frame that tells the peer, or null if this protocol has no way to say it.
     */
    default OutboundFrame dropNotice(long dropped, long total) {
        return null;
    }

    /** The server is shutting down: say goodbye (WebSocket close 1001) and close after the flush. */
    default void onShutdown(Connection connection) {
        connection.close();
    }

    /**
     * The peer has read nothing for the write-stall timeout. Say why if the protocol can (WebSocket
     * close 1008) and close; the connection is closed for good after a short linger either way.
     */
    default void onWriteStalled(Connection connection) {
        connection.close();
    }

    /**
     * The peer left more than the outbound cap of pushed frames (hello, states, alerts) unread: it
     * has lost what they said. Say why if the protocol can (WebSocket close 1008) and close.
     */
    default void onPushedOverflow(Connection connection) {
        connection.close();
    }

    /** How the log names the protocol: "closing the WebSocket connection to ..." (TCP when it has no better name). */
    default String name() {
        return "TCP";
    }

    /** How the log names what the server pushes on its own to this peer (the frames the pushed cap bounds). */
    default String pushedName() {
        return "messages the server sent on its own";
    }

    /** The socket is closed; release what the protocol holds (subscriptions, buffers). Called once. */
    default void onClosed(Connection connection) {}
}

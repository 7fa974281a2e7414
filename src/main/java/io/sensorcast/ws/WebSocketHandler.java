package io.sensorcast.ws;

/** What an endpoint (/ws, /ws/echo) does with a WebSocket. Every method runs on the loop thread. */
public interface WebSocketHandler {

    /** Largest message this endpoint accepts; over it the peer gets close 1009. */
    int maxMessageBytes();

    void onOpen(WebSocket socket);

    /** A complete message; for text, {@code payload} is valid UTF-8. The array is the handler's. */
    void onMessage(WebSocket socket, boolean text, byte[] payload);

    /** The socket is gone (closing handshake done, peer vanished, timeout, shutdown). Called once. */
    default void onClose(WebSocket socket) {}

    /** The UTF-8 payload of a text message that tells the peer frames were dropped, or null. */
    default byte[] dropNotice(long dropped, long total) {
        return null;
    }
}

package io.sensorcast.ws;

/** Receives what {@link FrameParser} finds, synchronously from {@code parse()}, on the caller's thread. */
public interface FrameListener {

    /**
     * A complete (reassembled) data message. For text the bytes are already validated UTF-8.
     * The array has exactly the message's length and now belongs to the listener (the parser never touches it again).
     */
    void onMessage(boolean text, byte[] payload);

    /** A ping; payload is at most 125 bytes, exact length, and the listener's to keep (e.g. to echo in the pong). */
    void onPing(byte[] payload);

    /** A pong, normally answering our ping; same payload guarantees as {@link #onPing}. */
    void onPong(byte[] payload);

    /**
     * A valid close frame. code is 1005 ({@link CloseCodes#NO_STATUS}) when the frame had no body;
     * reason is "" if none.
     */
    void onClose(int code, String reason);
}

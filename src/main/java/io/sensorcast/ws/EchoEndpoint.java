package io.sensorcast.ws;

import io.sensorcast.loop.OutboundFrame;

/**
 * /ws/echo: sends every message back unchanged, for conformance suites (Autobahn|Testsuite).
 * Off unless enabled. The payload is queued as its own frame behind a separate header, so a
 * 16 MiB message is never copied on the way out.
 */
public final class EchoEndpoint implements WebSocketHandler {

    private final int maxMessageBytes;

    public EchoEndpoint(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    @Override
    public void onOpen(WebSocket socket) {}

    @Override
    public void onMessage(WebSocket socket, boolean text, byte[] payload) {
        int opcode = text ? FrameEncoder.OP_TEXT : FrameEncoder.OP_BINARY;
        socket.send(OutboundFrame.answer(FrameEncoder.header(opcode, payload.length)));
        socket.send(OutboundFrame.answer(payload));
    }
}

package io.sensorcast.hub;

import io.sensorcast.ws.CloseCodes;
import io.sensorcast.ws.WebSocket;
import io.sensorcast.ws.WebSocketHandler;

/**
 * /ws, the monitor stream: a monitor joins the hub on open and leaves on close. Monitors send
 * nothing in this version of the protocol; a text message gets an error message back (and the
 * stream goes on), a binary one is refused with close 1003.
 */
public final class MonitorEndpoint implements WebSocketHandler {

    private final Hub hub;
    private final int maxMessageBytes;

    public MonitorEndpoint(Hub hub, int maxMessageBytes) {
        this.hub = hub;
        this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    @Override
    public void onOpen(WebSocket socket) {
        hub.addMonitor(socket);
    }

    @Override
    public void onMessage(WebSocket socket, boolean text, byte[] payload) {
        if (!text) {
            socket.close(CloseCodes.UNSUPPORTED_DATA, "the monitor stream takes text messages only");
            return;
        }
        socket.send(io.sensorcast.loop.OutboundFrame.control(io.sensorcast.ws.FrameEncoder.text(
                MonitorMessages.error("unknown command: this server takes no commands on /ws yet"))));
    }

    @Override
    public void onClose(WebSocket socket) {
        hub.removeMonitor(socket);
    }

    @Override
    public byte[] dropNotice(long dropped, long total) {
        return MonitorMessages.dropped(dropped, total);
    }
}

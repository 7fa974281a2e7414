package io.sensorcast.hub;

import io.sensorcast.loop.OutboundFrame;
import io.sensorcast.ws.CloseCodes;
import io.sensorcast.ws.WebSocket;
import io.sensorcast.ws.WebSocketHandler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * /ws, the monitor stream: a monitor joins the hub on open (watching every channel) and leaves on
 * close. It may send {@code {"type":"subscribe","channels":["cpu.temperature"]}} to watch fewer
 * ({@code "*"} or no list for all); the answer is {@code {"type":"subscribed","channels":[...]}}.
 * With {@code "batch":true} in it, the samples queued for the monitor when it is written go as one
 * {@code {"type":"samples","samples":[...]}} message ({@link StreamFrames#merge}).
 * A command the server does not understand gets an error message and the stream goes on; a binary
 * message is refused with close 1003.
 */
public final class MonitorEndpoint implements WebSocketHandler {

    private final Hub hub;
    private final int maxMessageBytes;
    /** The hub's subscriber for each open monitor socket. */
    private final Map<WebSocket, Monitor> monitors = new HashMap<>();

    /** A monitor socket as the hub's subscriber. */
    public record Monitor(WebSocket socket) implements Subscriber {
        @Override
        public void send(OutboundFrame frame) {
            socket.send(frame);
        }
    }

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
        Monitor m = new Monitor(socket);
        monitors.put(socket, m);
        hub.addMonitor(m);
    }

    @Override
    public void onMessage(WebSocket socket, boolean text, byte[] payload) {
        if (!text) {
            socket.close(CloseCodes.UNSUPPORTED_DATA, "the monitor stream takes text messages only");
            return;
        }
        Object command;
        try {
            command = JsonReader.parse(new String(payload, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            reply(socket, MonitorMessages.error(e.getMessage()));
            return;
        }
        if (!(command instanceof Map<?, ?> map) || !(map.get("type") instanceof String type)) {
            reply(socket, MonitorMessages.error("a command is a JSON object with a \"type\""));
            return;
        }
        if (!type.equals("subscribe")) {
            reply(socket, MonitorMessages.error("unknown command type '" + type + "'; known: subscribe"));
            return;
        }
        Object channels = map.get("channels");
        List<String> ids = null;
        if (channels instanceof List<?> list) {
            ids = new ArrayList<>();
            for (Object o : list) {
                if (!(o instanceof String id)) {
                    reply(socket, MonitorMessages.error("\"channels\" lists channel ids as strings"));
                    return;
                }
                ids.add(id);
            }
        } else if (channels != null && !"*".equals(channels)) {
            reply(socket, MonitorMessages.error("\"channels\" is a list of channel ids, or \"*\" for all"));
            return;
        }
        Object batch = map.get("batch");
        if (batch != null && !(batch instanceof Boolean)) {
            reply(socket, MonitorMessages.error("\"batch\" is true or false"));
            return;
        }
        // A moment's samples in one message: each message costs a browser a task and an IPC hop.
        boolean batched = Boolean.TRUE.equals(batch);
        socket.connection().mergeSamples(batched ? StreamFrames::merge : null);
        Monitor m = monitors.get(socket);
        List<String> unknown = hub.subscribe(m, ids);
        if (!unknown.isEmpty()) {
            reply(socket, MonitorMessages.error("unknown channel" + (unknown.size() == 1 ? " " : "s ")
                    + String.join(", ", unknown) + "; subscribed to the others"));
        }
        reply(socket, MonitorMessages.subscribed(hub.subscriptions(m), batched));
    }

    private static void reply(WebSocket socket, byte[] json) {
        socket.send(StreamFrames.reply(json));
    }

    @Override
    public void onClose(WebSocket socket) {
        Monitor m = monitors.remove(socket);
        if (m != null) {
            hub.removeMonitor(m);
        }
    }

    @Override
    public byte[] dropNotice(long dropped, long total) {
        return MonitorMessages.dropped(dropped, total);
    }
}

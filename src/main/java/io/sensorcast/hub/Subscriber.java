package io.sensorcast.hub;

import io.sensorcast.loop.OutboundFrame;

/**
 * A monitor as the hub sees it: it watches channels, and takes the frames the hub made once for
 * every subscriber (a WebSocket of /ws, through {@link MonitorEndpoint}). Loop thread only.
 */
public interface Subscriber {

    /** Queues {@code frame}, which is shared with every other subscriber and never written to. */
    void send(OutboundFrame frame);
}

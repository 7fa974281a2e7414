package io.sensorcast.hub;

/** A channel changed state; posted by the sensor's supervisor, immutable. */
public record StatusChange(String channel, ChannelState state, String message) implements HubMessage {

    public StatusChange {
        if (message == null) {
            message = "";
        }
    }
}

package io.sensorcast.sensor;

import io.sensorcast.hub.ChannelInfo;
import io.sensorcast.hub.ChannelState;
import io.sensorcast.hub.StatusChange;
import java.util.List;
import java.util.function.Consumer;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * What a device last told its channels: ok, or an error with its message. A change is posted to
 * every channel of the device and logged, once per change and not per retry, whichever thread saw
 * it: the device's thread after a read, or the loop's watchdog during one.
 */
final class DeviceStatus {

    private static final TaggedLogger LOG = Logger.tag("sensor");

    private final String device;
    private final List<ChannelInfo> channels;
    private final Consumer<StatusChange> post;
    private String lastError; // guarded by this

    /** @param post takes a status change without blocking and never refuses it */
    DeviceStatus(String device, List<ChannelInfo> channels, Consumer<StatusChange> post) {
        this.device = device;
        this.channels = List.copyOf(channels);
        this.post = post;
    }

    /** The device fails with {@code message}: said if it is not what was said last. Any thread. */
    synchronized void error(String message) {
        if (!message.equals(lastError)) {
            LOG.warn("{}: {}", device, message);
            lastError = message;
            postAll(ChannelState.ERROR, message);
        }
    }

    /** The device reads again: said if it was failing. Any thread. */
    synchronized void ok() {
        if (lastError != null) {
            LOG.info("{}: reading again", device);
            lastError = null;
            postAll(ChannelState.OK, "");
        }
    }

    private void postAll(ChannelState state, String message) {
        for (ChannelInfo c : channels) {
            post.accept(new StatusChange(c.id(), state, message));
        }
    }
}

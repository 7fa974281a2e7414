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
 * it: the device's thread after a read, or the loop's watchdog during one. The log line follows
 * the posts outside any lock: a log write can block (a stalled journal), and the loop must never
 * wait for another thread's.
 */
final class DeviceStatus {

    private static final TaggedLogger LOG = Logger.tag("sensor");

    private final String device;
    private final List<ChannelInfo> channels;
    private final Consumer<StatusChange> post;
    /**
     * Held while a change is decided and posted, which never blocks, so that two reporters post in
     * the order they decided; never across the log write, since the loop reports here too.
     */
    private final Object lock = new Object();
    private String lastError; // guarded by lock

    /** @param post takes a status change without blocking and never refuses it */
    DeviceStatus(String device, List<ChannelInfo> channels, Consumer<StatusChange> post) {
        this.device = device;
        this.channels = List.copyOf(channels);
        this.post = post;
    }

    /** The device fails with {@code message}: said if it is not what was said last. Any thread. */
    void error(String message) {
        synchronized (lock) {
            if (message.equals(lastError)) {
                return;
            }
            lastError = message;
            postAll(ChannelState.ERROR, message);
        }
        LOG.warn("{}: {}", device, message);
    }

    /** The device reads again: said if it was failing. Any thread. */
    void ok() {
        synchronized (lock) {
            if (lastError == null) {
                return;
            }
            lastError = null;
            postAll(ChannelState.OK, "");
        }
        LOG.info("{}: reading again", device);
    }

    private void postAll(ChannelState state, String message) {
        for (ChannelInfo c : channels) {
            post.accept(new StatusChange(c.id(), state, message));
        }
    }
}

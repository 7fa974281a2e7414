package io.sensorcast.loop;

/**
 * Makes one frame of several queued sample frames, for a peer that takes a moment's samples in one
 * message (a dashboard: each message costs a browser a task and an IPC hop, whatever its size).
 * Set per connection ({@link Connection#mergeSamples}); the connection calls it when it writes, on
 * each run of two or more sample frames that wait whole in its queue. The frames are shared with
 * other connections and stay untouched: the merged frame is a copy, this connection's own.
 */
@FunctionalInterface
public interface SampleMerger {

    /** One frame carrying the samples of {@code frames[0]} to {@code frames[count - 1]}, in order. */
    OutboundFrame merge(OutboundFrame[] frames, int count);
}

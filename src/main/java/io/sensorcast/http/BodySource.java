package io.sensorcast.http;

/**
 * A response body made in parts on the loop, each asked for when the peer has read the one before
 * ({@link io.sensorcast.loop.Protocol#onDrained}): an answer too big to hold in the heap at once
 * (a week of history as CSV) costs one part of memory per connection, and stays under the
 * connection's outbound cap. Sent with chunked transfer coding (RFC 9112 section 7.1), or to the
 * close for an HTTP/1.0 peer.
 */
@FunctionalInterface
public interface BodySource {

    /** Appends the next part, about {@code maxChars} of text, to {@code out}; false when it was the last. */
    boolean next(StringBuilder out, int maxChars);
}

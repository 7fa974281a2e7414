package io.sensorcast.ws;

import java.util.Objects;

/**
 * Why the peer's input must fail the connection (RFC 6455 7.1.7): the close code to send and a short reason.
 * The parser's reasons are short ASCII, so they fit a close frame body (5.5: 125 bytes = 2-byte code + 123).
 */
public record ProtocolError(int closeCode, String reason) {
    public ProtocolError {
        Objects.requireNonNull(reason, "reason");
    }
}

package io.sensorcast.http;

/**
 * Malformed or over-limit input: the status to answer (400, 413, 414, 431, 501, 505) and a short reason for the
 * body/log. After one is thrown the byte stream is out of sync, so the connection must be closed after answering.
 */
public final class HttpParseException extends Exception {
    private final int status;

    public HttpParseException(int status, String reason) {
        // No stack trace: this is a verdict on a peer's bytes, not a bug, and hostile input must stay cheap to reject.
        super(reason, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public String reason() {
        return getMessage();
    }
}

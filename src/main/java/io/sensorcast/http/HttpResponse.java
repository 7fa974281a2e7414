package io.sensorcast.http;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** A response to encode once and queue: status, header fields, body. */
public final class HttpResponse {

    private static final byte[] EMPTY = new byte[0];

    private final int status;
    private final List<String[]> headers = new ArrayList<>(6);
    private byte[] body = EMPTY;
    private BodySource stream;
    private Runnable afterQueued;

    private HttpResponse(int status) {
        this.status = status;
    }

    public static HttpResponse of(int status) {
        return new HttpResponse(status);
    }

    /** A short plain-text body, for errors: the reason a person reads in curl or the browser. */
    public static HttpResponse text(int status, String text) {
        return of(status).header("Content-Type", "text/plain; charset=utf-8")
                .body((text + "\n").getBytes(StandardCharsets.UTF_8));
    }

    public static HttpResponse json(int status, String json) {
        return of(status).header("Content-Type", "application/json")
                .header("Cache-Control", "no-store")
                .body(json.getBytes(StandardCharsets.UTF_8));
    }

    /** A body made in parts as the peer reads ({@link BodySource}), of unknown length. */
    public static HttpResponse streamed(int status, String contentType, BodySource body) {
        HttpResponse r = of(status).header("Content-Type", contentType).header("Cache-Control", "no-store");
        r.stream = body;
        return r;
    }

    /** The body's parts, or null when the body is {@link #body()}. */
    public BodySource stream() {
        return stream;
    }

    public HttpResponse header(String name, String value) {
        headers.add(new String[] {name, value});
        return this;
    }

    public HttpResponse body(byte[] bytes) {
        this.body = bytes;
        return this;
    }

    /**
     * Runs once the response bytes are queued: how a 101 hands the connection to WebSocket, so
     * that the first WebSocket frame is queued after the handshake response, never before it.
     */
    public HttpResponse afterQueued(Runnable action) {
        this.afterQueued = action;
        return this;
    }

    Runnable afterQueued() {
        return afterQueued;
    }

    public int status() {
        return status;
    }

    public byte[] body() {
        return body;
    }

    public String header(String name) {
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase(name)) {
                return h[1];
            }
        }
        return null;
    }

    /**
     * The bytes on the wire. {@code headOnly} leaves the body out but keeps its Content-Length
     * (RFC 9110 9.3.2); 1xx, 204 and 304 carry no body and no length (RFC 9110 8.6).
     */
    public byte[] encode(boolean headOnly, boolean keepAlive) {
        return encode(headOnly, keepAlive, true);
    }

    /**
     * As {@link #encode(boolean, boolean)}; a {@link #stream() streamed} body is announced as
     * chunked when {@code chunked} (an HTTP/1.1 peer), else ends with the connection (HTTP/1.0,
     * RFC 9112 6.3 rule 8), and none of its bytes are in the result.
     */
    public byte[] encode(boolean headOnly, boolean keepAlive, boolean chunked) {
        StringBuilder sb = new StringBuilder(160);
        sb.append("HTTP/1.1 ").append(status).append(' ').append(reasonPhrase(status)).append("\r\n");
        sb.append("Date: ").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)))
                .append("\r\n");
        sb.append("Server: sensorcast\r\n");
        for (String[] h : headers) {
            sb.append(h[0]).append(": ").append(h[1]).append("\r\n");
        }
        boolean bodiless = status < 200 || status == 204 || status == 304;
        if (!bodiless && stream != null) {
            sb.append(chunked ? "Transfer-Encoding: chunked\r\n" : "");
        } else if (!bodiless) {
            sb.append("Content-Length: ").append(body.length).append("\r\n");
        }
        if (status != 101) {
            sb.append(keepAlive ? "" : "Connection: close\r\n");
        }
        sb.append("\r\n");
        byte[] head = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        if (bodiless || headOnly || body.length == 0) {
            return head;
        }
        byte[] out = new byte[head.length + body.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(body, 0, out, head.length, body.length);
        return out;
    }

    static String reasonPhrase(int status) {
        return switch (status) {
            case 101 -> "Switching Protocols";
            case 200 -> "OK";
            case 204 -> "No Content";
            case 303 -> "See Other";
            case 304 -> "Not Modified";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 426 -> "Upgrade Required";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 503 -> "Service Unavailable";
            case 505 -> "HTTP Version Not Supported";
            default -> "Status " + status;
        };
    }
}

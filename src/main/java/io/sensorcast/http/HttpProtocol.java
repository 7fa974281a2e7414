package io.sensorcast.http;

import io.sensorcast.config.Settings;
import io.sensorcast.config.Values;
import io.sensorcast.loop.Connection;
import io.sensorcast.loop.OutboundFrame;
import io.sensorcast.loop.Protocol;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * HTTP/1.1 on one connection: parses requests as bytes arrive, answers them in order (pipelined
 * requests included: each response is queued before the next request is parsed), and hands the
 * connection over when a handler upgrades it to WebSocket.
 *
 * <p>Timeouts: a request must be complete within the handshake timeout of its first byte (and the
 * first request within that of the accept: a slowloris peer gets 408); a keep-alive connection
 * with no request in flight is closed after the idle timeout.
 */
public final class HttpProtocol implements Protocol {

    private static final TaggedLogger LOG = Logger.tag("http");
    /** A streamed body's part: small against the outbound cap, big enough for few loop iterations. */
    static final int PART_CHARS = 32 * 1024;

    private final Routes routes;
    private final StaticFiles files;
    private final Settings settings;
    private final AccessGuard guard;
    private final HttpRequestParser parser;
    private long phaseStartNanos = System.nanoTime();
    private boolean awaitingFirstRequest = true;
    /** The body being streamed; no further request is read until it is complete. */
    private BodySource streaming;
    private boolean streamingChunked;
    private boolean closeAfterStream;

    /** With no access token: everything open. */
    public HttpProtocol(Routes routes, StaticFiles files, Settings settings) {
        this(routes, files, settings, new AccessGuard(null));
    }

    /** @param guard shared by every connection of the loop; checked before routing */
    public HttpProtocol(Routes routes, StaticFiles files, Settings settings, AccessGuard guard) {
        this.routes = routes;
        this.files = files;
        this.settings = settings;
        this.guard = guard;
        this.parser = new HttpRequestParser(settings.maxHeaderBytes, settings.maxBodyBytes);
    }

    @Override
    public String name() {
        return "HTTP";
    }

    @Override
    public void onData(Connection c, ByteBuffer in) throws Exception {
        while (in.hasRemaining() && !c.isClosing()) {
            if (c.isBacklogged() || streaming != null) {
                return; // the connection keeps the rest until the peer reads its responses
            }
            if (!parser.inProgress()) {
                phaseStartNanos = System.nanoTime();
            }
            HttpRequest request;
            try {
                request = parser.parse(in);
            } catch (HttpParseException e) {
                // Once per status and ten seconds: a peer over a limit (431, 413) or sending garbage
                // (400) is worth one line that says why, never one per request.
                c.loop().warnLimited("http-" + e.status(), c.peer() + ": " + e.status() + " " + e.reason() + limitKey(e.status()));
                respond(c, null, HttpResponse.text(e.status(), e.reason()), false);
                return;
            }
            if (request == null) {
                return;
            }
            awaitingFirstRequest = false;
            handle(c, request);
            if (c.protocol() != this) {
                // Upgraded: what follows the request belongs to the new protocol.
                if (in.hasRemaining() && !c.isClosing()) {
                    c.protocol().onData(c, in);
                }
                return;
            }
        }
    }

    private void handle(Connection c, HttpRequest request) {
        HttpResponse response;
        try {
            response = route(c, request);
        } catch (Exception e) {
            // A handler bug answers 500 on this connection only.
            LOG.error(e, "{}: {} {} failed", c.peer(), request.method(), request.path());
            response = HttpResponse.text(500, "internal error");
            respond(c, request, response, false);
            return;
        }
        boolean upgrade = response.status() == 101;
        boolean keepAlive = upgrade || request.keepAlive() && response.status() < 500;
        respond(c, request, response, keepAlive);
    }

    private HttpResponse route(Connection c, HttpRequest request) throws Exception {
        HttpResponse denied = guard.check(request, c.peer());
        if (denied != null) {
            return denied; // before routing: a protected route never runs, /ws is never upgraded
        }
        String method = request.method();
        Routes.Match match = routes.match(method, request.path());
        if (match != null) {
            if (match.handler() == null) {
                return HttpResponse.text(405, method + " is not allowed here").header("Allow", match.allow());
            }
            return match.handler().handle(request, c);
        }
        if (method.equals("GET") || method.equals("HEAD")) {
            HttpResponse file = files.serve(request);
            if (file != null) {
                return file;
            }
            return HttpResponse.text(404, "not found: " + request.path());
        }
        if (files.serve(request) != null) {
            return HttpResponse.text(405, method + " is not allowed here").header("Allow", "GET, HEAD");
        }
        return HttpResponse.text(404, "not found: " + request.path());
    }

    private void respond(Connection c, HttpRequest request, HttpResponse response, boolean keepAlive) {
        boolean head = request != null && request.method().equals("HEAD");
        boolean chunked = request == null || request.minorVersion() == 1;
        boolean streamed = response.stream() != null && !head;
        if (streamed && !chunked) {
            keepAlive = false; // HTTP/1.0 has no chunks: the close ends the body
        }
        c.send(OutboundFrame.answer(response.encode(head, keepAlive, chunked)));
        if (response.afterQueued() != null) {
            response.afterQueued().run();
        }
        phaseStartNanos = System.nanoTime(); // the idle clock restarts with each answer
        if (streamed) {
            streaming = response.stream();
            streamingChunked = chunked;
            closeAfterStream = !keepAlive;
            sendPart(c);
        } else if (!keepAlive) {
            c.closeAfterFlush(settings.closeLinger.toNanos());
        }
    }

    /** The next part of the streamed body; after the last, the last chunk, and the close if due. */
    private void sendPart(Connection c) {
        StringBuilder text = new StringBuilder(PART_CHARS + 256);
        boolean more;
        do { // a part may come out empty (a channel with no points): ask again, never send an empty chunk
            more = streaming.next(text, PART_CHARS);
        } while (more && text.length() == 0);
        byte[] data = text.toString().getBytes(StandardCharsets.UTF_8);
        byte[] frame = data;
        if (streamingChunked) {
            byte[] size = (data.length == 0 ? "" : Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] end = (data.length == 0 ? "" : "\r\n").concat(more ? "" : "0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            frame = new byte[size.length + data.length + end.length];
            System.arraycopy(size, 0, frame, 0, size.length);
            System.arraycopy(data, 0, frame, size.length, data.length);
            System.arraycopy(end, 0, frame, size.length + data.length, end.length);
        }
        if (frame.length > 0) {
            c.send(OutboundFrame.answer(frame));
        }
        if (!more) {
            streaming = null;
            if (closeAfterStream) {
                c.closeAfterFlush(settings.closeLinger.toNanos());
            }
        }
        phaseStartNanos = System.nanoTime();
    }

    @Override
    public void onDrained(Connection c) {
        if (streaming != null && !c.isClosing()) {
            sendPart(c);
        }
    }

    @Override
    public void onClosed(Connection c) {
        streaming = null;
    }

    /** The setting behind a status, for the log line that says why. */
    private static String limitKey(int status) {
        return switch (status) {
            case 431 -> " (http.max_header_bytes)";
            case 413 -> " (http.max_body_bytes)";
            default -> "";
        };
    }

    @Override
    public void onTick(Connection c, long now) {
        if (streaming != null) {
            return; // answering: a peer that stops reading meets the write-stall timeout instead
        }
        long elapsed = now - phaseStartNanos;
        if (parser.inProgress() || awaitingFirstRequest) {
            if (elapsed > settings.handshakeTimeout.toNanos()) {
                c.loop().warnLimited("http-408", c.peer() + ": 408, request not complete after "
                        + Values.format(settings.handshakeTimeout) + " (http.handshake_timeout)");
                respond(c, null, HttpResponse.text(408, "request took too long"), false);
            }
        } else if (elapsed > settings.idleTimeout.toNanos()) {
            // Normal for browsers that keep connections open: info, and once per ten seconds.
            c.loop().infoLimited("http-idle", c.peer() + ": closing an idle keep-alive connection after "
                    + Values.format(settings.idleTimeout) + " (http.idle_timeout)");
            c.close();
        }
    }
}

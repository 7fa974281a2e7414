package io.sensorcast.ws;

import io.sensorcast.config.Settings;
import io.sensorcast.config.Values;
import io.sensorcast.loop.Connection;
import io.sensorcast.loop.OutboundFrame;
import io.sensorcast.loop.Protocol;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * RFC 6455 on one connection after the handshake: frames in through {@link FrameParser}, messages
 * to the endpoint's {@link WebSocketHandler}, pings answered, keep-alive pings sent, and the closing
 * handshake (RFC 6455 7) done in both directions. Loop thread only, like the connection it wraps.
 */
public final class WebSocket implements Protocol, FrameListener {

    private static final byte[] NO_PAYLOAD = new byte[0];

    private final Connection connection;
    private final WebSocketHandler handler;
    private final Settings settings;
    private final FrameParser parser;
    private long lastHeardNanos = System.nanoTime();
    private long pingSentNanos;
    private boolean pingOutstanding;
    private boolean closeSent;
    private boolean closedNotified;

    public WebSocket(Connection connection, WebSocketHandler handler, Settings settings) {
        this.connection = connection;
        this.handler = handler;
        this.settings = settings;
        this.parser = new FrameParser(handler.maxMessageBytes());
    }

    /** Switches {@code connection} to WebSocket and tells the handler. Call after queueing the 101. */
    public static WebSocket upgrade(Connection connection, WebSocketHandler handler, Settings settings) {
        WebSocket ws = new WebSocket(connection, handler, settings);
        connection.switchProtocol(ws);
        handler.onOpen(ws);
        return ws;
    }

    public Connection connection() {
        return connection;
    }

    /** Queues an encoded frame (shared, never copied). False if closing or dropped as over the cap. */
    public boolean send(OutboundFrame frame) {
        return !closeSent && connection.send(frame);
    }

    public boolean sendText(String text) {
        return send(OutboundFrame.answer(FrameEncoder.text(text.getBytes(StandardCharsets.UTF_8))));
    }

    /** Starts the closing handshake: our close frame, then the TCP close once it is written. */
    public void close(int code, String reason) {
        if (closeSent) {
            return;
        }
        // Queue the close frame before marking closeSent: send() refuses frames after it.
        connection.send(OutboundFrame.answer(FrameEncoder.close(code, reason)));
        closeSent = true;
        // The server closes TCP first (RFC 6455 7.1.1), after a short wait for the peer's close.
        connection.closeAfterFlush(settings.closeLinger.toNanos());
    }

    public boolean isOpen() {
        return !closeSent && connection.isOpen();
    }

    // ---- Protocol ---------------------------------------------------------------------------------

    @Override
    public void onData(Connection c, ByteBuffer in) {
        if (c.isBacklogged() && !closeSent) {
            // Our answers to this peer (pongs, replies) are not being read: leave its input where
            // it is; the connection holds it and stops reading until the peer catches up.
            return;
        }
        lastHeardNanos = System.nanoTime();
        pingOutstanding = false; // any frame proves the peer alive, not only a pong
        ProtocolError error = parser.parse(in, this);
        if (error != null && !closeSent) {
            // Once per close code and ten seconds (1009: over ws.max_message_bytes; 1002, 1007: bad frames).
            c.loop().warnLimited("ws-" + error.closeCode(), c.peer() + ": closing (" + error.closeCode() + "): " + error.reason()
                    + (error.closeCode() == CloseCodes.MESSAGE_TOO_BIG ? " (limit " + handler.maxMessageBytes() + " bytes)" : ""));
            close(error.closeCode(), error.reason());
        }
        in.position(in.limit());
    }

    @Override
    public void onTick(Connection c, long now) {
        if (closeSent) {
            return;
        }
        if (pingOutstanding) {
            if (now - pingSentNanos > settings.pongTimeout.toNanos()) {
                c.loop().infoLimited("ws-no-pong", c.peer() + ": closing (1001), no pong within "
                        + Values.format(settings.pongTimeout) + " (ws.pong_timeout)");
                close(CloseCodes.GOING_AWAY, "no pong within " + Values.format(settings.pongTimeout));
            }
        } else if (now - lastHeardNanos > settings.pingInterval.toNanos()) {
            connection.send(OutboundFrame.answer(FrameEncoder.ping(NO_PAYLOAD)));
            pingOutstanding = true;
            pingSentNanos = now;
        }
    }

    @Override
    public OutboundFrame dropNotice(long dropped, long total) {
        byte[] payload = handler.dropNotice(dropped, total);
        return payload == null ? null : new OutboundFrame(FrameEncoder.text(payload), OutboundFrame.Kind.DROP_NOTICE);
    }

    @Override
    public void onShutdown(Connection c) {
        close(CloseCodes.GOING_AWAY, "server shutting down");
    }

    @Override
    public void onWriteStalled(Connection c) {
        close(CloseCodes.POLICY_VIOLATION, "write stalled: peer read nothing for "
                + Values.format(settings.writeStallTimeout));
    }

    @Override
    public String name() {
        return "WebSocket";
    }

    @Override
    public String pushedName() {
        return "hello, status and alert messages";
    }

    @Override
    public void onPushedOverflow(Connection c) {
        close(CloseCodes.POLICY_VIOLATION, "too far behind: unread messages over ws.outbound_cap");
    }

    @Override
    public void onClosed(Connection c) {
        if (!closedNotified) {
            closedNotified = true;
            handler.onClose(this);
        }
    }

    // ---- FrameListener ----------------------------------------------------------------------------

    @Override
    public void onMessage(boolean text, byte[] payload) {
        if (!closeSent) {
            handler.onMessage(this, text, payload);
        }
    }

    @Override
    public void onPing(byte[] payload) {
        if (!closeSent) {
            connection.send(OutboundFrame.answer(FrameEncoder.pong(payload)));
        }
    }

    @Override
    public void onPong(byte[] payload) {
        // Liveness is already noted in onData; unsolicited pongs are allowed (RFC 6455 5.5.3).
    }

    @Override
    public void onClose(int code, String reason) {
        if (closeSent) {
            // The answer to our close: the handshake is complete, so is the connection.
            connection.close();
            return;
        }
        // Echo the peer's code (RFC 6455 5.5.1), or an empty close if it sent none.
        close(code, "");
    }
}

package io.sensorcast.bench;

import java.net.InetSocketAddress;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * Peer: Java-WebSocket 1.6.0 as its README shows a broadcast server, on loopback, fed by one
 * producer thread that calls {@link WebSocketServer#broadcast(String)} per sample.
 */
public final class JavaWebSocketPeer extends WebSocketServer {

    private JavaWebSocketPeer(int port) {
        super(new InetSocketAddress("127.0.0.1", port));
        setReuseAddr(true);
    }

    public static void main(String[] args) {
        PeerArgs a = PeerArgs.parse(args);
        JavaWebSocketPeer server = new JavaWebSocketPeer(a.port());
        server.start();
        SampleProducer producer = new SampleProducer(a.rate(), server::broadcast);
        producer.start();
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {}

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {}

    @Override
    public void onMessage(WebSocket conn, String message) {}

    @Override
    public void onError(WebSocket conn, Exception ex) {
        System.err.println("java-websocket peer: " + ex);
    }

    @Override
    public void onStart() {
        System.out.println("java-websocket peer listening on " + getAddress());
    }
}

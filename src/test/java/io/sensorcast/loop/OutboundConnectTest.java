package io.sensorcast.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.config.Settings;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A connection the loop opens (the MQTT client's): non-blocking connect, the same Connection machinery. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OutboundConnectTest {

    private EventLoop loop;

    @BeforeEach
    void start() throws IOException {
        loop = new EventLoop(Settings.builder().bind("127.0.0.1").port(0).deviceName("test").build());
        loop.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        loop.shutdown();
        assertTrue(loop.awaitTermination(5, TimeUnit.SECONDS), "loop stops");
    }

    /** Records what the loop tells it, and from which thread. */
    private static final class Recorder implements Protocol {
        final List<String> events = new CopyOnWriteArrayList<>();
        final CountDownLatch closed = new CountDownLatch(1);
        final CountDownLatch data = new CountDownLatch(1);

        @Override
        public void onConnected(Connection c) {
            events.add("connected on " + Thread.currentThread().getName());
            c.send(OutboundFrame.answer("hello".getBytes(StandardCharsets.US_ASCII)));
        }

        @Override
        public void onData(Connection c, ByteBuffer in) {
            byte[] b = new byte[in.remaining()];
            in.get(b);
            events.add("data " + new String(b, StandardCharsets.US_ASCII));
            data.countDown();
        }

        @Override
        public void onError(Connection c, Throwable cause) {
            events.add("error " + cause.getClass().getSimpleName());
        }

        @Override
        public void onShutdown(Connection c) {
            events.add("shutdown");
            c.close();
        }

        @Override
        public void onClosed(Connection c) {
            events.add("closed");
            closed.countDown();
        }
    }

    @Test
    void aRefusedConnectIsAnErrorThenAClose() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // free now, and nobody listens once it is closed
        }
        Recorder r = new Recorder();
        loop.submit(() -> loop.connect(new InetSocketAddress("127.0.0.1", port), "test peer", r)).get(5, TimeUnit.SECONDS);
        assertTrue(r.closed.await(10, TimeUnit.SECONDS), "closed");
        assertEquals(List.of("error " + ConnectException.class.getSimpleName(), "closed"), r.events);
        assertEquals(0, loop.submit(loop::connectionCount).get(5, TimeUnit.SECONDS));
    }

    @Test
    void anEstablishedConnectionSpeaksFirstReadsAndSaysGoodbyeAtShutdown() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(10_000);
            Recorder r = new Recorder();
            Connection c = loop.submit(() -> loop.connect((InetSocketAddress) server.getLocalSocketAddress(), "test peer", r))
                    .get(5, TimeUnit.SECONDS);
            try (Socket peer = server.accept()) {
                peer.setSoTimeout(10_000);
                assertEquals("hello", new String(peer.getInputStream().readNBytes(5), StandardCharsets.US_ASCII));
                peer.getOutputStream().write("world".getBytes(StandardCharsets.US_ASCII));
                assertTrue(r.data.await(10, TimeUnit.SECONDS), "data arrived");
                assertEquals("test peer", c.peer());
                assertEquals(1, loop.submit(loop::connectionCount).get(5, TimeUnit.SECONDS));
                loop.shutdown();
                assertTrue(r.closed.await(10, TimeUnit.SECONDS), "closed");
            }
            assertEquals(List.of("connected on sensorcast-loop", "data world", "shutdown", "closed"), r.events);
        }
    }
}

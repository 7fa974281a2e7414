package io.sensorcast.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The load client against a scripted server on loopback: upgrade, split frames, gaps, ping. */
class LoadClientTest {

    @Test
    void countsSamplesAndGapsAcrossSplitFramesAndAnswersPings() throws Exception {
        CountDownLatch measuring = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<String> request = new AtomicReference<>();
        AtomicReference<byte[]> pong = new AtomicReference<>();
        try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                try (Socket s = listener.accept()) {
                    s.setSoTimeout(5_000);
                    s.setTcpNoDelay(true);
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream();
                    request.set(readHeader(in));
                    out.write(concat("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Accept: unchecked\r\n\r\n", text("{\"type\":\"hello\",\"channels\":[]}")));
                    out.flush();
                    measuring.await(5, TimeUnit.SECONDS);
                    out.write(text(sample(1)));
                    for (byte x : text(sample(2))) { // one byte per write: frames split across reads
                        out.write(x);
                        out.flush();
                        Thread.sleep(1);
                    }
                    out.write(concat(text(sample(5)), text("{\"type\":\"dropped\",\"count\":3,\"total\":3}")));
                    out.write(new byte[] {(byte) 0x89, 2, 'h', 'i'});
                    out.flush();
                    byte[] p = in.readNBytes(8);
                    byte[] payload = {(byte) (p[6] ^ p[2]), (byte) (p[7] ^ p[3])};
                    pong.set(new byte[] {p[0], p[1], payload[0], payload[1]});
                    // A sample padded past 125 bytes takes the 16-bit length form.
                    out.write(text(sample(6).replace("}", ",\"pad\":\"" + "x".repeat(200) + "\"}")));
                    out.flush();
                    done.await(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            server.setDaemon(true);
            server.start();

            LoadClient client = new LoadClient(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()), 1, 1);
            client.start();
            assertTrue(client.awaitConnected(5_000));
            client.beginMeasuring();
            measuring.countDown();
            for (int i = 0; i < 500 && client.samplesSoFar() < 4; i++) {
                Thread.sleep(10);
            }
            LoadClient.Result r = client.stop();
            done.countDown();

            assertNull(r.failure());
            assertEquals(4, r.stats().samples);
            assertEquals(2, r.stats().lost);
            assertEquals(3, r.stats().droppedReported);
            assertEquals(4, r.stats().latencyMicros.getTotalCount());
            assertArrayEquals(new byte[] {(byte) 0x8A, (byte) 0x82, 'h', 'i'}, pong.get());
            assertTrue(request.get().startsWith("GET /ws HTTP/1.1\r\n"));
            assertTrue(request.get().contains("Sec-WebSocket-Version: 13\r\n"));
            assertFalse(request.get().contains("Origin:"));
        }
    }

    @Test
    void countsOnlyTheWindowThoughItRecordsInTheWarmUpToo() throws Exception {
        CountDownLatch measuring = new CountDownLatch(1);
        CountDownLatch ended = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                try (Socket s = listener.accept()) {
                    s.setSoTimeout(5_000);
                    readHeader(s.getInputStream());
                    OutputStream out = s.getOutputStream();
                    out.write(concat("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Accept: unchecked\r\n\r\n", text(sample(1)), text(sample(2)), text(sample(3))));
                    out.flush();
                    measuring.await(5, TimeUnit.SECONDS);
                    out.write(concat(text(sample(4)), text(sample(5))));
                    out.flush();
                    ended.await(5, TimeUnit.SECONDS);
                    out.write(concat(text(sample(6)), text(sample(9))));
                    out.flush();
                    done.await(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            server.setDaemon(true);
            server.start();

            LoadClient client = new LoadClient(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()), 1, 1);
            client.start();
            assertTrue(client.awaitConnected(5_000));
            for (int i = 0; i < 500 && client.samplesSoFar() < 3; i++) {
                Thread.sleep(10);
            }
            assertEquals(3, client.samplesSoFar(), "the warm-up is recorded, so its code is compiled by the window");
            client.beginMeasuring();
            measuring.countDown();
            for (int i = 0; i < 500 && client.samplesSoFar() != 2; i++) {
                Thread.sleep(10);
            }
            client.endMeasuring();
            ended.countDown();
            Thread.sleep(200); // time for samples 6 and 9 to arrive: they must not count
            LoadClient.Result r = client.stop();
            done.countDown();

            assertNull(r.failure());
            assertEquals(2, r.stats().samples, "samples 4 and 5: the warm-up's were thrown away, the later ones not counted");
            assertEquals(0, r.stats().lost, "3 to 4 is no gap, and 6 to 9 came after the window");
            assertEquals(2, r.stats().latencyMicros.getTotalCount());
            assertTrue(r.seconds() > 0 && r.seconds() < 6, "the worker's own window: " + r.seconds());
        }
    }

    private static String sample(long seq) {
        return SampleProducer.json(seq, java.time.Instant.now(), 20.5);
    }

    /** An unmasked FIN text frame, as a server sends it (RFC 6455 5.2). */
    private static byte[] text(String s) {
        byte[] p = s.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(0x81);
        if (p.length < 126) {
            f.write(p.length);
        } else {
            f.write(126);
            f.write(p.length >> 8);
            f.write(p.length & 0xff);
        }
        f.writeBytes(p);
        return f.toByteArray();
    }

    private static byte[] concat(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            out.writeBytes(p instanceof String s ? s.getBytes(StandardCharsets.US_ASCII) : (byte[]) p);
        }
        return out.toByteArray();
    }

    private static String readHeader(InputStream in) throws java.io.IOException {
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            sb.append((char) c);
        }
        return sb.toString();
    }
}

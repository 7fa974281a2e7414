package io.sensorcast.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.config.Settings;
import io.sensorcast.loop.EventLoop;
import io.sensorcast.testing.LogCapture;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The client against a scripted broker on loopback: the bytes it sends, the keep alive, and a
 * broker sending garbage (the connection is closed with the reason in the log, and retried).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MqttClientFakeBrokerTest {

    private static final String PREFIX = "sensorcast/fake";
    private EventLoop loop;
    private ServerSocket server;

    @BeforeEach
    void start() throws Exception {
        loop = new EventLoop(Settings.builder().bind("127.0.0.1").port(0).deviceName("fake").build());
        loop.start();
        server = bindInRange();
        server.setSoTimeout(10_000);
    }

    @AfterEach
    void stop() throws Exception {
        loop.shutdown();
        assertTrue(loop.awaitTermination(5, TimeUnit.SECONDS), "loop stops");
        server.close();
    }

    private static ServerSocket bindInRange() throws IOException {
        for (int port = 18450; port < 18500; port++) {
            ServerSocket s = new ServerSocket();
            try {
                s.bind(new InetSocketAddress("127.0.0.1", port));
                return s;
            } catch (IOException taken) {
                s.close();
            }
        }
        throw new IOException("no free port in 18450-18499");
    }

    private MqttOptions options(int keepAlive) {
        return new MqttOptions(new InetSocketAddress("127.0.0.1", server.getLocalPort()),
                "mqtt://127.0.0.1:" + server.getLocalPort(), "fake-client", "u", "p".getBytes(StandardCharsets.UTF_8),
                keepAlive, PREFIX, 0);
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    /** One whole packet from the client: the fixed header, its remaining length, the body. */
    private static byte[] readPacket(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        int first = d.readUnsignedByte();
        int length = 0;
        int shift = 0;
        int b;
        java.io.ByteArrayOutputStream header = new java.io.ByteArrayOutputStream();
        header.write(first);
        do {
            b = d.readUnsignedByte();
            header.write(b);
            length |= (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0 && shift < 28);
        byte[] body = new byte[length];
        d.readFully(body);
        header.write(body, 0, body.length);
        return header.toByteArray();
    }

    /** Accepts the client, checks its CONNECT, accepts it, and reads its "online". */
    private Socket acceptSession(MqttOptions o) throws IOException {
        Socket s = server.accept();
        s.setSoTimeout(10_000);
        InputStream in = s.getInputStream();
        byte[] expected = PacketEncoder.connect(o.clientId(), true, o.keepAliveSeconds(),
                new PacketEncoder.Will(PREFIX + "/status", "offline".getBytes(StandardCharsets.US_ASCII), 0, true),
                o.username(), o.password());
        assertArrayEquals(expected, readPacket(in), "CONNECT with the will, user and password");
        s.getOutputStream().write(hex("20 02 00 00"));
        assertArrayEquals(PacketEncoder.publish(PREFIX + "/status", "online".getBytes(StandardCharsets.US_ASCII), 0, true, false, 0),
                readPacket(in), "the retained online");
        return s;
    }

    @Test
    void pingsOnTheKeepAliveAndGivesUpOnABrokerThatStopsAnswering() throws Exception {
        long mark = LogCapture.mark();
        MqttOptions o = options(1);
        MqttClient.start(loop, o);
        try (Socket s = acceptSession(o)) {
            InputStream in = s.getInputStream();
            assertArrayEquals(hex("C0 00"), readPacket(in), "PINGREQ");
            s.getOutputStream().write(hex("D0 00"));
            assertArrayEquals(hex("C0 00"), readPacket(in), "the next PINGREQ");
            // No PINGRESP this time: at the next ping the client closes the connection.
            assertEquals(-1, in.read(), "closed by the client");
        }
        try (Socket again = acceptSession(o)) {
            assertTrue(again.isConnected(), "reconnected");
        }
        if (LogCapture.installed()) {
            assertEquals(1, LogCapture.count(mark, "no PINGRESP within the keep alive of 1 s (mqtt.keepalive)"));
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "30 ff ff ff ff 01 | malformed PUBLISH: remaining length longer than 4 bytes (MQTT 3.1.1, 2.2.3)",
        "30 ff ff 7f       | malformed PUBLISH: remaining length 2097151 over the limit of 65536 bytes",
        "20 02 00 00       | a second CONNACK (MQTT 3.1.1, 3.2)",
        "34 05 00 01 74 00 01 | a QoS 2 PUBLISH on 't', although every subscription asked for QoS 1 at most",
        "e0 00             | unexpected DISCONNECT packet from the broker (first byte 0xe0)"})
    void garbageFromTheBrokerClosesTheConnectionWithTheReasonAndItIsRetried(String garbage, String reason) throws Exception {
        assertTrue(LogCapture.installed(), "the test log writer is set up (pom.xml)");
        long mark = LogCapture.mark();
        MqttOptions o = options(0);
        MqttClient client = MqttClient.start(loop, o);
        try (Socket s = acceptSession(o)) {
            s.getOutputStream().write(hex(garbage));
            assertEquals(-1, s.getInputStream().read(), "closed by the client");
        }
        try (Socket again = acceptSession(o)) {
            assertEquals(1L, loop.submit(client::reconnectsTotal).get(5, TimeUnit.SECONDS));
        }
        assertEquals(1, LogCapture.count(mark, "MQTT: connection to mqtt://127.0.0.1:" + server.getLocalPort()
                + " lost: " + reason + "; retrying in 1 s"), () -> String.join("\n", LogCapture.since(mark)));
    }

    /**
     * A retained topic forgotten while the client is not connected (a reload that moved the topics
     * while the broker was away) is emptied first thing at the next connect, before "online": an
     * empty retained PUBLISH, which makes the broker drop what it retains there.
     */
    @Test
    void topicsClearedWhileDisconnectedAreEmptiedFirstAtTheNextConnect() throws Exception {
        MqttOptions o = options(0);
        MqttClient client = MqttClient.start(loop, o);
        loop.submit(() -> {
            client.clearLater(java.util.List.of("old/prefix/ch/state", "homeassistant/sensor/old/ch/config"));
            return null;
        }).get(5, TimeUnit.SECONDS);
        try (Socket s = server.accept()) {
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            readPacket(in); // CONNECT
            s.getOutputStream().write(hex("20 02 00 00"));
            assertArrayEquals(PacketEncoder.publish("old/prefix/ch/state", new byte[0], 0, true, false, 0), readPacket(in),
                    "the first topic emptied");
            assertArrayEquals(PacketEncoder.publish("homeassistant/sensor/old/ch/config", new byte[0], 0, true, false, 0),
                    readPacket(in), "the second topic emptied");
            assertArrayEquals(PacketEncoder.publish(PREFIX + "/status", "online".getBytes(StandardCharsets.US_ASCII), 0, true, false, 0),
                    readPacket(in), "then online");
        }
    }

    /**
     * A broker that stops reading while the client has more retained states for it than
     * ws.outbound_cap: the connection is closed, and the log line names the peer, the protocol and
     * what it left unread, not a WebSocket monitor's messages.
     */
    @Test
    void aBrokerThatLeavesMoreThanTheCapOfStatesUnreadIsNamedAsAnMqttPeerInTheLog() throws Exception {
        assertTrue(LogCapture.installed(), "the test log writer is set up (pom.xml)");
        long mark = LogCapture.mark();
        EventLoop small = new EventLoop(Settings.builder().bind("127.0.0.1").port(0).deviceName("fake")
                .outboundCapBytes(64 * 1024).build());
        small.start();
        try {
            MqttOptions o = options(0);
            MqttClient client = MqttClient.start(small, o);
            try (Socket s = acceptSession(o)) {
                // The broker reads no more: the kernel's buffers fill, then the client's own queue.
                byte[] payload = "x".repeat(1000).getBytes(StandardCharsets.US_ASCII);
                int batches = 0;
                while (batches++ < 400 && small.submit(client::state).get(5, TimeUnit.SECONDS) == MqttClient.State.CONNECTED) {
                    int first = batches * 100;
                    small.submit(() -> {
                        for (int i = first; i < first + 100; i++) {
                            client.publish(PREFIX + "/channel" + i + "/state", payload, true);
                        }
                        return null;
                    }).get(5, TimeUnit.SECONDS);
                }
                assertTrue(batches <= 400, "the connection was closed within 40,000 states of 1 kB");
            }
        } finally {
            small.shutdown();
            assertTrue(small.awaitTermination(5, TimeUnit.SECONDS), "loop stops");
        }
        List<String> lines = LogCapture.since(mark).stream().filter(l -> l.contains("left unread")).toList();
        assertEquals(1, lines.size(), () -> String.join("\n", LogCapture.since(mark)));
        String line = lines.get(0);
        assertTrue(line.contains("closing the MQTT connection to MQTT broker mqtt://127.0.0.1:" + server.getLocalPort() + ": "), line);
        assertTrue(line.endsWith(" bytes of retained states left unread (ws.outbound_cap)"), line);
        assertFalse(line.contains("monitor") || line.contains("hello") || line.contains("1008"), line);
    }

    @Test
    void aPublishBeforeConnackIsRefused() throws Exception {
        assertTrue(LogCapture.installed(), "the test log writer is set up (pom.xml)");
        long mark = LogCapture.mark();
        MqttOptions o = options(0);
        MqttClient.start(loop, o);
        try (Socket s = server.accept()) {
            s.setSoTimeout(10_000);
            readPacket(s.getInputStream());
            s.getOutputStream().write(hex("30 03 00 01 74"));
            assertEquals(-1, s.getInputStream().read(), "closed by the client");
        }
        try (Socket again = acceptSession(o)) {
            assertTrue(again.isConnected(), "retried");
        }
        assertEquals(1, LogCapture.count(mark, "cannot connect to mqtt://127.0.0.1:" + server.getLocalPort()
                + ": the broker sent PUBLISH before CONNACK (MQTT 3.1.1, 3.2)"), () -> String.join("\n", LogCapture.since(mark)));
    }
}

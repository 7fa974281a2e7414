package io.sensorcast.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.config.Settings;
import io.sensorcast.loop.EventLoop;
import io.sensorcast.testing.LogCapture;
import io.sensorcast.testing.Requires;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against a real broker (Debian's mosquitto, started here with its own configuration),
 * read back with an independent client (mosquitto_sub).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MqttClientBrokerTest {

    private static final String PREFIX = "sensorcast/test-device";

    @TempDir
    Path dir;

    private EventLoop loop;
    private Mosquitto broker;

    @BeforeEach
    void startLoop() throws Exception {
        Requires.component(Mosquitto.installed(), Mosquitto.INSTALL);
        loop = new EventLoop(Settings.builder().bind("127.0.0.1").port(0).deviceName("test-device").build());
        loop.start();
    }

    @AfterEach
    void stopEverything() throws Exception {
        if (loop != null) {
            loop.shutdown();
            assertTrue(loop.awaitTermination(5, TimeUnit.SECONDS), "loop stops");
        }
        if (broker != null) {
            broker.close();
        }
    }

    private MqttClient client(InetSocketAddress at, int qos, String user, String password) {
        return MqttClient.start(loop, new MqttOptions(at, "mqtt://127.0.0.1:" + at.getPort(), "sensorcast-test-device",
                user, password == null ? null : password.getBytes(StandardCharsets.UTF_8), 30, PREFIX, qos));
    }

    private <T> T onLoop(Callable<T> c) throws Exception {
        return loop.submit(c).get(5, TimeUnit.SECONDS);
    }

    /** Waits (bounded) until {@code condition} holds on the loop; fails with {@code what} if it never does. */
    private void await(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!onLoop(condition)) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            Thread.sleep(20);
        }
    }

    @Test
    void retainedStateAndStatusOnlineReachAnotherClient() throws Exception {
        broker = Mosquitto.start(dir);
        MqttClient client = client(broker.address(), 0, null, null);
        loop.execute(() -> client.publish(PREFIX + "/cpu_temp/state", "48.3".getBytes(StandardCharsets.US_ASCII), true));
        await("connected", () -> client.state() == MqttClient.State.CONNECTED);
        await("published", () -> client.publishedTotal() == 2);
        // Retained: a subscriber that comes afterwards gets both.
        try (Mosquitto.Subscriber sub = broker.subscribe(PREFIX + "/#", 2, 10)) {
            assertEquals(Set.of(PREFIX + "/status online", PREFIX + "/cpu_temp/state 48.3"), Set.copyOf(sub.rest()));
        }
    }

    @Test
    void theWillSaysOfflineWhenTheSocketDiesWithoutDisconnectAndTheClientComesBack() throws Exception {
        broker = Mosquitto.start(dir);
        MqttClient client = client(broker.address(), 1, null, null);
        await("connected", () -> client.state() == MqttClient.State.CONNECTED);
        try (Mosquitto.Subscriber sub = broker.subscribe(PREFIX + "/status", 3, 20)) {
            assertEquals(PREFIX + "/status online", sub.next());
            // The socket closes under the client: no DISCONNECT, so the broker publishes the will.
            loop.submit(() -> {
                client.connection().close();
                return null;
            }).get(5, TimeUnit.SECONDS);
            assertEquals(PREFIX + "/status offline", sub.next());
            assertEquals(PREFIX + "/status online", sub.next(), "reconnected after the back-off");
        }
        assertEquals(1L, onLoop(client::reconnectsTotal));
    }

    @Test
    void aCleanStopSaysOfflineAndDisconnects() throws Exception {
        broker = Mosquitto.start(dir);
        MqttClient client = client(broker.address(), 1, null, null);
        await("connected", () -> client.state() == MqttClient.State.CONNECTED);
        loop.execute(client::stop);
        await("stopped and closed", () -> client.connection() == null);
        try (Mosquitto.Subscriber sub = broker.subscribe(PREFIX + "/status", 1, 10)) {
            assertEquals(List.of(PREFIX + "/status offline"), sub.rest());
        }
        assertTrue(broker.log().contains("sensorcast-test-device disconnected"), "a DISCONNECT, not a lost socket");
    }

    @Test
    void qosOnePublishesAreAcknowledged() throws Exception {
        broker = Mosquitto.start(dir);
        MqttClient client = client(broker.address(), 1, null, null);
        await("connected", () -> client.state() == MqttClient.State.CONNECTED);
        loop.execute(() -> {
            for (int i = 0; i < 5; i++) {
                client.publish(PREFIX + "/counter/attributes", ("{\"seq\":" + i + "}").getBytes(StandardCharsets.US_ASCII), false);
            }
        });
        // The status and five attributes: six PUBACKs, none left in flight.
        await("six PUBACKs", () -> client.acknowledgedTotal() == 6 && client.inFlight() == 0);
        assertEquals(6L, onLoop(client::publishedTotal));
        assertEquals(0L, onLoop(client::droppedTotal));
    }

    @Test
    void aBrokerDownAtStartAndRestartedIsReconnectedAndGetsTheStatesAgain() throws Exception {
        broker = Mosquitto.start(dir);
        InetSocketAddress at = broker.address();
        broker.stop();
        long mark = LogCapture.mark();
        MqttClient client = client(at, 0, null, null);
        loop.execute(() -> client.publish(PREFIX + "/load/state", "0.42".getBytes(StandardCharsets.US_ASCII), true));
        await("a failed attempt", () -> client.connectAttempts() == 1 && client.state() == MqttClient.State.WAITING);
        broker.start();
        await("connected", () -> client.state() == MqttClient.State.CONNECTED);
        if (LogCapture.installed()) {
            assertEquals(1, LogCapture.count(mark, "MQTT: cannot reach mqtt://127.0.0.1:" + at.getPort())
                    + LogCapture.count(mark, "MQTT: cannot connect to mqtt://127.0.0.1:" + at.getPort()));
        }

        // The broker keeps nothing across a restart (persistence false): what a subscriber gets
        // afterwards, the client has published again.
        broker.stop();
        await("lost", () -> client.state() != MqttClient.State.CONNECTED);
        broker.start();
        await("connected again", () -> client.state() == MqttClient.State.CONNECTED && client.publishedTotal() == 4);
        try (Mosquitto.Subscriber sub = broker.subscribe(PREFIX + "/#", 2, 10)) {
            assertEquals(Set.of(PREFIX + "/status online", PREFIX + "/load/state 0.42"), Set.copyOf(sub.rest()));
        }
        assertEquals(1L, onLoop(client::reconnectsTotal));
    }

    @Test
    void aBrokerRefusingTheCredentialsIsSaidOnceAndRetried() throws Exception {
        assertTrue(LogCapture.installed(), "the test log writer is set up (pom.xml)");
        broker = Mosquitto.startWithPassword(dir, "pi", "right");
        long mark = LogCapture.mark();
        MqttClient wrong = client(broker.address(), 0, "pi", "wrong");
        await("three refused attempts", () -> wrong.connectAttempts() >= 3 && wrong.state() == MqttClient.State.WAITING);
        List<String> refusals = LogCapture.since(mark).stream().filter(l -> l.contains("refused the connection")).toList();
        assertEquals(1, refusals.size(), () -> "said once: " + LogCapture.since(mark));
        assertTrue(refusals.get(0).contains("mqtt://127.0.0.1:" + broker.port + " refused the connection: ")
                && refusals.get(0).contains("mqtt.username"), refusals.get(0));
        assertEquals(MqttClient.State.WAITING, onLoop(wrong::state));
        loop.execute(wrong::stop);

        MqttClient right = client(broker.address(), 0, "pi", "right");
        await("connected with the right password", () -> right.state() == MqttClient.State.CONNECTED);
    }

    @Test
    void twoClientsWithOneIdAreTold() throws Exception {
        assertTrue(LogCapture.installed(), "the test log writer is set up (pom.xml)");
        broker = Mosquitto.start(dir);
        long mark = LogCapture.mark();
        // The broker drops the older session of an id when a newer one connects: they take turns.
        MqttClient first = client(broker.address(), 0, null, null);
        await("first connected", () -> first.state() == MqttClient.State.CONNECTED);
        MqttClient second = client(broker.address(), 0, null, null);
        await("the first dropped", () -> first.reconnectsTotal() >= 1);
        assertTrue(LogCapture.count(mark, "closed by the broker right after connecting (another device with the same"
                + " mqtt.client_id?)") >= 1, () -> String.join("\n", LogCapture.since(mark)));
        loop.execute(first::stop);
        loop.execute(second::stop);
    }
}

package io.sensorcast.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.config.Settings;
import io.sensorcast.sensor.Device;
import io.sensorcast.testing.HealthyMonitor;
import io.sensorcast.testing.Json;
import io.sensorcast.testing.Requires;
import io.sensorcast.testing.TestSensors;
import io.sensorcast.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reloads that change mqtt.* (the broker, then the topic prefix, then the discovery prefix) while
 * /ws monitors watch: every monitor stays connected and gets every sample in order (seq + 1 each,
 * no close), and the states move: to the new broker, then under the new prefix, read back with
 * mosquitto_sub; the old broker and the old prefix get no more states, and keep no retained
 * message (state, attributes, status, discovery config): Home Assistant would keep a ghost entity
 * for each. A reload that removes the channel empties its topics too.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MqttReloadTest {

    private static final int MONITORS = 10;
    private static final String CHANNEL = "reload.sine";
    private static final String OLD_PREFIX = "sensorcast/test-device";
    private static final String NEW_PREFIX = "site/garage/pi";
    private static final String NEW_DISCOVERY = "ha-test";
    private static final String CONFIG = "/sensor/test-device/reload_sine/config";

    @TempDir
    Path dir;

    private static List<Device> devices() {
        return List.of(Device.of(TestSensors.sine("reload", "Reload", "V", 20)));
    }

    @Test
    void aReloadOfTheBrokerAndThenThePrefixKeepsEveryMonitorAndMovesTheStates() throws Exception {
        Requires.component(Mosquitto.installed(), Mosquitto.INSTALL);
        try (Mosquitto first = Mosquitto.startInRange(Files.createDirectory(dir.resolve("first")), 18900, 18999);
                Mosquitto second = Mosquitto.startInRange(Files.createDirectory(dir.resolve("second")), first.port + 1, 18999)) {
            Settings onFirst = TestServer.settings().mqttBroker("mqtt://127.0.0.1:" + first.port)
                    .mqttPublishInterval(Duration.ZERO).build();
            List<HealthyMonitor> monitors = new ArrayList<>();
            try (TestServer server = TestServer.startDevices(onFirst, devices())) {
                try {
                    for (int i = 0; i < MONITORS; i++) {
                        monitors.add(HealthyMonitor.connect(server.port(), CHANNEL));
                    }
                    progress(monitors);
                    assertStatesArrive(first, OLD_PREFIX);
                    // What a reload must not leave behind: the retained status, state, attributes and config.
                    List<String> before = first.retained(1, OLD_PREFIX + "/#", "homeassistant/#");
                    for (String topic : List.of(OLD_PREFIX + "/status online", OLD_PREFIX + "/" + CHANNEL + "/state ",
                            OLD_PREFIX + "/" + CHANNEL + "/attributes ", "homeassistant" + CONFIG + " ")) {
                        assertTrue(before.stream().anyMatch(l -> l.startsWith(topic)), topic + " retained before the reload: " + before);
                    }

                    // 1. Another broker, the same prefix: the old broker keeps nothing of ours.
                    Settings onSecond = onFirst.toBuilder().mqttBroker("mqtt://127.0.0.1:" + second.port).build();
                    server.service().reload(onSecond, devices(), List.of());
                    progress(monitors);
                    assertStatesArrive(second, OLD_PREFIX);
                    assertEquals(List.of(), first.retained(1, OLD_PREFIX + "/#", "homeassistant/#"), "retained on the old broker");
                    assertNoNewStates(first, OLD_PREFIX);

                    // 2. The same broker, another prefix.
                    Settings moved = onSecond.toBuilder().mqttTopicPrefix(NEW_PREFIX).build();
                    server.service().reload(moved, devices(), List.of());
                    progress(monitors);
                    assertStatesArrive(second, NEW_PREFIX);
                    assertStatus(second, NEW_PREFIX, "online");
                    assertEquals(List.of(), second.retained(1, OLD_PREFIX + "/#"), "retained under the old prefix");
                    assertNoNewStates(second, OLD_PREFIX);
                    // Home Assistant's entity (same unique_id, same config topic) now reads the new topics.
                    try (Mosquitto.Subscriber sub = second.subscribe("homeassistant/sensor/test-device/reload_sine/config", 1, 10)) {
                        String line = sub.next();
                        assertNotNull(line, "a retained discovery config");
                        Map<String, Object> config = Json.object(line.substring(line.indexOf(' ') + 1));
                        assertEquals(NEW_PREFIX + "/" + CHANNEL + "/state", config.get("state_topic"));
                        assertEquals("sensorcast_test-device_reload_sine", config.get("unique_id"));
                    }
                    progress(monitors);

                    // 3. Another discovery prefix: the configs move, the old ones are emptied.
                    Settings rediscovered = moved.toBuilder().mqttDiscoveryPrefix(NEW_DISCOVERY).build();
                    server.service().reload(rediscovered, devices(), List.of());
                    progress(monitors);
                    try (Mosquitto.Subscriber sub = second.subscribe(NEW_DISCOVERY + CONFIG, 1, 10)) {
                        assertNotNull(sub.next(), "the config under the new discovery prefix");
                    }
                    assertEquals(List.of(), second.retained(1, "homeassistant/#"), "retained under the old discovery prefix");
                    assertStatesArrive(second, NEW_PREFIX);
                } finally {
                    for (HealthyMonitor m : monitors) {
                        m.close();
                    }
                }

                // 4. The channel removed (its device replaced by another): its topics are emptied.
                Settings last = onFirst.toBuilder().mqttBroker("mqtt://127.0.0.1:" + second.port).mqttTopicPrefix(NEW_PREFIX).mqttDiscoveryPrefix(NEW_DISCOVERY).build();
                server.service().reload(last, List.of(Device.of(TestSensors.sine("other", "Other", "V", 20))), List.of());
                try (Mosquitto.Subscriber sub = second.subscribe(NEW_PREFIX + "/other.sine/state", 1, 10)) {
                    assertNotNull(sub.next(), "the new channel's state");
                }
                assertEquals(List.of(), second.retained(1, NEW_PREFIX + "/" + CHANNEL + "/#", NEW_DISCOVERY + CONFIG),
                        "retained topics of the removed channel");
                assertEquals(List.of(NEW_PREFIX + "/status online"), second.retained(1, NEW_PREFIX + "/status"));
            }
        }
    }

    /** Every monitor gets 10 more samples, each seq one more than the last, and was not closed. */
    private static void progress(List<HealthyMonitor> monitors) throws InterruptedException {
        for (HealthyMonitor m : monitors) {
            m.awaitProgress(10, Duration.ofSeconds(10));
        }
    }

    /** New states (not only the retained one) reach a subscriber under {@code prefix}. */
    private static void assertStatesArrive(Mosquitto broker, String prefix) throws Exception {
        try (Mosquitto.Subscriber sub = broker.subscribe(prefix + "/" + CHANNEL + "/state", 3, 10)) {
            assertEquals(3, sub.rest().size(), "states of " + CHANNEL + " under " + prefix + " on port " + broker.port);
        }
    }

    /** At most the retained state within 2 s, where 20 samples a second would give 40. */
    private static void assertNoNewStates(Mosquitto broker, String prefix) throws Exception {
        try (Mosquitto.Subscriber sub = broker.subscribe(prefix + "/" + CHANNEL + "/state", 100, 2)) {
            List<String> lines = sub.rest();
            assertTrue(lines.size() <= 1, "no more states under " + prefix + " on port " + broker.port + ": " + lines);
        }
    }

    private static void assertStatus(Mosquitto broker, String prefix, String expected) throws Exception {
        try (Mosquitto.Subscriber sub = broker.subscribe(prefix + "/status", 1, 10)) {
            assertEquals(prefix + "/status " + expected, sub.next());
        }
    }
}

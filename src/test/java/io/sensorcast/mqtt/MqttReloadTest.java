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
 * Reloads that change mqtt.* (the broker, then the topic prefix) while /ws monitors watch: every
 * monitor stays connected and gets every sample in order (seq + 1 each, no close), and the states
 * move: to the new broker, then under the new prefix, read back with mosquitto_sub; the old broker
 * and the old prefix get no more states and say offline.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MqttReloadTest {

    private static final int MONITORS = 10;
    private static final String CHANNEL = "reload.sine";
    private static final String OLD_PREFIX = "sensorcast/test-device";
    private static final String NEW_PREFIX = "site/garage/pi";

    @TempDir
    Path dir;

    private static List<Device> devices() {
        return List.of(Device.of(TestSensors.sine("reload", "Reload", "V", 20)));
    }

    @Test
    void aReloadOfTheBrokerAndThenThePrefixKeepsEveryMonitorAndMovesTheStates() throws Exception {
        Requires.component(Mosquitto.installed(), Mosquitto.INSTALL);
        try (Mosquitto first = Mosquitto.startInRange(Files.createDirectory(dir.resolve("first")), 18500, 18599);
                Mosquitto second = Mosquitto.startInRange(Files.createDirectory(dir.resolve("second")), first.port + 1, 18599)) {
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

                    // 1. Another broker, the same prefix.
                    Settings onSecond = onFirst.toBuilder().mqttBroker("mqtt://127.0.0.1:" + second.port).build();
                    server.service().reload(onSecond, devices(), List.of());
                    progress(monitors);
                    assertStatesArrive(second, OLD_PREFIX);
                    assertStatus(first, OLD_PREFIX, "offline");
                    assertNoNewStates(first, OLD_PREFIX);

                    // 2. The same broker, another prefix.
                    Settings moved = onSecond.toBuilder().mqttTopicPrefix(NEW_PREFIX).build();
                    server.service().reload(moved, devices(), List.of());
                    progress(monitors);
                    assertStatesArrive(second, NEW_PREFIX);
                    assertStatus(second, NEW_PREFIX, "online");
                    assertStatus(second, OLD_PREFIX, "offline");
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
                } finally {
                    for (HealthyMonitor m : monitors) {
                        m.close();
                    }
                }
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

package io.sensorcast.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.sensorcast.alert.AlertRule;
import io.sensorcast.config.Settings;
import io.sensorcast.sensor.Device;
import io.sensorcast.testing.Json;
import io.sensorcast.testing.Requires;
import io.sensorcast.testing.TestSensors;
import io.sensorcast.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alert rules in Home Assistant, against Debian's mosquitto read back with mosquitto_sub: a
 * {@code binary_sensor} (device class problem) per rule through discovery, its state ON or OFF
 * retained under the topic prefix, OFF again when a reload resolves it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MqttAlertTest {

    private static final String PREFIX = "sensorcast/test-device";

    @TempDir
    Path dir;
    private Mosquitto broker;
    private TestServer server;

    @BeforeEach
    void startBroker() throws Exception {
        Requires.component(Mosquitto.installed(), Mosquitto.INSTALL);
        broker = Mosquitto.startInRange(dir, 18700, 18799);
    }

    @AfterEach
    void stopAll() throws Exception {
        if (server != null) {
            server.close();
        }
        broker.close();
    }

    private static AlertRule warm(double above) {
        return new AlertRule("freezer-warm", List.of("freezer.temperature"), AlertRule.Kind.ABOVE, above, above, null,
                Duration.ZERO, "critical", Duration.ZERO, List.of(), "sensorcast.conf:1");
    }

    private static String payload(String line) {
        assertNotNull(line, "a retained message");
        return line.substring(line.indexOf(' ') + 1);
    }

    @Test
    void eachRuleIsABinarySensorWhoseStateIsOnWhileItFires() throws Exception {
        List<Device> devices = List.of(
                Device.of(TestSensors.constant("freezer.temperature", "Freezer", "°C", -5, Duration.ofMillis(100))),
                Device.of(TestSensors.constant("room.temperature", "Room", "°C", 21.5, Duration.ofMillis(100))));
        AlertRule roomHot = new AlertRule("room-hot", List.of("room.temperature"), AlertRule.Kind.ABOVE, 30, 30, null,
                Duration.ZERO, "warning", Duration.ZERO, List.of(), "sensorcast.conf:9");
        Settings settings = TestServer.settings().mqttBroker("mqtt://127.0.0.1:" + broker.port)
                .alerts(List.of(warm(-15), roomHot)).build();
        server = TestServer.startDevices(settings, devices);

        try (Mosquitto.Subscriber sub = broker.subscribe("homeassistant/binary_sensor/test-device/alert_freezer-warm/config", 1, 10)) {
            Map<String, Object> config = Json.object(payload(sub.next()));
            assertEquals("problem", config.get("device_class"));
            assertEquals(PREFIX + "/alert/freezer-warm/state", config.get("state_topic"));
            assertEquals("ON", config.get("payload_on"));
            assertEquals("OFF", config.get("payload_off"));
            assertEquals("sensorcast_test-device_alert_freezer-warm", config.get("unique_id"));
            assertEquals(PREFIX + "/status", config.get("availability_topic"));
            assertEquals("test-device", ((Map<?, ?>) config.get("device")).get("name"));
        }
        try (Mosquitto.Subscriber sub = broker.subscribe(PREFIX + "/alert/room-hot/state", 1, 10)) {
            assertEquals("OFF", payload(sub.next()));
        }
        try (Mosquitto.Subscriber sub = broker.subscribe(PREFIX + "/alert/freezer-warm/attributes", 1, 10)) {
            Map<String, Object> attributes = Json.object(payload(sub.next()));
            assertEquals(List.of("freezer.temperature"), attributes.get("firing"));
            assertEquals("critical", attributes.get("severity"));
        }
        // The retained ON first, then OFF once a reload makes the rule stricter than the value.
        try (Mosquitto.Subscriber sub = broker.subscribe(PREFIX + "/alert/freezer-warm/state", 2, 20)) {
            assertEquals("ON", payload(sub.next()));
            server.service().reload(settings.toBuilder().alerts(List.of(warm(0), roomHot)).build(), devices, List.of());
            assertEquals("OFF", payload(sub.next()));
        }
        // A rule that is removed takes its entity with it (an empty retained config).
        server.service().reload(settings.toBuilder().alerts(List.of(warm(0))).build(), devices, List.of());
        try (Mosquitto.Subscriber sub = broker.subscribe("homeassistant/binary_sensor/test-device/alert_room-hot/config", 1, 2)) {
            assertEquals(null, sub.next(), "no retained config for a removed rule");
        }
    }
}

package io.sensorcast.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.config.Settings;
import io.sensorcast.testing.Json;
import io.sensorcast.testing.RawHttp;
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
 * The whole server with mqtt.broker set, against Debian's mosquitto, read back with mosquitto_sub:
 * states, attributes, Home Assistant discovery configs, /metrics, and offline at a clean stop.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MqttServiceTest {

    private static final String PREFIX = "sensorcast/test-device";

    @TempDir
    Path dir;
    private Mosquitto broker;
    private TestServer server;

    @BeforeEach
    void startBroker() throws Exception {
        Requires.component(Mosquitto.installed(), Mosquitto.INSTALL);
        broker = Mosquitto.start(dir);
    }

    @AfterEach
    void stopAll() throws Exception {
        if (server != null) {
            server.close();
        }
        broker.close();
    }

    private TestServer start(Duration interval) throws Exception {
        Settings s = TestServer.settings().mqttBroker("mqtt://127.0.0.1:" + broker.port).mqttPublishInterval(interval).build();
        return TestServer.start(s, List.of(
                TestSensors.constant("room.temperature", "Room temperature", "°C", 21.5, Duration.ofMillis(100)),
                TestSensors.constant("cpu.usage", "CPU use", "%", 7, Duration.ofMillis(100))));
    }

    @Test
    void statesAttributesAndDiscoveryConfigsReachAnotherClient() throws Exception {
        server = start(Duration.ZERO);
        try (Mosquitto.Subscriber sub = broker.subscribe(PREFIX + "/room.temperature/state", 1, 10)) {
            assertEquals(PREFIX + "/room.temperature/state 21.5", sub.next());
        }
        try (Mosquitto.Subscriber sub = broker.subscribe(PREFIX + "/cpu.usage/attributes", 1, 10)) {
            String line = sub.next();
            assertNotNull(line);
            Map<String, Object> attributes = Json.object(line.substring(line.indexOf(' ') + 1));
            assertEquals("ok", attributes.get("state"));
            assertEquals("", attributes.get("message"));
            assertTrue(attributes.get("t") instanceof Number && attributes.get("seq") instanceof Number, line);
        }
        try (Mosquitto.Subscriber sub = broker.subscribe("homeassistant/sensor/test-device/room_temperature/config", 1, 10)) {
            String line = sub.next();
            assertNotNull(line, "a retained discovery config");
            Map<String, Object> config = Json.object(line.substring(line.indexOf(' ') + 1));
            assertEquals("Room temperature", config.get("name"));
            assertEquals("sensorcast_test-device_room_temperature", config.get("unique_id"));
            assertEquals(PREFIX + "/room.temperature/state", config.get("state_topic"));
            assertEquals(PREFIX + "/room.temperature/attributes", config.get("json_attributes_topic"));
            assertEquals("temperature", config.get("device_class"));
            assertEquals("°C", config.get("unit_of_measurement"));
            assertEquals("measurement", config.get("state_class"));
            assertEquals("all", config.get("availability_mode"));
            assertTrue(config.get("expire_after") instanceof Number);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> availability = (List<Map<String, Object>>) config.get("availability");
            assertEquals(PREFIX + "/status", availability.get(0).get("topic"));
            @SuppressWarnings("unchecked")
            Map<String, Object> device = (Map<String, Object>) config.get("device");
            assertEquals(List.of("sensorcast_test-device"), device.get("identifiers"));
            assertEquals("test-device", device.get("name"));
            assertNotNull(device.get("sw_version"));
        }
        try (Mosquitto.Subscriber sub = broker.subscribe("homeassistant/sensor/test-device/cpu_usage/config", 1, 10)) {
            String line = sub.next();
            assertNotNull(line);
            assertEquals(null, Json.object(line.substring(line.indexOf(' ') + 1)).get("device_class"),
                    "a percentage that is not humidity has no device class");
        }
        String metrics = new String(RawHttp.get(server.port(), "/metrics").body(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(metrics.contains("\nsensorcast_mqtt_connected 1\n"), metrics);
        assertTrue(metrics.contains("\nsensorcast_mqtt_reconnects_total 0\n"), metrics);
        String health = new String(RawHttp.get(server.port(), "/healthz").body(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals("connected", Json.object(health).get("mqtt"), health);

        server.close();
        server = null;
        try (Mosquitto.Subscriber sub = broker.subscribe(PREFIX + "/status", 1, 10)) {
            assertEquals(PREFIX + "/status offline", sub.next(), "a clean stop says offline");
        }
    }

    @Test
    void theIntervalThinsTheStates() throws Exception {
        // Samples every 100 ms, states at most once an hour: the first one, then none while we listen
        // (mosquitto_sub's -W ends the wait; a second state would be a bug at any speed).
        server = start(Duration.ofHours(1));
        try (Mosquitto.Subscriber sub = broker.subscribe(PREFIX + "/room.temperature/state", 100, 2)) {
            assertEquals(List.of(PREFIX + "/room.temperature/state 21.5"), sub.rest());
        }
    }

    @Test
    void intervalZeroSendsEverySample() throws Exception {
        server = start(Duration.ZERO);
        try (Mosquitto.Subscriber sub = broker.subscribe(PREFIX + "/room.temperature/state", 5, 10)) {
            assertEquals(5, sub.rest().size(), "the retained state and four more samples");
        }
    }

    @Test
    void aReloadRemovesTheEntitiesOfAChannelGoneAndMovesToANewBroker(@TempDir Path other) throws Exception {
        server = start(Duration.ZERO);
        String cpuConfig = "homeassistant/sensor/test-device/cpu_usage/config";
        try (Mosquitto.Subscriber sub = broker.subscribe(cpuConfig, 1, 10)) {
            assertNotNull(sub.next(), "the config is there before the reload");
        }
        Settings same = TestServer.settings().mqttBroker("mqtt://127.0.0.1:" + broker.port).mqttPublishInterval(Duration.ZERO).build();
        List<io.sensorcast.sensor.Device> one = List.of(io.sensorcast.sensor.Device.of(
                TestSensors.constant("room.temperature", "Room temperature", "°C", 21.5, Duration.ofMillis(100))));
        server.service().reload(same, one, List.of());
        // An empty retained message deletes the retained one: a new subscriber gets nothing.
        try (Mosquitto.Subscriber sub = broker.subscribe(cpuConfig, 1, 2)) {
            assertEquals(List.of(), sub.rest(), "the entity of the removed channel is gone");
        }
        try (Mosquitto.Subscriber sub = broker.subscribe(PREFIX + "/cpu.usage/state", 1, 2)) {
            assertEquals(List.of(), sub.rest(), "and its state");
        }

        try (Mosquitto second = Mosquitto.start(other)) {
            Settings moved = TestServer.settings().mqttBroker("mqtt://127.0.0.1:" + second.port).mqttPublishInterval(Duration.ZERO).build();
            server.service().reload(moved, List.of(io.sensorcast.sensor.Device.of(
                    TestSensors.constant("room.temperature", "Room temperature", "°C", 21.5, Duration.ofMillis(100)))), List.of());
            try (Mosquitto.Subscriber sub = second.subscribe(PREFIX + "/room.temperature/state", 1, 10)) {
                assertEquals(PREFIX + "/room.temperature/state 21.5", sub.next(), "states on the new broker");
            }
            // The old broker keeps nothing of ours, not even an offline status: Home Assistant would
            // keep a ghost entity for each retained config.
            assertEquals(List.of(), broker.retained(1, PREFIX + "/#", "homeassistant/#"), "retained on the old broker");
        }
    }

    @Test
    void theConfigsGoAgainWhenHomeAssistantSaysItIsOnline() throws Exception {
        server = start(Duration.ofHours(1));
        String config = "homeassistant/sensor/test-device/room_temperature/config";
        try (Mosquitto.Subscriber sub = broker.subscribe(config, 2, 10)) {
            assertNotNull(sub.next(), "the retained config");
            broker.publish("homeassistant/status", "online"); // Home Assistant restarted
            String again = sub.next();
            assertNotNull(again, "sent again");
            assertTrue(again.startsWith(config + " {"), again);
        }
    }

    /** A door contact: read gives the level (a heartbeat), edges go to the sink as they happen. */
    private static final class Door implements io.sensorcast.sensor.EventSensor {
        volatile io.sensorcast.sensor.SampleSink sink;
        volatile double level;
        final java.util.concurrent.CountDownLatch listening = new java.util.concurrent.CountDownLatch(1);

        @Override
        public String id() {
            return "door";
        }

        @Override
        public List<io.sensorcast.hub.ChannelInfo> channels() {
            return List.of(new io.sensorcast.hub.ChannelInfo("door.level", "Door", ""));
        }

        @Override
        public Duration interval() {
            return Duration.ofMillis(100);
        }

        @Override
        public void read(double[] values) {
            values[0] = level;
        }

        @Override
        public void listen(io.sensorcast.sensor.SampleSink s) {
            sink = s;
            listening.countDown();
        }
    }

    @Test
    void anEdgeGoesAtOnceAndAnInputIsABinarySensorAndAnErrorSaysSo() throws Exception {
        Door door = new Door();
        Settings s = TestServer.settings().mqttBroker("mqtt://127.0.0.1:" + broker.port).mqttPublishInterval(Duration.ofHours(1)).build();
        server = TestServer.start(s, List.of(door, TestSensors.failing("bus.temperature", "no I2C device at 0x76", Duration.ofMillis(200))));
        assertTrue(door.listening.await(10, TimeUnit.SECONDS));
        try (Mosquitto.Subscriber sub = broker.subscribe(PREFIX + "/door.level/state", 2, 10)) {
            assertEquals(PREFIX + "/door.level/state 0", sub.next(), "the first read");
            door.level = 1;
            door.sink.emit(0, 1); // within the hour of publish_interval: an edge goes at once
            assertEquals(PREFIX + "/door.level/state 1", sub.next());
        }
        try (Mosquitto.Subscriber sub = broker.subscribe("homeassistant/binary_sensor/test-device/door_level/config", 1, 10)) {
            String line = sub.next();
            assertNotNull(line, "a binary_sensor");
            Map<String, Object> config = Json.object(line.substring(line.indexOf(' ') + 1));
            assertEquals("1", config.get("payload_on"));
            assertEquals("0", config.get("payload_off"));
        }
        try (Mosquitto.Subscriber sub = broker.subscribe(PREFIX + "/bus.temperature/attributes", 1, 10)) {
            String line = sub.next();
            assertNotNull(line);
            Map<String, Object> attributes = Json.object(line.substring(line.indexOf(' ') + 1));
            assertEquals("error", attributes.get("state"), line);
            assertTrue(String.valueOf(attributes.get("message")).contains("no I2C device at 0x76"), line);
        }
    }
}

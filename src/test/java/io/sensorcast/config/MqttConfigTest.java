package io.sensorcast.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mqtt.* keys: off by default, checked with file, line and key, mqtts:// refused with how to bridge. */
class MqttConfigTest {

    @TempDir
    Path dir;

    private static ConfigLoader.Result one(String text) {
        return ConfigLoader.fromTexts(Map.of("sensorcast.conf", text));
    }

    private static List<String> messages(ConfigLoader.Result r) {
        return r.errors().stream().map(ConfigError::toString).toList();
    }

    private static MqttSettings ok(String text) {
        ConfigLoader.Result r = one(text);
        assertTrue(r.ok(), messages(r).toString());
        return r.config().settings().mqtt;
    }

    @Test
    void offByDefaultWithTheDocumentedDefaults() {
        MqttSettings m = ok("server.name = Green House\n");
        assertFalse(m.enabled());
        assertEquals(0, m.qos());
        assertEquals(Duration.ofSeconds(10), m.publishInterval());
        assertEquals(Duration.ofSeconds(60), m.keepalive());
        assertTrue(m.discovery());
        assertEquals("homeassistant", m.discoveryPrefix());
        assertEquals("sensorcast-green_house", m.clientId("Green House"));
        assertEquals("sensorcast/green_house", m.topicPrefix("Green House"));
    }

    @Test
    void aBrokerWithAndWithoutAPort() {
        MqttSettings m = ok("mqtt.broker = mqtt://192.168.1.10\nmqtt.client_id = pi-1\nmqtt.topic_prefix = home/pi\nmqtt.qos = 1\n");
        assertTrue(m.enabled());
        assertEquals("192.168.1.10", m.host());
        assertEquals(1883, m.port());
        assertEquals("pi-1", m.clientId("x"));
        assertEquals("home/pi", m.topicPrefix("x"));
        assertEquals(1, m.qos());
        assertEquals(1884, ok("mqtt.broker = mqtt://homeassistant.local:1884\n").port());
        assertEquals("mqtt://homeassistant.local:1884", ok("mqtt.broker = mqtt://homeassistant.local:1884\n").brokerName());
    }

    @Test
    void mqttsIsRefusedWithTheWayToBridge() {
        assertEquals(List.of("sensorcast.conf:2: mqtt.broker: TLS is not supported yet; run a mosquitto on the Pi that"
                + " bridges to this broker over TLS (README, MQTT: a TLS broker) and set mqtt.broker = mqtt://127.0.0.1:1883"),
                messages(one("\nmqtt.broker = mqtts://broker.example:8883\n")));
    }

    @Test
    void otherMistakesAreNamedWithFileLineAndKey() {
        assertEquals(List.of("sensorcast.conf:1: mqtt.broker: 'http://pi:1883' is not a broker address like"
                + " mqtt://192.168.1.10:1883 (or mqtt://homeassistant.local)"), messages(one("mqtt.broker = http://pi:1883\n")));
        assertEquals(List.of("sensorcast.conf:1: mqtt.broker: 'mqtt://u@pi:1883' is not a broker address like"
                + " mqtt://192.168.1.10:1883 (host and port only; the user name goes in mqtt.username)"),
                messages(one("mqtt.broker = mqtt://u@pi:1883\n")));
        assertEquals(List.of("sensorcast.conf:1: mqtt.qos: 2 is out of range; allowed 0 to 1"), messages(one("mqtt.qos = 2\n")));
        assertEquals(List.of("sensorcast.conf:1: mqtt.topic_prefix: 'home/#' is not a topic prefix: no + or #, and no"
                + " leading or trailing /"), messages(one("mqtt.topic_prefix = home/#\n")));
        assertEquals(List.of("sensorcast.conf:2: mqtt.password: a password needs mqtt.username too (MQTT sends no"
                + " password without a user name)"), messages(one("mqtt.broker = mqtt://pi\nmqtt.password = secret\n")));
    }

    @Test
    void onePasswordSourceAndAFileThatCanBeRead() throws Exception {
        Path file = dir.resolve("mqtt.password");
        Files.writeString(file, "secret\n");
        MqttSettings m = ok("mqtt.broker = mqtt://pi\nmqtt.username = pi\nmqtt.password_file = " + file + "\n");
        assertEquals(file, m.passwordFile());
        assertEquals(List.of("sensorcast.conf:4: mqtt.password_file: set either mqtt.password or mqtt.password_file,"
                + " not both (mqtt.password is on sensorcast.conf:3)"),
                messages(one("mqtt.broker = mqtt://pi\nmqtt.username = pi\nmqtt.password = x\nmqtt.password_file = " + file + "\n")));
        Path missing = dir.resolve("nope");
        assertEquals(List.of("sensorcast.conf:3: mqtt.password_file: no such file: " + missing),
                messages(one("mqtt.broker = mqtt://pi\nmqtt.username = pi\nmqtt.password_file = " + missing + "\n")));
    }
}

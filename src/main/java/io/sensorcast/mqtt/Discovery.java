package io.sensorcast.mqtt;

import io.sensorcast.hub.Hub;
import io.sensorcast.hub.JsonWriter;
import java.time.Duration;

/**
 * Home Assistant MQTT discovery: one retained {@code <discovery_prefix>/<component>/<node>/<object>/config}
 * per channel ({@code binary_sensor} for event channels such as GPIO inputs, {@code sensor} for the
 * rest), with a {@code unique_id} made of the node and the channel id (stable across restarts and
 * reloads), the device block, the device class and unit where one fits, and availability from both
 * the device's status topic and the channel's state (error and stale make the entity unavailable).
 * An empty retained config removes the entity.
 */
public final class Discovery {

    private final String discoveryPrefix;
    private final String node;
    private final String deviceName;
    private final String model;
    private final String version;
    private final String topicPrefix;
    private final String statusTopic;
    private final long expireAfterSeconds;

    /**
     * @param node        the node id: server.name in a-z, 0-9, '_' and '-'
     * @param model       the board's model from the device tree, or null
     * @param expireAfter how long a state stays valid without a new one (Home Assistant's expire_after)
     */
    public Discovery(String discoveryPrefix, String node, String deviceName, String model, String version,
            String topicPrefix, Duration expireAfter) {
        this.discoveryPrefix = discoveryPrefix;
        this.node = node;
        this.deviceName = deviceName;
        this.model = model;
        this.version = version;
        this.topicPrefix = topicPrefix;
        this.statusTopic = topicPrefix + "/status";
        this.expireAfterSeconds = Math.max(1, expireAfter.toSeconds());
    }

    /** Home Assistant's own status: {@code online} when it (re)starts. */
    public String statusTopic() {
        return discoveryPrefix + "/status";
    }

    String configTopic(String component, String channel) {
        return discoveryPrefix + "/" + component + "/" + node + "/" + objectId(channel) + "/config";
    }

    static String objectId(String channel) {
        return channel.replace('.', '_');
    }

    void publish(MqttClient client, Hub.Channel ch, boolean binary) {
        String id = ch.info().id();
        // A channel that changed kind on a reload must not stay as the other component.
        client.forget(configTopic(binary ? "sensor" : "binary_sensor", id), false);
        client.publish(configTopic(binary ? "binary_sensor" : "sensor", id), config(ch, binary), true);
    }

    void remove(MqttClient client, String channel) {
        for (String component : new String[] {"sensor", "binary_sensor"}) {
            client.forget(configTopic(component, channel), true);
        }
    }

    byte[] config(Hub.Channel ch, boolean binary) {
        String id = ch.info().id();
        String unit = ch.info().unit();
        JsonWriter w = new JsonWriter().beginObject()
                .name("name").value(ch.info().name())
                .name("unique_id").value("sensorcast_" + node + "_" + objectId(id))
                .name("object_id").value(node + "_" + objectId(id))
                .name("state_topic").value(topicPrefix + "/" + id + "/state")
                .name("json_attributes_topic").value(topicPrefix + "/" + id + "/attributes");
        if (binary) {
            w.name("payload_on").value("1").name("payload_off").value("0");
        } else {
            String deviceClass = deviceClass(id, unit);
            if (deviceClass != null) {
                w.name("device_class").value(deviceClass);
            }
            if (!unit.isEmpty()) {
                w.name("unit_of_measurement").value(unit);
            }
            w.name("state_class").value("measurement");
        }
        w.name("expire_after").value(expireAfterSeconds)
                .name("availability_mode").value("all")
                .name("availability").beginArray()
                .beginObject().name("topic").value(statusTopic).endObject()
                .beginObject().name("topic").value(topicPrefix + "/" + id + "/attributes")
                .name("value_template").value("{{ 'online' if value_json.state == 'ok' else 'offline' }}").endObject()
                .endArray();
        device(w);
        return w.endObject().toUtf8();
    }

    /**
     * Home Assistant's device class for a unit, where one fits: °C temperature, hPa or Pa pressure,
     * V voltage, W power, B/s data rate; % only for a humidity channel (CPU, memory and disk use are
     * percentages too, and no class fits them). None otherwise.
     */
    static String deviceClass(String channel, String unit) {
        return switch (unit) {
            case "°C" -> "temperature";
            case "hPa", "Pa" -> "pressure";
            case "V" -> "voltage";
            case "W" -> "power";
            case "B/s" -> "data_rate";
            case "%" -> channel.contains("humidity") ? "humidity" : null;
            default -> null;
        };
    }

    /** The {@code device} block every config of this node carries: Home Assistant groups the entities by it. */
    private void device(JsonWriter w) {
        w.name("device").beginObject()
                .name("identifiers").beginArray().value("sensorcast_" + node).endArray()
                .name("name").value(deviceName)
                .name("manufacturer").value("sensorcast");
        if (model != null) {
            w.name("model").value(model);
        }
        w.name("sw_version").value(version).endObject();
    }

    /** An alert rule's binary sensor (device class problem): object {@code alert_<rule>} beside the channels' objects. */
    String alertConfigTopic(String rule) {
        return discoveryPrefix + "/binary_sensor/" + node + "/alert_" + objectId(rule) + "/config";
    }

    void publishAlert(MqttClient client, io.sensorcast.alert.AlertRule rule, String stateTopic, String attributesTopic) {
        JsonWriter w = new JsonWriter().beginObject()
                .name("name").value("Alert " + rule.name())
                .name("unique_id").value("sensorcast_" + node + "_alert_" + objectId(rule.name()))
                .name("object_id").value(node + "_alert_" + objectId(rule.name()))
                .name("device_class").value("problem")
                .name("state_topic").value(stateTopic)
                .name("payload_on").value("ON")
                .name("payload_off").value("OFF")
                .name("json_attributes_topic").value(attributesTopic)
                .name("availability_topic").value(statusTopic);
        device(w);
        client.publish(alertConfigTopic(rule.name()), w.endObject().toUtf8(), true);
    }

    void removeAlert(MqttClient client, String rule) {
        client.forget(alertConfigTopic(rule), true);
    }
}

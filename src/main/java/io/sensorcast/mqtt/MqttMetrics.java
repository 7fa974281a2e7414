package io.sensorcast.mqtt;

import io.sensorcast.hub.Metrics;

/** The MQTT client's families in /metrics; all zero while MQTT is off. Loop thread. */
public final class MqttMetrics {

    private MqttMetrics() {
    }

    public static void render(StringBuilder b, MqttClient client) {
        boolean on = client != null;
        Metrics.appendGauge(b, "sensorcast_mqtt_connected", "1 while the MQTT client is connected to its broker (CONNACK accepted).",
                on && client.state() == MqttClient.State.CONNECTED ? 1 : 0);
        Metrics.appendCounter(b, "sensorcast_mqtt_published_total", "PUBLISH packets queued to the broker.",
                on ? client.publishedTotal() : 0);
        Metrics.appendCounter(b, "sensorcast_mqtt_dropped_total",
                "Publishes lost: made while disconnected (states excepted: the latest is sent on reconnect), or over the outbound cap.",
                on ? client.droppedTotal() : 0);
        Metrics.appendCounter(b, "sensorcast_mqtt_replaced_total",
                "States replaced, unsent, by a newer state of the same topic (the broker read slower than they came; the newest goes).",
                on ? client.replacedTotal() : 0);
        Metrics.appendCounter(b, "sensorcast_mqtt_reconnects_total", "Connections to the broker lost after CONNACK and tried again.",
                on ? client.reconnectsTotal() : 0);
    }
}

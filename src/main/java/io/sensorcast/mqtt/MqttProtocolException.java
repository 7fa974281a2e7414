package io.sensorcast.mqtt;

/**
 * The broker's bytes break MQTT 3.1.1 or a limit of ours: the message names what (which packet,
 * which field) and, where the specification says so, the section. The connection is closed for it.
 */
public final class MqttProtocolException extends Exception {

    public MqttProtocolException(String message) {
        super(message, null, false, false); // a broker's garbage is not a bug of ours: no stack trace
    }
}

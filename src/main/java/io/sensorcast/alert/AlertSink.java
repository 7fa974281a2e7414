package io.sensorcast.alert;

/**
 * Where the alert rules hand their notifications: the outbound notifiers (webhook, ntfy). Called
 * on the loop thread; must return at once (queue the event, never do I/O or wait).
 */
@FunctionalInterface
public interface AlertSink {

    AlertSink NONE = event -> { };

    void accept(AlertEvent event);
}

package io.sensorcast.notify;

import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The notifiers' families in /metrics, one sample per configured notifier
 * ({@code sensorcast_notify_sent_total{notifier="phone"} 3}); names are a-z, 0-9, '_' and '-',
 * so a label value needs no escaping. Counters survive reloads.
 */
public final class NotifyMetrics {

    private NotifyMetrics() {
    }

    public static void render(StringBuilder b, Notifiers notifiers) {
        List<String> names = notifiers.names();
        family(b, "sensorcast_notify_sent_total", "counter", "Notifications the notifier accepted (HTTP 2xx).",
                names, n -> notifiers.counters(n).sent());
        family(b, "sensorcast_notify_failed_total", "counter", "Notifications given up after every retry failed.",
                names, n -> notifiers.counters(n).failed());
        family(b, "sensorcast_notify_dropped_total", "counter",
                "Notifications never sent: the notifier's queue was full, or the service stopped.",
                names, n -> notifiers.counters(n).dropped());
        family(b, "sensorcast_notify_errors_total", "counter",
                "Attempts that failed (no connection, no answer in time, a status other than 2xx), retried ones included.",
                names, n -> notifiers.counters(n).errors());
        family(b, "sensorcast_notify_queued", "gauge", "Notifications waiting for the notifier, the one being sent included.",
                names, notifiers::queued);
    }

    private static void family(StringBuilder b, String name, String type, String help, List<String> names,
                               ToLongFunction<String> value) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        for (String n : names) {
            b.append(name).append("{notifier=\"").append(n).append("\"} ").append(value.applyAsLong(n)).append('\n');
        }
    }
}

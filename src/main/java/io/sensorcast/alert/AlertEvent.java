package io.sensorcast.alert;

import java.util.List;

/**
 * One notification of an alert rule: it began firing, it is still firing (a {@code repeat}), or it
 * resolved. Made on the loop thread, immutable, handed to the notifiers' worker; its sender never
 * touches it again.
 *
 * @param rule        the rule's name, from {@code [alert.NAME]} ("greenhouse-cold")
 * @param severity    "warning" or "critical"
 * @param transition  what happened
 * @param channel     the channel id the rule matched ("greenhouse.temperature")
 * @param value       the channel's value when it happened; NaN for a rule on a channel's state
 * @param condition   the rule's condition as a person reads it: "below 2", "above 80", "state error for 1h"
 * @param threshold   the threshold crossed; NaN for a rule on a channel's state
 * @param server      the device's {@code server.name}
 * @param sinceMillis when the condition began to hold (epoch milliseconds)
 * @param atMillis    when this transition happened (epoch milliseconds)
 * @param notifiers   the notifiers the rule names ({@code notify = a, b}); empty: every notifier
 */
public record AlertEvent(String rule, String severity, Transition transition, String channel, double value,
                         String condition, double threshold, String server, long sinceMillis, long atMillis,
                         List<String> notifiers) {

    public AlertEvent {
        notifiers = List.copyOf(notifiers);
    }

    /** The transitions that are told to people; pending and ok are logged only. */
    public enum Transition {
        FIRING("firing"), REPEAT("repeat"), RESOLVED("resolved");

        private final String wireName;

        Transition(String wireName) {
            this.wireName = wireName;
        }

        /** The name in JSON, the log and notifications. */
        public String wireName() {
            return wireName;
        }
    }
}

package io.sensorcast.alert;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * One validated {@code [alert.NAME]} section: which channels it watches, the condition, how long
 * it must hold, and whom it tells. Immutable; two rules are the same rule (a reload keeps its
 * state) when they are equal, {@code origin} aside.
 *
 * @param name      the section's name ("greenhouse-cold")
 * @param channels  channel ids or patterns with {@code *} ("cpu.*"), any of which it watches
 * @param kind      what it compares
 * @param threshold for ABOVE and BELOW: the value it fires beyond; NaN for a state rule
 * @param clear     for ABOVE and BELOW: the value that ends it (hysteresis; the threshold by default)
 * @param state     for STATE: "error" or "stale"; null otherwise
 * @param holdFor   how long the condition must hold before it fires ({@code for}); zero: at once
 * @param severity  "warning" or "critical"
 * @param repeat    how often a firing rule notifies again; zero: never
 * @param notifiers the notifiers it names ({@code notify}); empty: every notifier
 * @param origin    "file:line" of its first key, or "(built-in)", for messages
 */
public record AlertRule(String name, List<String> channels, Kind kind, double threshold, double clear, String state,
                        Duration holdFor, String severity, Duration repeat, List<String> notifiers, String origin) {

    /** What a rule compares. */
    public enum Kind { ABOVE, BELOW, STATE }

    public AlertRule {
        channels = List.copyOf(channels);
        notifiers = List.copyOf(notifiers);
    }

    /** The condition as a person reads it: "above 80 (clear at 75) for 1m", "state error for 1h". */
    public String condition() {
        String c = switch (kind) {
            case ABOVE -> "above " + number(threshold) + (clear != threshold ? " (clears at " + number(clear) + ")" : "");
            case BELOW -> "below " + number(threshold) + (clear != threshold ? " (clears at " + number(clear) + ")" : "");
            case STATE -> "state " + state;
        };
        return holdFor.isZero() ? c : c + " for " + io.sensorcast.config.Values.format(holdFor);
    }

    /** Whether {@code channel} is one this rule watches. */
    public boolean matches(String channel) {
        for (String p : channels) {
            if (glob(p, channel)) {
                return true;
            }
        }
        return false;
    }

    /** The same rule for a reload: everything but where it was written. */
    public boolean sameAs(AlertRule o) {
        return o != null && name.equals(o.name) && channels.equals(o.channels) && kind == o.kind
                && Double.compare(threshold, o.threshold) == 0 && Double.compare(clear, o.clear) == 0
                && java.util.Objects.equals(state, o.state) && holdFor.equals(o.holdFor) && severity.equals(o.severity)
                && repeat.equals(o.repeat) && notifiers.equals(o.notifiers);
    }

    /** {@code *} stands for any characters (dots included); everything else is itself. */
    static boolean glob(String pattern, String s) {
        int p = 0;
        int i = 0;
        int star = -1;
        int mark = 0;
        while (i < s.length()) {
            if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                mark = i;
            } else if (p < pattern.length() && pattern.charAt(p) == s.charAt(i)) {
                p++;
                i++;
            } else if (star >= 0) {
                p = star + 1;
                i = ++mark;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%s", v);
    }
}

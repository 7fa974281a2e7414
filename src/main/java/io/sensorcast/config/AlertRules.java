package io.sensorcast.config;

import io.sensorcast.alert.AlertRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code [alert.NAME]} sections, validated with file:line:key as devices are, and the
 * built-in rules ({@link ConfigSchema#builtInAlerts()}) that a section of the same name adjusts or
 * turns off ({@code enabled = false}).
 */
final class AlertRules {

    private static final Pattern CHANNEL = Pattern.compile("[a-z0-9*][a-z0-9_.*-]{0,127}");
    private static final Pattern NOTIFIER = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
    private static final Set<String> CONDITIONS = Set.of("above", "below", "state");

    private AlertRules() {}

    /**
     * The rules that are on, built-in ones first. {@code notifiers} are the {@code [notify.NAME]}
     * sections' names: a rule may name only those.
     */
    static List<AlertRule> of(Map<String, Map<String, ConfigEntry>> sections, Set<String> notifiers,
                              List<ConfigError> errors) {
        Map<String, Map<String, ConfigEntry>> all = new LinkedHashMap<>();
        ConfigSchema.builtInAlerts().forEach((name, keys) -> {
            Map<String, ConfigEntry> entries = new LinkedHashMap<>();
            keys.forEach((k, v) -> entries.put(k, new ConfigEntry(ConfigLoader.BUILT_IN, 0, "alert." + name + "." + k, v)));
            all.put(name, entries);
        });
        sections.forEach((name, keys) -> {
            Map<String, ConfigEntry> entries = all.computeIfAbsent(name, n -> new LinkedHashMap<>());
            // A section that sets its own condition replaces the built-in one's whole condition.
            if (keys.keySet().stream().anyMatch(CONDITIONS::contains)) {
                entries.keySet().removeIf(k -> CONDITIONS.contains(k) || k.equals("clear"));
            }
            entries.putAll(keys);
        });
        List<AlertRule> rules = new ArrayList<>();
        all.forEach((name, keys) -> {
            AlertRule r = rule(name, keys, notifiers, errors);
            if (r != null) {
                rules.add(r);
            }
        });
        return rules;
    }

    private static AlertRule rule(String name, Map<String, ConfigEntry> keys, Set<String> notifiers,
                                  List<ConfigError> errors) {
        Map<String, Key> allowed = new LinkedHashMap<>();
        ConfigSchema.alertKeys().forEach(k -> allowed.put(k.name, k));
        ConfigEntry first = keys.values().iterator().next();
        int before = errors.size();
        Map<String, Object> v = new HashMap<>();
        for (Map.Entry<String, ConfigEntry> kv : keys.entrySet()) {
            Key k = allowed.get(kv.getKey());
            ConfigEntry e = kv.getValue();
            if (k == null) {
                errors.add(e.error("unknown key for an alert rule" + Suggestion.didYouMean(kv.getKey(), allowed.keySet())));
                continue;
            }
            try {
                v.put(k.name, k.parse(e.value()));
            } catch (IllegalArgumentException ex) {
                errors.add(e.error(ex.getMessage()));
            }
        }
        for (Key k : allowed.values()) {
            if (!v.containsKey(k.name) && !keys.containsKey(k.name) && k.defaultText != null) {
                v.put(k.name, k.parse(k.defaultText));
            }
        }
        if (errors.size() > before) {
            return null;
        }
        if (!(Boolean) v.get("enabled")) {
            return null;
        }
        String prefix = "alert." + name + ".";
        ConfigEntry at = keys.getOrDefault("channel", first);
        @SuppressWarnings("unchecked")
        List<String> channels = (List<String>) v.get("channel");
        if (channels == null || channels.isEmpty()) {
            errors.add(new ConfigError(first.file(), first.line(), prefix + "channel",
                    "missing: every alert rule needs a channel (an id such as greenhouse.temperature, or a pattern such as cpu.*)"));
            return null;
        }
        for (String c : channels) {
            if (!CHANNEL.matcher(c).matches()) {
                errors.add(at.error("'" + c + "' is not a channel id or pattern (a-z, 0-9, '_', '-', '.' and *)"));
                return null;
            }
        }
        List<String> set = CONDITIONS.stream().filter(v::containsKey).sorted().toList();
        if (set.isEmpty()) {
            errors.add(new ConfigError(first.file(), first.line(), prefix + "above",
                    "missing: a rule needs one of above, below or state"));
            return null;
        }
        if (set.size() > 1) {
            errors.add(keys.get(set.get(1)).error("set one of above, below and state, not " + String.join(" and ", set)));
            return null;
        }
        AlertRule.Kind kind = switch (set.get(0)) {
            case "above" -> AlertRule.Kind.ABOVE;
            case "below" -> AlertRule.Kind.BELOW;
            default -> AlertRule.Kind.STATE;
        };
        double threshold = kind == AlertRule.Kind.STATE ? Double.NaN : (Double) v.get(set.get(0));
        double clear = threshold;
        if (v.containsKey("clear")) {
            ConfigEntry ce = keys.get("clear");
            clear = (Double) v.get("clear");
            if (kind == AlertRule.Kind.STATE) {
                errors.add(ce.error("clear is for above and below; a state rule ends when the state does"));
                return null;
            }
            if (kind == AlertRule.Kind.ABOVE && clear > threshold) {
                errors.add(ce.error("clear " + number(clear) + " is above the threshold "
                        + number(threshold) + ": an above rule clears at or below it"));
                return null;
            }
            if (kind == AlertRule.Kind.BELOW && clear < threshold) {
                errors.add(ce.error("clear " + number(clear) + " is below the threshold "
                        + number(threshold) + ": a below rule clears at or above it"));
                return null;
            }
        }
        @SuppressWarnings("unchecked")
        List<String> notify = (List<String>) v.get("notify");
        for (String n : notify) {
            ConfigEntry ne = keys.get("notify");
            if (!NOTIFIER.matcher(n).matches()) {
                errors.add(ne.error("'" + n + "' is not a notifier name (1-32 characters of a-z, 0-9, '_' or '-')"));
                return null;
            }
            if (!notifiers.contains(n)) {
                errors.add(ne.error("no [notify." + n + "] section" + Suggestion.didYouMean(n, notifiers)
                        + (notifiers.isEmpty() ? "; none is configured" : "; configured: " + String.join(", ", notifiers))));
                return null;
            }
        }
        return new AlertRule(name, channels, kind, threshold, clear, (String) v.get("state"), (Duration) v.get("for"),
                (String) v.get("severity"), (Duration) v.get("repeat"), notify,
                first.file().equals(ConfigLoader.BUILT_IN) && keys.values().stream().allMatch(e -> e.file().equals(ConfigLoader.BUILT_IN))
                        ? ConfigLoader.BUILT_IN : first.file() + ":" + first.line());
    }

    private static String number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}

package io.sensorcast.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.alert.AlertRule;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code [alert.NAME]} sections: what they become, and every mistake named with file, line and key. */
class AlertConfigTest {

    private static ConfigLoader.Result one(String text) {
        return ConfigLoader.fromTexts(Map.of("sensorcast.conf", text));
    }

    private static List<String> messages(ConfigLoader.Result r) {
        return r.errors().stream().map(ConfigError::toString).toList();
    }

    private static AlertRule rule(ConfigLoader.Result r, String name) {
        return r.config().settings().alerts.stream().filter(a -> a.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no rule " + name + " in " + r.config().settings().alerts));
    }

    @Test
    void aSectionBecomesARuleWithItsDefaults() {
        ConfigLoader.Result r = one("""
                [alert.greenhouse-cold]
                channel  = greenhouse.temperature
                below    = 2
                clear    = 3
                for      = 10m
                severity = critical
                repeat   = 6h

                [alert.freezer-warm]
                channel = freezer.*, fridge.temperature
                above   = -15
                """);
        assertTrue(r.ok(), messages(r).toString());
        AlertRule cold = rule(r, "greenhouse-cold");
        assertEquals(List.of("greenhouse.temperature"), cold.channels());
        assertEquals(AlertRule.Kind.BELOW, cold.kind());
        assertEquals(2.0, cold.threshold());
        assertEquals(3.0, cold.clear());
        assertEquals(Duration.ofMinutes(10), cold.holdFor());
        assertEquals("critical", cold.severity());
        assertEquals(Duration.ofHours(6), cold.repeat());
        assertEquals("sensorcast.conf:2", cold.origin());
        AlertRule warm = rule(r, "freezer-warm");
        assertEquals(AlertRule.Kind.ABOVE, warm.kind());
        assertEquals(-15.0, warm.clear(), "clear defaults to the threshold");
        assertEquals(Duration.ZERO, warm.holdFor());
        assertEquals("warning", warm.severity());
        assertEquals(Duration.ZERO, warm.repeat(), "repeat: never by default");
        assertTrue(warm.matches("freezer.temperature") && warm.matches("fridge.temperature") && !warm.matches("fridge.door"));
        assertEquals("above -15", warm.condition());
    }

    @Test
    void aStateRuleNeedsNoThreshold() {
        ConfigLoader.Result r = one("[alert.sensor-broken]\nchannel = *\nstate = error\nfor = 1h\n");
        assertTrue(r.ok(), messages(r).toString());
        AlertRule a = rule(r, "sensor-broken");
        assertEquals(AlertRule.Kind.STATE, a.kind());
        assertEquals("error", a.state());
        assertEquals("state error for 1h", a.condition());
    }

    @Test
    void theBuiltInRulesAreOnAndEachCanBeTurnedOffOrAdjusted() {
        ConfigLoader.Result none = one("");
        assertTrue(none.ok(), messages(none).toString());
        assertEquals(List.of("pi-under-voltage", "pi-throttled", "cpu-hot"),
                none.config().settings().alerts.stream().map(AlertRule::name).toList());
        AlertRule hot = rule(none, "cpu-hot");
        assertEquals(List.of("cpu.temperature"), hot.channels());
        assertEquals(80.0, hot.threshold());
        assertEquals(75.0, hot.clear());
        assertEquals(ConfigLoader.BUILT_IN, hot.origin());
        assertTrue(rule(none, "pi-under-voltage").matches("pi.under_voltage_occurred"));
        assertTrue(rule(none, "pi-under-voltage").matches("pi.under_voltage_alarm"));

        ConfigLoader.Result changed = one("""
                [alert.pi-throttled]
                enabled = false
                [alert.cpu-hot]
                above = 70
                for = 5m
                """);
        assertTrue(changed.ok(), messages(changed).toString());
        assertEquals(List.of("pi-under-voltage", "cpu-hot"),
                changed.config().settings().alerts.stream().map(AlertRule::name).toList());
        AlertRule cooler = rule(changed, "cpu-hot");
        assertEquals(70.0, cooler.threshold());
        assertEquals(70.0, cooler.clear(), "an own threshold replaces the built-in's clear too");
        assertEquals(Duration.ofMinutes(5), cooler.holdFor());
        assertEquals(List.of("cpu.temperature"), cooler.channels());
    }

    @Test
    void mistakesAreNamedWithFileLineAndKey() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("sensorcast.conf", """
                [alert.no-condition]
                channel = a.b

                [alert.both]
                channel = a.b
                above = 1
                below = 0

                [alert.bad-clear]
                channel = a.b
                above = 80
                clear = 85

                [alert.state-clear]
                channel = a.b
                state = stale
                clear = 3
                """);
        files.put("conf.d/alerts.conf", """
                [alert.typo]
                channel = a.b
                abov = 3

                [alert.bad-values]
                channel = A B
                below = cold
                severity = page
                for = soon

                [alert.unknown-notifier]
                channel = a.b
                above = 1
                notify = phone
                """);
        ConfigLoader.Result r = ConfigLoader.fromTexts(files);
        assertFalse(r.ok());
        String all = String.join("\n", messages(r));
        for (String expected : List.of(
                "sensorcast.conf:2: alert.no-condition.above: missing: a rule needs one of above, below or state",
                "sensorcast.conf:7: alert.both.below: set one of above, below and state, not above and below",
                "sensorcast.conf:12: alert.bad-clear.clear: clear 85 is above the threshold 80",
                "sensorcast.conf:17: alert.state-clear.clear: clear is for above and below",
                "conf.d/alerts.conf:3: alert.typo.abov: unknown key for an alert rule",
                "conf.d/alerts.conf:7: alert.bad-values.below:",
                "conf.d/alerts.conf:8: alert.bad-values.severity: 'page' is not one of warning, critical",
                "conf.d/alerts.conf:9: alert.bad-values.for:",
                "conf.d/alerts.conf:14: alert.unknown-notifier.notify: no [notify.phone] section")) {
            assertTrue(all.contains(expected), "missing: " + expected + "\nin:\n" + all);
        }
        assertTrue(all.contains("did you mean 'above'"), all);
    }

    @Test
    void aChannelThatIsNoIdOrPatternIsRefused() {
        ConfigLoader.Result r = one("[alert.x]\nchannel = greenhouse temperature\nabove = 1\n");
        assertEquals(List.of("sensorcast.conf:2: alert.x.channel: 'greenhouse temperature' is not a channel id or pattern"
                + " (a-z, 0-9, '_', '-', '.' and *)"), messages(r));
    }

    @Test
    void theReadmesExamplesAreValid() throws Exception {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("README.md"));
        String section = readme.substring(readme.indexOf("\n## Alerts\n"), readme.indexOf("\n## Troubleshooting\n"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("```ini\n(.*?)```", java.util.regex.Pattern.DOTALL)
                .matcher(section);
        int blocks = 0;
        while (m.find()) {
            blocks++;
            ConfigLoader.Result r = one(m.group(1));
            if (m.group(1).contains("notify =")) {
                // [notify.NAME] sections are the notifiers' (not part of this check): the only complaint is that one is missing.
                assertEquals(1, r.errors().size(), messages(r).toString());
                assertTrue(messages(r).get(0).contains("no [notify.phone] section"), messages(r).toString());
            } else {
                assertTrue(r.ok(), m.group(1) + messages(r));
            }
        }
        assertEquals(4, blocks, "the README's Alerts section has four examples");
    }
}

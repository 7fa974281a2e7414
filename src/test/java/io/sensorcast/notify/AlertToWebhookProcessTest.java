package io.sensorcast.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.sensorcast.testing.Json;
import io.sensorcast.testing.Ports;
import io.sensorcast.testing.Signals;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rule and a notifier as a user writes them, in the server as a process (the unit's heap): the
 * rule fires on the built-in sim channel and its webhook hears it; a SIGHUP that removes the rule
 * tells the same webhook it resolved; nothing else is sent.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AlertToWebhookProcessTest {

    @TempDir
    Path dir;

    @Test
    void aConfiguredRuleReachesItsConfiguredWebhookAndAReloadThatRemovesItResolves() throws Exception {
        assumeFalse(Signals.ignoredHere(Signals.SIGHUP), "these tests were started with SIGHUP ignored (under nohup), "
                + "and so is the server they start: it cannot be reloaded (MainProcessTest shows that case)");
        try (FakeReceiver hook = FakeReceiver.http(n -> 200)) {
            Path config = dir.resolve("sensorcast.conf");
            String notifier = "[notify.hook]\ntype = webhook\nurl  = " + hook.uri("/in") + "\n";
            Files.writeString(config, "server.name = shed\n\n[alert.sim-low]\nchannel  = sim.*\nbelow    = 1000000\n"
                    + "severity = critical\nnotify   = hook\n\n" + notifier);
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    "io.sensorcast.cli.Main", "--bind", "127.0.0.1", "--port", Integer.toString(Ports.freeLoopbackPort()),
                    "--config", config.toString())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(dir.resolve("stdout.txt").toFile())
                    .redirectErrorStream(true)
                    .start();
            try {
                FakeReceiver.Received fired = hook.next();
                assertNotNull(fired, () -> "the webhook heard nothing; the server said:\n" + log());
                Map<String, Object> body = Json.object(fired.body());
                assertEquals("sim-low", body.get("rule"), fired.body());
                assertEquals("firing", body.get("state"), fired.body());
                assertEquals("critical", body.get("severity"), fired.body());
                assertEquals("shed", body.get("device"), fired.body());
                assertEquals("sim.sine", body.get("channel"), fired.body());

                Files.writeString(config, "server.name = shed\n\n" + notifier); // the rule removed
                new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).start().waitFor(5, TimeUnit.SECONDS);
                FakeReceiver.Received resolved = hook.next();
                assertNotNull(resolved, () -> "no resolved after the reload; the server said:\n" + log());
                Map<String, Object> end = Json.object(resolved.body());
                assertEquals("sim-low", end.get("rule"), resolved.body());
                assertEquals("resolved", end.get("state"), resolved.body());
                assertEquals(2, hook.count(), "firing and resolved, nothing per sample");
            } finally {
                p.destroy();
                assertTrue(p.waitFor(10, TimeUnit.SECONDS) || p.destroyForcibly().waitFor(5, TimeUnit.SECONDS));
            }
            assertEquals(0, p.exitValue(), this::log);
            assertTrue(log().contains("alert sim-low firing (critical) on sim.sine"), this::log);
        }
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("stdout.txt"));
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}

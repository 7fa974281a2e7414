package io.sensorcast.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.config.ConfigLoader;
import io.sensorcast.config.Settings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sensorcast notify-test NAME: one test notification from the configuration, and what the server said. */
class NotifyTestCommandTest {

    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private Settings load(String text) throws Exception {
        Path f = Files.writeString(dir.resolve("sensorcast.conf"), text);
        ConfigLoader.Result r = ConfigLoader.load(f, true);
        assertTrue(r.ok(), r.errors().toString());
        return r.config().settings();
    }

    private int run(Settings s, String name) {
        return NotifyTestCommand.run(s, name, "sensorcast/test", new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void sendsOneNtfyMessageWithTheTokenFromItsFile() throws Exception {
        try (FakeReceiver ntfy = FakeReceiver.http(n -> 200)) {
            Path token = Files.writeString(dir.resolve("ntfy.token"), "tk_fromfile\n");
            Settings s = load("server.name = shed-pi\n[notify.phone]\ntype = ntfy\nurl = " + ntfy.uri("/shed-alerts")
                    + "\ntoken_file = " + token + "\n");
            assertEquals(0, run(s, "phone"), err.toString());
            FakeReceiver.Received r = ntfy.next();
            assertNotNull(r);
            assertEquals("/shed-alerts", r.path());
            assertEquals("Bearer tk_fromfile", r.header("Authorization"));
            assertEquals("sensorcast-test firing on shed-pi", r.header("Title"));
            assertTrue(r.body().startsWith("test: a test notification from sensorcast notify-test since "), r.body());
            assertEquals("sent a test notification to phone (ntfy " + ntfy.uri("/shed-alerts") + "): HTTP 200\n", out.toString());
        }
    }

    @Test
    void saysWhatTheServerAnsweredAndExits1() throws Exception {
        try (FakeReceiver hook = FakeReceiver.http(n -> 500)) {
            Settings s = load("[notify.hook]\ntype = webhook\nurl = " + hook.uri("/h") + "\nretries = 5\n");
            assertEquals(1, run(s, "hook"));
            assertEquals(1, hook.count(), "once, without retries");
            assertEquals("sensorcast: hook (webhook " + hook.uri("/h") + ") answered HTTP 500 ({\"code\":50001,\"error\":\"broken\"})\n",
                    err.toString());
        }
    }

    @Test
    void anUnknownNameListsTheConfiguredOnes() throws Exception {
        Settings s = load("[notify.phone]\ntype = ntfy\nurl = https://ntfy.sh/t\n");
        assertEquals(1, run(s, "fone"));
        assertEquals("sensorcast: no enabled [notify.fone] in the configuration; it has phone\n", err.toString());
    }
}

package io.sensorcast.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** [notify.NAME] sections: none by default, checked with file:line:key, the token never printed. */
class NotifyConfigTest {

    @TempDir
    Path dir;

    private static ConfigLoader.Result one(String text) {
        return ConfigLoader.fromTexts(Map.of("sensorcast.conf", text));
    }

    private static List<NotifySettings> ok(String text) {
        ConfigLoader.Result r = one(text);
        assertTrue(r.ok(), r.errors().toString());
        return r.config().settings().notifiers;
    }

    /** The only mistake of {@code text}, as check prints it. */
    private static String mistake(String text) {
        ConfigLoader.Result r = one(text);
        assertEquals(1, r.errors().size(), r.errors().toString());
        return r.errors().get(0).toString();
    }

    @Test
    void noneByDefault() {
        assertEquals(List.of(), ok("server.name = pi\n"));
    }

    @Test
    void anNtfyTopicAndAWebhookWithTheirDefaults() {
        List<NotifySettings> n = ok("""
                [notify.phone]
                type = ntfy
                url = https://ntfy.sh/greenhouse-7f3k9
                priority = high
                token = tk_abcdef

                [notify.hook]
                type = webhook
                url = http://192.168.1.20:8123/api/webhook/sensorcast
                timeout = 3s
                retries = 0

                [notify.off]
                type = webhook
                url = http://example.invalid/
                enabled = false
                """);
        assertEquals(2, n.size(), n.toString());
        NotifySettings phone = n.get(0);
        assertEquals("phone", phone.name());
        assertTrue(phone.isNtfy());
        assertEquals(URI.create("https://ntfy.sh/greenhouse-7f3k9"), phone.url());
        assertEquals(4, phone.priority());
        assertEquals("tk_abcdef", phone.token());
        assertEquals(Duration.ofSeconds(10), phone.timeout());
        assertEquals(3, phone.retries());
        assertEquals("sensorcast.conf:2", phone.origin());
        assertFalse(phone.toString().contains("tk_abcdef"), "the token is never printed: " + phone);
        NotifySettings hook = n.get(1);
        assertEquals("webhook", hook.type());
        assertEquals(0, hook.priority(), "by severity");
        assertEquals(Duration.ofSeconds(3), hook.timeout());
        assertEquals(0, hook.retries());
    }

    @Test
    void ntfyPrioritiesByNameAndNumber() {
        String head = "[notify.p]\ntype = ntfy\nurl = https://ntfy.sh/t\npriority = ";
        assertEquals(1, ok(head + "min\n").get(0).priority());
        assertEquals(3, ok(head + "default\n").get(0).priority());
        assertEquals(5, ok(head + "max\n").get(0).priority());
        assertEquals(5, ok(head + "urgent\n").get(0).priority());
        assertEquals(2, ok(head + "2\n").get(0).priority());
        assertEquals("sensorcast.conf:4: notify.p.priority: 'loud' is not one of min, low, default, high, max or 1-5",
                mistake(head + "loud\n"));
        assertEquals("sensorcast.conf:4: notify.p.priority: '6' is not one of min, low, default, high, max or 1-5",
                mistake(head + "6\n"));
    }

    @Test
    void mistakesNameTheFileLineAndKey() {
        assertEquals("sensorcast.conf:2: notify.x.type: 'slack' is not one of webhook, ntfy",
                mistake("[notify.x]\ntype = slack\nurl = https://a.example/\n"));
        assertEquals("sensorcast.conf:2: notify.x.url: missing: a notifier needs url (http:// or https:// URL; for ntfy the topic,"
                + " e.g. https://ntfy.sh/greenhouse-7f3k9)", mistake("[notify.x]\ntype = webhook\n"));
        assertEquals("sensorcast.conf:3: notify.x.url: 'ftp://a.example/' is not an http:// or https:// URL",
                mistake("[notify.x]\ntype = webhook\nurl = ftp://a.example/\n"));
        assertEquals("sensorcast.conf:3: notify.x.url: 'https://ntfy.sh/' is not an ntfy topic's URL: server and topic,"
                + " e.g. https://ntfy.sh/greenhouse-7f3k9", mistake("[notify.x]\ntype = ntfy\nurl = https://ntfy.sh/\n"));
        assertEquals("sensorcast.conf:3: notify.x.url: no user name or password in the URL: use token or token_file",
                mistake("[notify.x]\ntype = webhook\nurl = https://me:pw@a.example/\n"));
        assertEquals("sensorcast.conf:4: notify.x.priority: applies to type = ntfy only",
                mistake("[notify.x]\ntype = webhook\nurl = https://a.example/\npriority = high\n"));
        assertEquals("sensorcast.conf:4: notify.x.timout: unknown key for a notifier (did you mean 'timeout'?)",
                mistake("[notify.x]\ntype = webhook\nurl = https://a.example/\ntimout = 3s\n"));
        assertEquals("sensorcast.conf:4: notify.x.retries: 11 is out of range; allowed 0 to 10",
                mistake("[notify.x]\ntype = webhook\nurl = https://a.example/\nretries = 11\n"));
        assertEquals("sensorcast.conf:1: notify._phone.type: notifier name '_phone' must be 1-32 characters of a-z, 0-9, '_' or '-'",
                mistake("notify._phone.type = ntfy\n"));
        assertEquals("sensorcast.conf:1: notify.url: notifier keys go in a section like [notify.phone]: notify.<name>.<key>",
                mistake("notify.url = https://ntfy.sh/t\n"));
        assertEquals("sensorcast.conf:4: notify.x.token: a token is printable ASCII without spaces",
                mistake("[notify.x]\ntype = ntfy\nurl = https://ntfy.sh/t\ntoken = tk_a b\n"));
    }

    @Test
    void oneTokenSourceAndAFileThatCanBeRead() throws Exception {
        Path file = Files.writeString(dir.resolve("ntfy.token"), "tk_fromfile\n");
        List<NotifySettings> n = ok("[notify.x]\ntype = ntfy\nurl = https://ntfy.sh/t\ntoken_file = " + file + "\n");
        assertEquals(file, n.get(0).tokenFile());
        assertEquals("sensorcast.conf:5: notify.x.token_file: set either token or token_file, not both",
                mistake("[notify.x]\ntype = ntfy\nurl = https://ntfy.sh/t\ntoken = tk_a\ntoken_file = " + file + "\n"));
        Path missing = dir.resolve("nope");
        assertEquals("sensorcast.conf:4: notify.x.token_file: no such file: " + missing,
                mistake("[notify.x]\ntype = ntfy\nurl = https://ntfy.sh/t\ntoken_file = " + missing + "\n"));
    }

    @Test
    void keysListedForCheckKeys() {
        String table = KeyTable.markdown();
        assertTrue(table.contains("#### Notifiers: `notify.<name>.<key>`"), table);
        for (Key k : NotifySettings.keys()) {
            assertTrue(table.contains("| `" + k.name() + "` |"), k.name());
        }
    }
}

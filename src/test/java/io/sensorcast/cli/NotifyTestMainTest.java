package io.sensorcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The notify-test command on the command line: its name argument, --config only, a clear failure. */
class NotifyTestMainTest {

    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void needsANameAndTakesOnlyConfig() {
        assertEquals(2, run("notify-test"));
        assertEquals("sensorcast: notify-test needs the notifier's name, as in [notify.NAME] (try --help)\n", err.toString());
        err.reset();
        assertEquals(2, run("notify-test", "phone", "--port", "9000"));
        assertEquals("sensorcast: notify-test takes only --config (try --help)\n", err.toString());
    }

    @Test
    void checkListsTheNotifiersWithoutTheirTokens() throws Exception {
        Path conf = Files.writeString(dir.resolve("sensorcast.conf"), "[notify.phone]\ntype = ntfy\n"
                + "url = https://ntfy.sh/greenhouse-7f3k9\ntoken = tk_secret\n[notify.hook]\ntype = webhook\n"
                + "url = http://192.168.1.20:1880/alerts?key=k\n");
        assertEquals(0, run("check", "--config", conf.toString()), err.toString());
        assertTrue(out.toString().contains("\n2 notifiers: phone (ntfy https://ntfy.sh/greenhouse-7f3k9),"
                + " hook (webhook http://192.168.1.20:1880/alerts)\n"), out.toString());
        assertTrue(!out.toString().contains("tk_secret") && !out.toString().contains("key=k"), out.toString());
    }

    @Test
    void aNotifierThatIsDownExits1WithTheReason() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        Path conf = Files.writeString(dir.resolve("sensorcast.conf"),
                "[notify.hook]\ntype = webhook\nurl = http://127.0.0.1:" + port + "/x\n");
        assertEquals(1, run("notify-test", "hook", "--config", conf.toString()));
        assertTrue(err.toString().startsWith("sensorcast: hook (webhook http://127.0.0.1:" + port + "/x): cannot connect"),
                err.toString());
        assertEquals("", out.toString());
    }
}

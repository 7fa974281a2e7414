package io.sensorcast.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.sensorcast.testing.Json;
import io.sensorcast.testing.NotifySocket;
import io.sensorcast.testing.Ports;
import io.sensorcast.testing.Signals;
import io.sensorcast.testing.RawHttp;
import io.sensorcast.testing.WsTestClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real main class in its own JVM, as systemd runs it: the command line's exit codes, and a
 * SIGTERM (Process.destroy() on Linux) that stops the server cleanly with exit code 0 while a
 * monitor is connected. Every process is destroyed forcibly in the end, whatever happened.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MainProcessTest {

    private static final long EXIT_BUDGET_MS = 2000;

    @TempDir
    Path dir;

    private Process start(String... args) throws IOException {
        return start(List.of(), args);
    }

    /**
     * {@code java -Xmx64m -XX:+UseSerialGC -cp <this JVM's class path> io.sensorcast.cli.Main
     * args...}, after {@code prefix} (a command that runs it, such as nohup). Serve commands get an
     * empty config file of the test's own, so that a machine with sensorcast installed does not
     * lend its /etc configuration to the test.
     */
    private Process start(List<String> prefix, String... args) throws IOException {
        return start(Map.of(), prefix, args);
    }

    /**
     * With {@code env} added to the environment. systemd's variables of this JVM's own
     * environment (a build run as a service) are not passed on: only a test gives them.
     */
    private Process start(Map<String, String> env, List<String> prefix, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                "io.sensorcast.cli.Main"));
        cmd.addAll(List.of(args));
        if (List.of(args).contains("--port") && !List.of(args).contains("--config")) {
            Path config = dir.resolve("sensorcast.conf");
            Files.writeString(config, "# empty: built-in defaults\n");
            cmd.addAll(List.of("--config", config.toString()));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(dir.resolve("stdout.txt").toFile())
                .redirectError(dir.resolve("stderr.txt").toFile());
        pb.environment().keySet().removeAll(List.of("NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"));
        pb.environment().putAll(env);
        return pb.start();
    }

    private String stdout() throws IOException {
        return Files.readString(dir.resolve("stdout.txt"), StandardCharsets.UTF_8);
    }

    private String stderr() throws IOException {
        return Files.readString(dir.resolve("stderr.txt"), StandardCharsets.UTF_8);
    }

    /** A port that was free a moment ago on 127.0.0.1. */

    private int exitCode(Process p) throws Exception {
        assertTrue(p.waitFor(15, TimeUnit.SECONDS), "process did not exit; stdout: " + stdout());
        return p.exitValue();
    }

    @Test
    void sigtermWithAConnectedMonitorSendsClose1001AndExits0Within2s() throws Exception {
        int port = Ports.freeLoopbackPort();
        Process p = start("--bind", "127.0.0.1", "--port", String.valueOf(port), "--sim-rate", "20");
        try {
            awaitHealthy(p, port);
            try (WsTestClient monitor = WsTestClient.connect(port, "/ws")) {
                assertEquals("hello", Json.object(monitor.readText()).get("type"));
                monitor.setReadTimeout(5000);

                long signalled = System.nanoTime();
                p.destroy(); // SIGTERM

                WsTestClient.Frame close = monitor.readUntilClose();
                assertEquals(1001, close.closeCode(), close.closeReason());
                monitor.sendClose(1001, "");
                assertTrue(monitor.awaitEof(), "the TCP connection ends");
                monitor.close();

                assertTrue(p.waitFor(EXIT_BUDGET_MS + 1000, TimeUnit.MILLISECONDS), "did not exit; stdout: " + stdout());
                long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
                assertEquals(0, p.exitValue(), "a clean stop exits 0; stdout: " + stdout() + " stderr: " + stderr());
                assertTrue(took < EXIT_BUDGET_MS, "exit took " + took + " ms after SIGTERM");
                assertTrue(stdout().contains("stopping"), stdout());
            }
        } finally {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static Map<String, Object> nextOfType(WsTestClient ws, String type) throws Exception {
        for (int i = 0; i < 10_000; i++) {
            Map<String, Object> m = Json.object(ws.readText());
            if (type.equals(m.get("type"))) {
                return m;
            }
        }
        throw new AssertionError("no " + type);
    }

    /**
     * As the unit runs it (Type=notify, WatchdogSec=): READY=1 with a status once it listens,
     * WATCHDOG=1 at half the interval, RELOADING=1 and READY=1 around a reload, STOPPING=1 on
     * SIGTERM, each on the socket NOTIFY_SOCKET names, which the test binds as systemd does.
     */
    @Test
    void underSystemdItSaysReadyPingsTheWatchdogAndSaysReloadingAndStopping() throws Exception {
        int port = Ports.freeLoopbackPort();
        String name = "@sensorcast-main-test-" + ProcessHandle.current().pid() + "-" + port;
        try (NotifySocket systemd = NotifySocket.bind(name)) {
            Process p = start(Map.of("NOTIFY_SOCKET", name, "WATCHDOG_USEC", "1000000"), List.of(),
                    "--bind", "127.0.0.1", "--port", String.valueOf(port));
            try {
                List<String> ready = systemd.awaitContaining("READY=1", 20_000);
                assertTrue(ready.get(ready.size() - 1).contains("STATUS=listening on http://127.0.0.1:" + port + "/"), ready.toString());
                assertEquals(p.pid(), systemd.lastSender(), "from the main PID (NotifyAccess=main)");
                assertEquals(200, RawHttp.get(port, "/healthz").status(), "ready means it answers");
                systemd.awaitContaining("WATCHDOG=1", 5000);
                systemd.awaitContaining("WATCHDOG=1", 5000);
                if (!Signals.ignoredHere(Signals.SIGHUP)) {
                    sighup(p);
                    systemd.awaitContaining("RELOADING=1", 10_000);
                    systemd.awaitContaining("READY=1", 10_000);
                }
                p.destroy(); // SIGTERM
                systemd.awaitContaining("STOPPING=1", 5000);
                assertEquals(0, exitCode(p), stdout());
            } finally {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private void awaitStdout(String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!stdout().contains(text)) {
            assertTrue(System.nanoTime() < deadline, "no '" + text + "' in stdout: " + stdout());
            Thread.sleep(50);
        }
    }

    private static void sighup(Process p) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-HUP", String.valueOf(p.pid())).start().waitFor());
    }

    @Test
    void aServerStartedUnderNohupSaysThatSighupCannotReloadItAndStillStopsOnSigterm() throws Exception {
        int port = Ports.freeLoopbackPort();
        Process p = start(List.of("nohup"), "--bind", "127.0.0.1", "--port", String.valueOf(port));
        try {
            awaitHealthy(p, port);
            awaitStdout("WARN: [main] SIGHUP was ignored when this process started (nohup does that to SIGHUP), "
                    + "so it cannot reload sensorcast; start it as the systemd unit");
            assertFalse(stdout().contains("SIGTERM"), "SIGTERM is not ignored under nohup: " + stdout());

            p.destroy(); // SIGTERM: still a clean stop
            assertEquals(0, exitCode(p), "stdout: " + stdout() + " stderr: " + stderr());
        } finally {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void sighupRefusesAnInvalidConfigurationAndAppliesAValidOneWhileTheMonitorStaysConnected() throws Exception {
        assumeFalse(Signals.ignoredHere(Signals.SIGHUP), "these tests were started with SIGHUP ignored (under nohup), and so is the "
                + "server they start: it cannot be reloaded, as the nohup test shows");
        int port = Ports.freeLoopbackPort();
        Path conf = dir.resolve("reload.conf");
        Files.writeString(conf, "device.a.type = sim\ndevice.a.rate = 20\n");
        Process p = start("--config", conf.toString(), "--bind", "127.0.0.1", "--port", String.valueOf(port));
        try {
            awaitHealthy(p, port);
            try (WsTestClient monitor = WsTestClient.connect(port, "/ws")) {
                assertEquals("hello", Json.object(monitor.readText()).get("type"));

                Files.writeString(conf, "device.a.type = sim\ndevice.a.rate = 20\ndevice.a.adress = 1\n");
                sighup(p);
                awaitStdout("reload refused: " + conf + ":3: device.a.adress: unknown key for a sim device");
                assertEquals("a.sine", nextOfType(monitor, "sample").get("channel"), "still served, as before");

                Files.writeString(conf, "device.a.type = sim\ndevice.a.rate = 20\ndevice.b.type = sim\ndevice.b.rate = 20\n");
                sighup(p);
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> channels = (List<Map<String, Object>>) nextOfType(monitor, "channels").get("channels");
                assertEquals(List.of("a.sine", "b.sine"), channels.stream().map(c -> c.get("id")).toList());
                awaitStdout("configuration reloaded: 2 devices");
            }
        } finally {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void sigtermAsSoonAsThePortAcceptsConnectionsStillStopsCleanlyWithExit0() throws Exception {
        // A service manager may stop the server at any moment once it is up; "up" to a client is
        // "the port accepts". Three tries, each signalled the moment the port opens.
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = Ports.freeLoopbackPort();
            Process p = start("--bind", "127.0.0.1", "--port", String.valueOf(port));
            try {
                awaitListening(p, port);
                p.destroy(); // SIGTERM
                assertTrue(p.waitFor(EXIT_BUDGET_MS + 3000, TimeUnit.MILLISECONDS), "did not exit; stdout: " + stdout());
                assertEquals(0, p.exitValue(), "attempt " + attempt + ": SIGTERM right after the port opened must stop "
                        + "cleanly (143 is the JVM's default death by SIGTERM); stdout: " + stdout());
            } finally {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void unknownOptionExits2WithOneLineOnStderr() throws Exception {
        Process p = start("--bogus");
        try {
            assertEquals(2, exitCode(p));
            String err = stderr();
            assertEquals("sensorcast: unknown option '--bogus' (try --help)\n", err);
            assertEquals("", stdout());
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void helpExits0WithUsageOnStdout() throws Exception {
        Process p = start("--help");
        try {
            assertEquals(0, exitCode(p));
            assertTrue(stdout().startsWith("usage: sensorcast "), stdout());
            assertTrue(stdout().contains("--port N"), stdout());
            assertEquals("", stderr());
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void versionExits0WithOneLine() throws Exception {
        Process p = start("--version");
        try {
            assertEquals(0, exitCode(p));
            assertTrue(stdout().matches("sensorcast [0-9][^\\s]*\n"), stdout());
            assertEquals("", stderr());
        } finally {
            p.destroyForcibly();
        }
    }

    /** Tries to connect every few milliseconds until the port accepts (at most 15 s). */
    private void awaitListening(Process p, int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                fail("server exited with " + p.exitValue() + "; stdout: " + stdout() + " stderr: " + stderr());
            }
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(2);
            }
        }
        fail("port " + port + " did not open within 15 s; stdout: " + stdout());
    }

    /** Polls /healthz until it answers 200 (at most 15 s); fails at once if the process exits. */
    private void awaitHealthy(Process p, int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                fail("server exited with " + p.exitValue() + "; stdout: " + stdout() + " stderr: " + stderr());
            }
            try {
                if (RawHttp.get(port, "/healthz").status() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        fail("no healthy /healthz on port " + port + " within 15 s; stdout: " + stdout());
    }
}

package io.sensorcast.deploy;

import static io.sensorcast.deploy.Shell.REPO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import io.sensorcast.testing.NotifySocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The unit's ExecStart for real: deploy/sensorcast-service with this JVM and the packaged jar.
 * The first run writes the class-data archive when it stops; the second tries it and maps it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServiceScriptIT {

    @TempDir Path tmp;

    private Process start(Path out) throws Exception {
        return start(out, Map.of());
    }

    private Process start(Path out, Map<String, String> env) throws Exception {
        Path config = tmp.resolve("sensorcast.conf");
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort(); // free a moment ago
        }
        Files.writeString(config, "http.bind = 127.0.0.1\nhttp.port = " + port + "\n\n[device.demo]\ntype = sim\n");
        ProcessBuilder pb = new ProcessBuilder(List.of("sh", REPO.resolve("deploy/sensorcast-service").toString(),
                "-Xmx64m", "-XX:+UseSerialGC", "-jar", REPO.resolve("target/sensorcast.jar").toString(),
                "--config", config.toString()))
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .redirectInput(new File("/dev/null"));
        pb.environment().put("SENSORCAST_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        pb.environment().put("CACHE_DIRECTORY", tmp.toString());
        pb.environment().keySet().removeAll(List.of("NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"));
        pb.environment().putAll(env);
        Process p = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(out, StandardCharsets.UTF_8).contains("listening on")) {
            assertTrue(p.isAlive(), "the server stopped:\n" + Files.readString(out, StandardCharsets.UTF_8));
            assertTrue(System.nanoTime() < deadline, "no 'listening on' within 60 s");
            Thread.sleep(20);
        }
        return p;
    }

    /** SIGTERM, as systemctl stop sends it; the JVM writes the archive as it exits. */
    private static void stop(Process p) throws Exception {
        p.destroy();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
        assertEquals(0, p.exitValue(), "a clean stop");
    }

    @Test
    void theFirstRunWritesTheArchiveAndTheNextOneStartsFromIt() throws Exception {
        Path archive = tmp.resolve("sensorcast.jsa");
        Path written = tmp.resolve("sensorcast.jsa.new");
        Process first = start(tmp.resolve("first.log"));
        try {
            assertFalse(Files.exists(written), "written at exit, not before");
        } finally {
            stop(first);
        }
        assertTrue(Files.size(written) > 0, "archive written:\n" + Files.readString(tmp.resolve("first.log")));

        Process second = start(tmp.resolve("second.log"));
        try {
            // The script exec'd java: the process is the JVM, and the archive is in its memory map.
            String maps = Files.readString(Path.of("/proc", Long.toString(second.pid()), "maps"), StandardCharsets.UTF_8);
            assertTrue(maps.contains(archive.toString()), "the JVM mapped " + archive);
        } finally {
            stop(second);
        }
        String log = Files.readString(tmp.resolve("second.log"), StandardCharsets.UTF_8);
        assertFalse(log.contains("[warning][cds"), "the JVM took the archive without a complaint:\n" + log);
    }

    /**
     * Type=notify with NotifyAccess=main, as the unit has it: the packaged jar (JNA and its native
     * stub inside) tells systemd READY=1 and pings its watchdog from the PID systemd started,
     * which the script's exec made the JVM. systemd would ignore them from any other PID.
     */
    @Test
    void theJvmTheScriptBecomesNotifiesSystemdFromTheMainPid() throws Exception {
        String name = "@sensorcast-service-it-" + ProcessHandle.current().pid();
        try (NotifySocket systemd = NotifySocket.bind(name)) {
            Process p = start(tmp.resolve("notify.log"), Map.of("NOTIFY_SOCKET", name, "WATCHDOG_USEC", "1000000"));
            try {
                systemd.awaitContaining("READY=1", 30_000);
                assertEquals(p.pid(), systemd.lastSender(), "READY=1 from the main PID");
                systemd.awaitContaining("WATCHDOG=1", 5000);
                assertEquals(p.pid(), systemd.lastSender(), "WATCHDOG=1 from the main PID");
            } finally {
                stop(p);
            }
            systemd.awaitContaining("STOPPING=1", 5000);
        }
    }
}

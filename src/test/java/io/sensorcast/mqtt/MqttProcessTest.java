package io.sensorcast.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.testing.Requires;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The server as a process (java -Xmx64m -XX:+UseSerialGC ... Main): SIGKILL leaves the will to the broker. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MqttProcessTest {

    @TempDir
    Path dir;

    @Test
    void theBrokerSaysOfflineWhenTheServerIsKilled() throws Exception {
        Requires.component(Mosquitto.installed(), Mosquitto.INSTALL);
        Path brokerDir = Files.createDirectory(dir.resolve("broker"));
        try (Mosquitto broker = Mosquitto.start(brokerDir)) {
            Path config = dir.resolve("sensorcast.conf");
            Files.writeString(config, "server.name = killed\nmqtt.broker = mqtt://127.0.0.1:" + broker.port + "\n");
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    "io.sensorcast.cli.Main", "--bind", "127.0.0.1", "--port", Integer.toString(Mosquitto.freePort()),
                    "--config", config.toString())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(dir.resolve("stdout.txt").toFile())
                    .redirectErrorStream(true)
                    .start();
            try (Mosquitto.Subscriber sub = broker.subscribe("sensorcast/killed/status", 2, 30)) {
                assertEquals("sensorcast/killed/status online", sub.next(), () -> log(dir));
                p.destroyForcibly(); // SIGKILL: no DISCONNECT, no offline of its own
                assertTrue(p.waitFor(10, TimeUnit.SECONDS));
                assertEquals(137, p.exitValue());
                assertEquals(List.of("sensorcast/killed/status offline"), sub.rest(), "the will");
            } finally {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private static String log(Path dir) {
        try {
            return Files.readString(dir.resolve("stdout.txt"));
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}

package io.sensorcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.sensorcast.sensor.sysfs.Fixtures;
import io.sensorcast.testing.Json;
import io.sensorcast.testing.RawHttp;
import io.sensorcast.testing.TestSensors;
import io.sensorcast.testing.TestServer;
import io.sensorcast.testing.WsTestClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The board's model, from the procfs root the server is given, in the monitor's hello and in /healthz. */
class BoardInHelloTest {

    @TempDir
    Path empty;

    private static TestServer start(Path procfs, Path sysfs) throws Exception {
        return TestServer.start(TestServer.settings().procfsRoot(procfs).sysfsRoot(sysfs).build(),
                List.of(TestSensors.constant("probe.value", "Probe", "", 1, Duration.ofSeconds(1))));
    }

    @Test
    void aPi5sHelloAndHealthzSayItsModel() throws Exception {
        try (TestServer server = start(Fixtures.tree("procfs/pi5"), empty);
                WsTestClient ws = WsTestClient.connect(server.port(), "/ws")) {
            Map<String, Object> hello = Json.object(ws.readText());
            assertEquals("hello", hello.get("type"));
            assertEquals("Raspberry Pi 5 Model B Rev 1.0", hello.get("board"));
            assertEquals("Raspberry Pi 5 Model B Rev 1.0", Json.object(RawHttp.get(server.port(), "/healthz").text()).get("board"));
        }
    }

    @Test
    void aMachineThatDoesNotSayHasNoBoardField() throws Exception {
        try (TestServer server = start(empty, empty); WsTestClient ws = WsTestClient.connect(server.port(), "/ws")) {
            Map<String, Object> hello = Json.object(ws.readText());
            assertEquals("hello", hello.get("type"));
            assertFalse(hello.containsKey("board"), hello.toString());
            assertFalse(Json.object(RawHttp.get(server.port(), "/healthz").text()).containsKey("board"));
        }
    }
}

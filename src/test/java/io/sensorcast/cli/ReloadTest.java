package io.sensorcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.config.Settings;
import io.sensorcast.sensor.Device;
import io.sensorcast.sensor.SensorSet;
import io.sensorcast.sensor.SensorThread;
import io.sensorcast.testing.Json;
import io.sensorcast.testing.Ports;
import io.sensorcast.testing.TestSensors;
import io.sensorcast.testing.TestServer;
import io.sensorcast.testing.WsTestClient;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Service.reload: a new configuration applies while monitors stay connected. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReloadTest {

    private static Map<String, Object> nextOfType(WsTestClient ws, String type, String channel) throws Exception {
        for (int i = 0; i < 20_000; i++) {
            Map<String, Object> m = Json.object(ws.readText());
            if (type.equals(m.get("type")) && (channel == null || channel.equals(m.get("channel")))) {
                return m;
            }
        }
        throw new AssertionError("no " + type + " " + channel);
    }


    @SuppressWarnings("unchecked")
    private static List<String> ids(Map<String, Object> channelsMessage) {
        return ((List<Map<String, Object>>) channelsMessage.get("channels")).stream().map(c -> (String) c.get("id")).toList();
    }

    @Test
    void devicesAddedAndRemovedAndANewPortApplyWithoutDroppingTheMonitor() throws Exception {
        Settings first = TestServer.settings().build();
        try (TestServer server = TestServer.startDevices(first, List.of(
                Device.of(TestSensors.sine("a", "A", "", 50)), Device.of(TestSensors.sine("old", "Old", "", 50))));
                WsTestClient ws = WsTestClient.connect(server.port(), "/ws")) {
            long seqBefore = ((Number) nextOfType(ws, "sample", "a.sine").get("seq")).longValue();

            int newPort = Ports.freeLoopbackPort();
            Settings second = first.toBuilder().port(newPort).build();
            server.service().reload(second, List.of(
                    Device.of(TestSensors.sine("a", "A", "", 50)), Device.of(TestSensors.sine("b", "B", "", 50))), List.of());

            Map<String, Object> list = nextOfType(ws, "channels", null);
            assertEquals(List.of("a.sine", "b.sine"), ids(list), "the monitor is told the new channel list");
            nextOfType(ws, "sample", "b.sine"); // it watched everything: it watches the new channel too
            long seqAfter = ((Number) nextOfType(ws, "sample", "a.sine").get("seq")).longValue();
            assertTrue(seqAfter > seqBefore, "a.sine's seq goes on after the restart: " + seqBefore + " then " + seqAfter);

            assertEquals(newPort, server.service().address().getPort());
            try (WsTestClient fresh = WsTestClient.connect(newPort, "/ws")) {
                assertEquals("hello", Json.object(fresh.readText()).get("type"), "the new port serves");
            }
            assertThrows(ConnectException.class, () -> new Socket().connect(new InetSocketAddress("127.0.0.1", server.port()), 2000),
                    "the old port is closed");
            for (int i = 0; i < 100; i++) {
                assertNotEquals("old.sine", nextOfType(ws, "sample", null).get("channel"), "the removed device is gone");
            }
        }
    }

    @Test
    void aMonitorArrivingAfterTheOldDevicesStoppedStartsNoneOfThem() throws Exception {
        Device probe = new Device("probe", List.of(TestSensors.constant("probe.value", "Probe", "", 1,
                Duration.ofMillis(20))), Duration.ofSeconds(5), true, Duration.ofSeconds(30));
        try (TestServer server = TestServer.startDevices(TestServer.settings().build(), List.of(probe))) {
            SensorSet old = server.service().sensors();
            old.stop(Duration.ofSeconds(1)); // a reload's stop; the next set has not registered yet
            try (WsTestClient ws = WsTestClient.connect(server.port(), "/ws")) {
                assertEquals("hello", Json.object(ws.readText()).get("type")); // it watches everything now
                server.onLoop(() -> null); // its demand reached the stopped set, if it reached anything
                SensorThread t = old.threads().get(0);
                assertFalse(t.isAlive(), "the stopped set started a thread that nothing would stop");
            }
        }
    }

    @Test
    void aPortThatCannotBeBoundRefusesTheWholeReload() throws Exception {
        Settings first = TestServer.settings().build();
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                TestServer server = TestServer.startDevices(first, List.of(Device.of(TestSensors.sine("a", "A", "", 20))));
                WsTestClient ws = WsTestClient.connect(server.port(), "/ws")) {
            Settings bad = first.toBuilder().port(taken.getLocalPort()).build();
            IOException e = assertThrows(IOException.class, () -> server.service().reload(bad,
                    List.of(Device.of(TestSensors.sine("z", "Z", "", 20))), List.of()));
            assertTrue(e.getMessage().startsWith("cannot listen on 127.0.0.1:" + taken.getLocalPort()), e.getMessage());
            assertEquals(server.port(), server.service().address().getPort());
            nextOfType(ws, "sample", "a.sine"); // the old devices run on, the monitor is still served
            assertFalse(server.service().sensors().threads().stream().anyMatch(t -> t.sensor().id().equals("z")));
        }
    }
}

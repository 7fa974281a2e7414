package io.sensorcast.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.testing.Json;
import io.sensorcast.testing.TestSensors;
import io.sensorcast.testing.TestServer;
import io.sensorcast.testing.WsTestClient;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The monitor protocol's subscribe command: a monitor watches all channels until it asks for fewer. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SubscribeTest {

    private static Map<String, Object> next(WsTestClient ws) throws Exception {
        return Json.object(ws.readText());
    }

    private static Map<String, Object> nextOfType(WsTestClient ws, String type) throws Exception {
        for (int i = 0; i < 10_000; i++) {
            Map<String, Object> m = next(ws);
            if (type.equals(m.get("type"))) {
                return m;
            }
        }
        throw new AssertionError("no " + type);
    }

    @Test
    void aMonitorWatchesEveryChannelUntilItSubscribesToSomeThenOnlyThose() throws Exception {
        try (TestServer server = TestServer.start(List.of(
                TestSensors.sine("a", "A", "", 50), TestSensors.sine("b", "B", "", 50)));
                WsTestClient ws = WsTestClient.connect(server.port(), "/ws")) {
            assertEquals("hello", next(ws).get("type"));
            Set<Object> seen = new HashSet<>();
            for (int i = 0; i < 200 && seen.size() < 2; i++) {
                seen.add(nextOfType(ws, "sample").get("channel"));
            }
            assertEquals(Set.of("a.sine", "b.sine"), seen, "by default: every channel");

            ws.sendText("{\"type\":\"subscribe\",\"channels\":[\"b.sine\"]}");
            assertEquals(Map.of("type", "subscribed", "channels", List.of("b.sine")), nextOfType(ws, "subscribed"));
            for (int i = 0; i < 50; i++) {
                assertEquals("b.sine", nextOfType(ws, "sample").get("channel"), "after subscribing to b only");
            }

            ws.sendText("{\"type\":\"subscribe\",\"channels\":\"*\"}");
            assertEquals(List.of("a.sine", "b.sine"), nextOfType(ws, "subscribed").get("channels"));
        }
    }

    @Test
    void unknownChannelsAndBadCommandsGetAnErrorAndTheStreamGoesOn() throws Exception {
        try (TestServer server = TestServer.start(List.of(TestSensors.sine("a", "A", "", 50)));
                WsTestClient ws = WsTestClient.connect(server.port(), "/ws")) {
            next(ws);
            ws.sendText("{\"type\":\"subscribe\",\"channels\":[\"a.sine\",\"nope\"]}");
            Map<String, Object> error = nextOfType(ws, "error");
            assertEquals("unknown channel nope; subscribed to the others", error.get("message"));
            assertEquals(List.of("a.sine"), nextOfType(ws, "subscribed").get("channels"));

            ws.sendText("{\"type\":\"subscribe\",");
            assertTrue(((String) nextOfType(ws, "error").get("message")).startsWith("invalid JSON at character "));
            ws.sendText("{\"type\":\"reboot\"}");
            assertEquals("unknown command type 'reboot'; known: subscribe", nextOfType(ws, "error").get("message"));
            ws.sendText("[1,2]");
            assertEquals("a command is a JSON object with a \"type\"", nextOfType(ws, "error").get("message"));
            assertEquals("a.sine", nextOfType(ws, "sample").get("channel"), "samples keep coming");
        }
    }

    @Test
    void subscribingToNothingStopsSamplesButNotTheConnection() throws Exception {
        try (TestServer server = TestServer.start(List.of(TestSensors.sine("a", "A", "", 100)));
                WsTestClient ws = WsTestClient.connect(server.port(), "/ws")) {
            next(ws);
            ws.sendText("{\"type\":\"subscribe\",\"channels\":[]}");
            assertEquals(List.of(), nextOfType(ws, "subscribed").get("channels"));
            ws.setReadTimeout(500);
            // The answer is queued after the subscription took effect: nothing follows it.
            int after = 0;
            try {
                while (after < 100) {
                    next(ws);
                    after++;
                }
            } catch (java.net.SocketTimeoutException expected) {
                // no more samples: what the subscription asked for
            }
            assertEquals(0, after, "messages after subscribing to nothing");
            ws.setReadTimeout(5000);
            ws.sendText("{\"type\":\"subscribe\"}");
            assertEquals("a.sine", nextOfType(ws, "sample").get("channel"), "no list: every channel again");
        }
    }

    @Test
    void aMonitorThatAsksForBatchesGetsAMomentsSamplesInOneMessageAndNoneLost() throws Exception {
        // Two sensors on a common grid (10 ms): their samples of one moment reach the loop together.
        try (TestServer server = TestServer.start(List.of(
                TestSensors.sine("a", "A", "", 100), TestSensors.sine("b", "B", "", 100)));
                WsTestClient ws = WsTestClient.connect(server.port(), "/ws")) {
            next(ws);
            ws.sendText("{\"type\":\"subscribe\",\"channels\":\"*\",\"batch\":true}");
            Map<String, Object> ok = nextOfType(ws, "subscribed");
            assertEquals(true, ok.get("batch"));
            Map<String, Long> lastSeq = new java.util.HashMap<>();
            int batches = 0;
            int samples = 0;
            for (int i = 0; i < 2000 && batches < 20; i++) {
                Map<String, Object> m = next(ws);
                @SuppressWarnings("unchecked")
                List<Object> list = "samples".equals(m.get("type")) ? (List<Object>) m.get("samples")
                        : "sample".equals(m.get("type")) ? List.of(m) : List.of();
                if ("samples".equals(m.get("type"))) {
                    batches++;
                    assertTrue(list.size() >= 2, "a batch is of two samples or more: " + m);
                }
                for (Object o : list) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> s = (Map<String, Object>) o;
                    assertEquals("sample", s.get("type"), "each as a sample message: " + s);
                    long seq = ((Number) s.get("seq")).longValue();
                    Long last = lastSeq.put((String) s.get("channel"), seq);
                    if (last != null) {
                        assertEquals(last + 1, seq, "no sample lost or reordered in " + s.get("channel"));
                    }
                    samples++;
                }
            }
            assertEquals(20, batches, "batches among " + samples + " samples");

            ws.sendText("{\"type\":\"subscribe\",\"channels\":\"*\"}");
            assertEquals(null, nextOfType(ws, "subscribed").get("batch"), "each subscribe says it again: off");
            int singlesInARow = 0;
            for (int i = 0; i < 200 && singlesInARow < 20; i++) {
                // A batch may still be on the way, written before the answer; then single messages only.
                singlesInARow = "samples".equals(next(ws).get("type")) ? 0 : singlesInARow + 1;
            }
            assertEquals(20, singlesInARow, "single sample messages once batch is off");
            ws.sendText("{\"type\":\"subscribe\",\"batch\":\"yes\"}");
            assertEquals("\"batch\" is true or false", nextOfType(ws, "error").get("message"));
        }
    }
}

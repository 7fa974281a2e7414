package io.sensorcast.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.testing.Json;
import io.sensorcast.testing.TestServer;
import io.sensorcast.testing.TestSensors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** /ws end to end with the JDK's own WebSocket client: hello, then the live samples of a channel. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class MonitorStreamJdkClientTest {

    /** "t": epoch milliseconds with a three-digit microsecond fraction, e.g. 1732500000123.456. */
    private static final Pattern EPOCH_MILLIS_MICROS = Pattern.compile("\"t\":(\\d{13}\\.\\d{3}),");

    @Test
    void helloDescribesDeviceAndEveryChannel() throws Exception {
        try (TestServer server = TestServer.start(List.of(
                        TestSensors.sine("greenhouse", "Greenhouse temperature", "°C", 20),
                        TestSensors.constant("door.open", "Door", "", 1, Duration.ofMillis(100))));
                JdkWebSocketClient client = new JdkWebSocketClient(server.port(), "/ws")) {

            String first = client.nextText(5000);
            assertNotNull(first, "no hello within 5 s");
            Map<String, Object> hello = Json.object(first);
            assertEquals("hello", hello.get("type"));
            assertEquals("sensorcast", hello.get("server"));
            assertTrue(hello.get("version") instanceof String v && !v.isBlank(), "version: " + hello);
            assertEquals("test-device", hello.get("device"));

            @SuppressWarnings("unchecked")
            List<Map<String, Object>> channels = (List<Map<String, Object>>) hello.get("channels");
            assertEquals(2, channels.size(), first);
            assertEquals("greenhouse.sine", channels.get(0).get("id"));
            assertEquals("Greenhouse temperature", channels.get(0).get("name"));
            assertEquals("°C", channels.get(0).get("unit"), "a non-ASCII unit survives UTF-8 and JSON");
            assertEquals("door.open", channels.get(1).get("id"));
            assertEquals("Door", channels.get(1).get("name"));
            assertEquals("", channels.get(1).get("unit"));
        }
    }

    @Test
    void samplesOfSimulatedChannelFollowTheHelloWithSeqIncreasingByOne() throws Exception {
        try (TestServer server = TestServer.start(List.of(TestSensors.sine("sim", "Sine", "", 40)));
                JdkWebSocketClient client = new JdkWebSocketClient(server.port(), "/ws")) {

            assertEquals("hello", Json.object(client.nextText(5000)).get("type"));

            List<String> raw = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String text = client.nextText(5000);
                assertNotNull(text, "sample " + i + " did not arrive within 5 s");
                raw.add(text);
            }
            long before = System.currentTimeMillis();
            long previousSeq = -1;
            for (String text : raw) {
                // e.g. {"type":"sample","channel":"sim.sine","seq":12,"t":1732500000123.456,"v":20.7}
                Map<String, Object> m = Json.object(text);
                assertEquals(List.of("type", "channel", "seq", "t", "v"), List.copyOf(m.keySet()), text);
                assertEquals("sample", m.get("type"));
                assertEquals("sim.sine", m.get("channel"));
                long seq = ((Double) m.get("seq")).longValue();
                assertTrue(seq >= 1, text);
                if (previousSeq >= 0) {
                    assertEquals(previousSeq + 1, seq, "seq must increase by one: " + raw);
                }
                previousSeq = seq;

                var t = EPOCH_MILLIS_MICROS.matcher(text);
                assertTrue(t.find(), "t is epoch ms with a µs fraction: " + text);
                double millis = Double.parseDouble(t.group(1));
                assertTrue(Math.abs(before - millis) < 60_000, "t is wall-clock time now: " + text);

                double v = (Double) m.get("v");
                assertTrue(v >= 15 && v <= 25, "the sine is 20 ± 5: " + text);
            }
            client.socket().sendClose(1000, "done").get(5, TimeUnit.SECONDS);
            assertEquals(1000, client.closed().get(5, TimeUnit.SECONDS).code(), "the server echoes the close");
        }
    }
}

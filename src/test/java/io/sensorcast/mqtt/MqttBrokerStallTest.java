package io.sensorcast.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.config.Settings;
import io.sensorcast.loop.Connection;
import io.sensorcast.testing.MultiMonitorReader;
import io.sensorcast.testing.RawHttp;
import io.sensorcast.testing.Requires;
import io.sensorcast.testing.TestSensors;
import io.sensorcast.testing.TestServer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker frozen with SIGSTOP for 30 s while 100 /ws monitors watch: every monitor keeps getting
 * every sample, in order, during the stall as before and after it, and none is closed; the MQTT
 * connection's queue stays within ws.outbound_cap (older states replaced by newer ones, counted in
 * sensorcast_mqtt_replaced_total and not as lost in sensorcast_mqtt_dropped_total) and the heap
 * within -Xmx; after SIGCONT new states reach another client (mosquitto_sub). mqtt.keepalive stays at its 60 s, so the client keeps its connection
 * through the stall; the broker restart test covers reconnecting.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class MqttBrokerStallTest {

    private static final int MONITORS = 100;
    private static final int RATE = 50; // samples per second of the one channel
    private static final int FLOOD_RATE = 1000;
    private static final int CAP = 64 * 1024;
    private static final Duration STALL = Duration.ofSeconds(30);
    private static final String CHANNEL = "stall.sine";
    /**
     * A long mqtt.topic_prefix makes each state about a kilobyte: the kernel's socket buffers to the
     * frozen broker (several MiB on loopback) fill within the first seconds of the stall, and for the
     * rest of it the client's own queue is what is tried.
     */
    private static final String PREFIX = "sensorcast/" + "stalled-broker-".repeat(40) + "device";
    private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");
    private static final Pattern DROPPED = Pattern.compile("\nsensorcast_mqtt_dropped_total (\\d+)\n");
    private static final Pattern REPLACED = Pattern.compile("\nsensorcast_mqtt_replaced_total (\\d+)\n");

    @TempDir
    Path dir;

    /** Per monitor: its first seq, the next one expected and the samples seen, on the reader thread. */
    private final long[] first = new long[MONITORS];
    private final long[] next = new long[MONITORS];
    private final long[] samples = new long[MONITORS];
    private final AtomicLong problems = new AtomicLong();
    private final List<String> firstProblems = Collections.synchronizedList(new ArrayList<>());

    @Test
    void aBrokerFrozenForThirtySecondsCostsTheMonitorsNothing() throws Exception {
        Requires.component(Mosquitto.installed(), Mosquitto.INSTALL);
        try (Mosquitto broker = Mosquitto.startInRange(dir, 18500, 18599)) {
            Settings s = TestServer.settings()
                    .outboundCapBytes(CAP)
                    .pingInterval(Duration.ofMinutes(10)) // MultiMonitorReader does not answer pings
                    .mqttBroker("mqtt://127.0.0.1:" + broker.port)
                    .mqttPublishInterval(Duration.ZERO) // every sample a state: the most the broker can miss
                    .mqttTopicPrefix(PREFIX)
                    .build();
            // The monitors watch one channel at 50/s; a second one at 1,000/s goes only to MQTT, so that
            // the kernel's socket buffers to the frozen broker fill and the client's own queue is tried.
            TestServer server = TestServer.start(s, List.of(TestSensors.sine("stall", "Stall", "V", RATE),
                    TestSensors.sine("flood", "Flood", "V", FLOOD_RATE)));
            MultiMonitorReader reader = null;
            try {
                try (Mosquitto.Subscriber sub = broker.subscribe(PREFIX + "/" + CHANNEL + "/state", 1, 10)) {
                    assertTrue(sub.next() != null, "states reach the broker before the stall");
                }
                reader = MultiMonitorReader.connect(server.port(), "/ws", MONITORS,
                        "{\"type\":\"subscribe\",\"channels\":[\"" + CHANNEL + "\"]}", this::onFrame);
                assertTrue(reader.awaitFrames(1 + RATE, 20_000), "every monitor got its first second of samples");
                long droppedBefore = metric(server, DROPPED);
                long replacedBefore = metric(server, REPLACED);

                MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
                long heapMax = memory.getHeapMemoryUsage().getMax();
                long maxQueued = 0;
                long maxHeap = 0;
                long queuedAtEnd = 0;
                broker.pause();
                long stallStart = System.nanoTime();
                for (int i = 0; i < 200 && System.nanoTime() - stallStart < STALL.toNanos(); i++) {
                    // Every monitor gets the next quarter second of samples, whatever the MQTT side does.
                    long target = reader.minFrames() + RATE / 4;
                    assertTrue(reader.awaitFrames(target, 10_000), () -> "during the stall, a monitor stopped getting samples: "
                            + problems.get() + " problems " + firstProblems);
                    long queued = server.onLoop(() -> {
                        MqttClient client = server.service().mqttClient();
                        Connection c = client == null ? null : client.connection();
                        return c == null ? 0L : c.queuedBytes();
                    });
                    maxQueued = Math.max(maxQueued, queued);
                    queuedAtEnd = queued;
                    maxHeap = Math.max(maxHeap, memory.getHeapMemoryUsage().getUsed());
                    Thread.sleep(250);
                }
                long droppedDuring = metric(server, DROPPED) - droppedBefore;
                long replacedDuring = metric(server, REPLACED) - replacedBefore;
                long seqAtResume = next[0] - 1;
                broker.resume();
                System.out.println("stall: max MQTT queue " + maxQueued + " bytes, at the end " + queuedAtEnd
                        + ", replaced " + replacedDuring + ", dropped " + droppedDuring + ", max heap " + (maxHeap >> 20) + " of " + (heapMax >> 20) + " MiB");

                // After SIGCONT: a state newer than the stall reaches another client.
                boolean fresh = false;
                // The broker first works through what the kernel kept for it during the stall: older states.
                try (Mosquitto.Subscriber sub = broker.subscribe(PREFIX + "/" + CHANNEL + "/attributes", 1_000_000, 40)) {
                    for (String line; !fresh && (line = sub.next()) != null; ) {
                        Matcher m = SEQ.matcher(line);
                        fresh = m.find() && Long.parseLong(m.group(1)) > seqAtResume;
                    }
                }
                assertTrue(fresh, "after SIGCONT, states newer than seq " + seqAtResume + " reach mosquitto_sub");
                assertTrue(reader.awaitFrames(reader.minFrames() + RATE, 10_000), "and the monitors still get samples");

                assertTrue(maxQueued <= CAP, "the MQTT queue stayed within ws.outbound_cap: " + maxQueued + " bytes");
                // The kernel's buffers were full and the client's queue held the newest states (else the
                // bound above would say nothing), newer ones replacing older ones: counted as replaced,
                // not as lost (every publish here is a state, and the broker gets the newest of each).
                assertTrue(queuedAtEnd > 0, "at the end of the stall, states wait in the client's queue");
                assertTrue(replacedDuring > 0, "sensorcast_mqtt_replaced_total grew during the stall");
                assertEquals(0, droppedDuring, "a replaced state is not counted in sensorcast_mqtt_dropped_total");
                assertTrue(maxHeap < heapMax, "the heap stayed under -Xmx");
            } finally {
                if (reader != null) {
                    reader.close();
                }
                server.close();
            }
            assertNull(reader.failure(), "the monitors' reader failed");
            for (int m = 0; m < MONITORS; m++) {
                assertFalse(reader.isClosed(m), "monitor " + m + " was closed by the server");
                assertEquals(0, reader.closeCode(m), "monitor " + m + " got a close frame");
            }
            assertEquals(List.of(), firstProblems, problems.get() + " problems; the first ones");
            for (int m = 0; m < MONITORS; m++) {
                assertTrue(samples[m] > 0 && samples[m] == next[m] - first[m], "monitor " + m + ": every seq once");
            }
        }
    }

    /** Reader thread: each monitor's samples of the channel must count up by one, from its first. */
    private void onFrame(int m, int opcode, byte[] b, int off, int len) {
        String text = new String(b, off, len, StandardCharsets.UTF_8);
        String problem = null;
        if (opcode != 1) {
            problem = "monitor " + m + ": opcode " + opcode;
        } else if (text.startsWith("{\"type\":\"sample\"") && !text.contains("\"channel\":\"" + CHANNEL + "\"")) {
            // another channel's sample, sent before the subscribe was read: not this test's business
        } else if (text.startsWith("{\"type\":\"sample\"")) {
            Matcher seq = SEQ.matcher(text);
            if (!seq.find()) {
                problem = "monitor " + m + ": a sample without seq: " + text;
            } else {
                long n = Long.parseLong(seq.group(1));
                if (samples[m] == 0) {
                    first[m] = n;
                } else if (n != next[m]) {
                    problem = "monitor " + m + ": expected seq " + next[m] + ", got " + n;
                }
                next[m] = n + 1;
                samples[m]++;
            }
        } else if (text.startsWith("{\"type\":\"dropped\"")) {
            problem = "monitor " + m + " was told of drops: " + text;
        }
        if (problem != null && problems.incrementAndGet() <= 10) {
            firstProblems.add(problem);
        }
    }

    private static long metric(TestServer server, Pattern family) throws Exception {
        String text = new String(RawHttp.get(server.port(), "/metrics").body(), StandardCharsets.UTF_8);
        Matcher m = family.matcher(text);
        assertTrue(m.find(), family + " in /metrics");
        return Long.parseLong(m.group(1));
    }
}

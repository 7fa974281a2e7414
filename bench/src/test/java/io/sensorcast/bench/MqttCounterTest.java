package io.sensorcast.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The MQTT cell's count of mosquitto_sub's lines: by the time each reached the subscriber. */
class MqttCounterTest {

    @Test
    void countsTheMessagesThatReachedTheSubscriberInTheWindowAndTheirLatency() throws Exception {
        MqttBroker.Counter c = new MqttBroker.Counter(1_000_000, 1_000_002); // ms since the epoch
        c.line("999.999000000 sensorcast/bench/bench.sine/state 1"); // before the window
        c.line("1000.000500000 sensorcast/bench/bench.sine/state 1.5");
        c.line("1000.001000000 sensorcast/bench/bench.sine/attributes {\"t\":1000000.25,\"seq\":7,\"state\":\"ok\"}");
        c.line("1000.002000000 sensorcast/bench/bench.sine/state 2"); // at the window's end: after it
        assertEquals(2, c.inWindow());
        assertEquals(1, c.statesInWindow());
        assertEquals(4, c.total());
        Histogram h = c.latency();
        assertEquals(1, h.getTotalCount());
        // Sample t 1,000,000.25 ms, arrived at 1,000,001.0 ms: 750 µs (the histogram keeps 3 digits).
        assertEquals(750, h.getMaxValue(), 1);
    }

    @Test
    void theSampleTimeIsReadFromTheAttributes() {
        assertEquals(1796683087827.5, MqttBroker.Counter.sampleMillis("{\"t\":1796683087827.5,\"seq\":1}"));
        assertEquals(0, MqttBroker.Counter.sampleMillis("{\"state\":\"ok\"}"));
    }
}

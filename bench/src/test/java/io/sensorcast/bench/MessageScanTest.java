package io.sensorcast.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MessageScanTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aSampleFrameGivesItsChannelSeqAndTimeInMicroseconds() {
        byte[] m = b("{\"type\":\"sample\",\"channel\":\"bench.value\",\"seq\":42,\"t\":1732500000123.456,\"v\":48.3}");
        assertEquals(MessageScan.Kind.SAMPLE, MessageScan.kind(m, 0, m.length));
        assertEquals(42, MessageScan.seq(m, 0, m.length));
        assertEquals(1_732_500_000_123_456L, MessageScan.timeMicros(m, 0, m.length));
        int start = MessageScan.channelStart(m, 0, m.length);
        int end = MessageScan.channelEnd(m, start, m.length);
        assertEquals("bench.value", new String(m, start, end - start, StandardCharsets.UTF_8));
    }

    @Test
    void timeWithFewerOrMoreDecimalsIsReadToTheMicrosecond() {
        byte[] one = b("{\"t\":1000.4}");
        assertEquals(1_000_400, MessageScan.timeMicros(one, 0, one.length));
        byte[] none = b("{\"t\":1000,\"v\":1}");
        assertEquals(1_000_000, MessageScan.timeMicros(none, 0, none.length));
        byte[] many = b("{\"t\":1000.123999}");
        assertEquals(1_000_123, MessageScan.timeMicros(many, 0, many.length));
    }

    @Test
    void scanningStaysInsideTheGivenRange() {
        byte[] m = b("xx{\"type\":\"sample\",\"seq\":7}{\"seq\":9}");
        int to = m.length - "{\"seq\":9}".length();
        assertEquals(7, MessageScan.seq(m, 2, to));
        assertEquals(-1, MessageScan.seq(m, to - 3, to));
    }

    @Test
    void droppedStatusAndOtherMessagesAreToldApart() {
        byte[] dropped = b("{\"type\":\"dropped\",\"count\":12,\"total\":40}");
        assertEquals(MessageScan.Kind.DROPPED, MessageScan.kind(dropped, 0, dropped.length));
        assertEquals(12, MessageScan.count(dropped, 0, dropped.length));

        byte[] error = b("{\"type\":\"status\",\"channel\":\"flaky.value\",\"state\":\"error\",\"message\":\"no such file\"}");
        assertEquals(MessageScan.Kind.STATUS, MessageScan.kind(error, 0, error.length));
        assertTrue(MessageScan.isErrorState(error, 0, error.length));
        byte[] ok = b("{\"type\":\"status\",\"channel\":\"flaky.value\",\"state\":\"ok\"}");
        assertFalse(MessageScan.isErrorState(ok, 0, ok.length));

        byte[] hello = b("{\"type\":\"hello\",\"channels\":[{\"id\":\"a\",\"latest\":{\"seq\":41}}]}");
        assertEquals(MessageScan.Kind.OTHER, MessageScan.kind(hello, 0, hello.length));
    }

    @Test
    void theProducersJsonIsSensorcastsSampleFormat() {
        String json = SampleProducer.json(42, java.time.Instant.ofEpochSecond(1_732_500_000L, 4_000), 48.3);
        assertEquals("{\"type\":\"sample\",\"channel\":\"bench.value\",\"seq\":42,\"t\":1732500000000.004,\"v\":48.3}", json);
    }
}

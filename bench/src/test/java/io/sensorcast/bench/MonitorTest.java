package io.sensorcast.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MonitorTest {

    private final Monitor monitor = new Monitor(null, Long.MAX_VALUE);

    private long advance(String channel, long seq) {
        byte[] b = ("__" + channel + "__").getBytes(StandardCharsets.US_ASCII);
        return monitor.advance(b, 2, 2 + channel.length(), seq);
    }

    @Test
    void theFirstSeqOfAChannelIsTheBaseAndGapsAfterItAreCounted() {
        assertEquals(0, advance("a", 100));
        assertEquals(0, advance("a", 101));
        assertEquals(3, advance("a", 105));
    }

    @Test
    void channelsAreCountedApartAndAnOldSeqIsNotNewer() {
        assertEquals(0, advance("a", 1));
        assertEquals(0, advance("b", 50));
        assertEquals(0, advance("a", 2));
        assertEquals(1, advance("b", 52));
        assertEquals(-1, advance("a", 2));
    }
}

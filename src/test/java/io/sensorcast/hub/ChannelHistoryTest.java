package io.sensorcast.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.testing.Json;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The raw ring, the minute aggregates and the columnar answers built from them. */
class ChannelHistoryTest {

    private static final long T0 = 1_732_500_000_000_000L; // epoch µs on a minute boundary
    private static final long MINUTE = 60_000_000L;

    private static Map<String, Object> raw(ChannelHistory h, long after, int points) {
        StringBuilder sb = new StringBuilder("{");
        h.writeRaw(sb, after, points);
        return Json.object(sb.append('}').toString());
    }

    private static Map<String, Object> minutes(ChannelHistory h, long after, int points) {
        StringBuilder sb = new StringBuilder("{");
        h.writeMinutes(sb, after, points);
        return Json.object(sb.append('}').toString());
    }

    @SuppressWarnings("unchecked")
    private static List<Number> list(Map<String, Object> m, String key) {
        return (List<Number>) m.get(key);
    }

    @Test
    void rawRingKeepsTheNewestPointsOnceFull() {
        ChannelHistory h = new ChannelHistory(3, 10);
        for (int i = 0; i < 5; i++) {
            h.add(T0 + i * 1_000_000L, i);
        }
        Map<String, Object> m = raw(h, Long.MIN_VALUE, 100);
        assertEquals(List.of(2.0, 3.0, 4.0), list(m, "v"));
        assertEquals(3, h.rawSize());
        assertEquals((T0 + 2_000_000.0) / 1000.0, list(m, "t").get(0).doubleValue(), 1e-3);
    }

    @Test
    void sinceReturnsOnlyNewerPoints() {
        ChannelHistory h = new ChannelHistory(100, 10);
        for (int i = 0; i < 10; i++) {
            h.add(T0 + i * 1_000L, i);
        }
        assertEquals(List.of(7.0, 8.0, 9.0), list(raw(h, T0 + 6_000L, 100), "v"), "strictly after since");
    }

    @Test
    void decimationKeepsEachBucketsMinimumAndMaximumInTimeOrder() {
        ChannelHistory h = new ChannelHistory(1000, 10);
        for (int i = 0; i < 1000; i++) {
            h.add(T0 + i * 1_000L, i == 500 ? 99 : i == 700 ? -99 : 0);
        }
        Map<String, Object> m = raw(h, Long.MIN_VALUE, 20);
        List<Number> v = list(m, "v");
        assertTrue(v.size() <= 20, "at most the points asked for: " + v.size());
        assertTrue(v.contains(99.0) && v.contains(-99.0), "spikes survive decimation: " + v);
        List<Number> t = list(m, "t");
        for (int i = 1; i < t.size(); i++) {
            assertTrue(t.get(i).doubleValue() > t.get(i - 1).doubleValue(), "times ascend");
        }
    }

    @Test
    void minutesAggregateMinAvgMaxAndIncludeTheMinuteBeingFilled() {
        ChannelHistory h = new ChannelHistory(100, 10);
        h.add(T0, 1);
        h.add(T0 + 10_000_000L, 3);
        h.add(T0 + MINUTE + 5, 10);
        Map<String, Object> m = minutes(h, Long.MIN_VALUE, 100);
        assertEquals(List.of(T0 / 1000.0, (T0 + MINUTE) / 1000.0), list(m, "t"));
        assertEquals(List.of(1.0, 10.0), list(m, "min"));
        assertEquals(List.of(2.0, 10.0), list(m, "avg"));
        assertEquals(List.of(3.0, 10.0), list(m, "max"));
        assertEquals(List.of(10.0), list(minutes(h, T0 + MINUTE, 100), "avg"),
                "since inside a minute still returns that minute, updated");
    }

    @Test
    void aggregateRingDropsTheOldestMinutes() {
        ChannelHistory h = new ChannelHistory(10, 2);
        for (int i = 0; i < 5; i++) {
            h.add(T0 + i * MINUTE, i);
        }
        // Finished: minutes 2 and 3 (capacity 2); filling: minute 4.
        assertEquals(List.of(2.0, 3.0, 4.0), list(minutes(h, Long.MIN_VALUE, 100), "avg"));
    }

    @Test
    void aClockStepBackDropsTheRawPointsStampedAfterItAndKeepsEveryMinute() {
        ChannelHistory h = new ChannelHistory(10, 10);
        h.add(T0, 1);
        h.add(T0 + 5 * MINUTE, 2);
        assertTrue(h.add(T0 + MINUTE, 3), "the step back finishes the minute that was filling (it may be stored)");
        assertEquals(5 * MINUTE / 60_000_000L + T0 / MINUTE, h.newestMinute());
        assertEquals(List.of(1.0, 3.0), list(raw(h, Long.MIN_VALUE, 100), "v"));
        assertEquals(List.of(1.0, 2.0), list(minutes(h, Long.MIN_VALUE, 100), "avg"),
                "a finished minute is never dropped; samples behind it are raw only");
        assertFalse(h.add(T0 + 5 * MINUTE + 1, 4), "still in a finished minute: raw only");
        h.add(T0 + 6 * MINUTE, 5);
        h.add(T0 + 6 * MINUTE + 1, 7);
        assertEquals(List.of(1.0, 2.0, 6.0), list(minutes(h, Long.MIN_VALUE, 100), "avg"), "minutes again once the clock passed");
    }

    @Test
    void aMinuteKeepsItsCountAndTheHistoryWriterSeesEachFinishedMinuteOnce() {
        ChannelHistory h = new ChannelHistory(100, 10);
        int finished = 0;
        for (int i = 0; i < 90; i++) {
            if (h.add(T0 + i * 1_000_000L, i < 60 ? 1 : 2)) {
                finished++;
                assertEquals(T0 / MINUTE, h.newestMinute());
                assertEquals(60, h.newestCount());
                assertEquals(1f, h.newestAvg());
            }
        }
        assertEquals(1, finished);
    }

    @Test
    void restoredMinutesAndRawHourContinueAsIfNoRestartHappened() {
        ChannelHistory before = new ChannelHistory(200, 10);
        for (int i = 0; i < 150; i++) { // minutes 0 and 1 finished, minute 2 half full at the stop
            before.add(T0 + i * 1_000_000L, i);
        }
        ChannelHistory after = new ChannelHistory(1, 10);
        before.forEachMinute(after::restoreMinute);
        assertFalse(after.restoreMinute((int) (T0 / MINUTE), 0, 0, 0, 1), "a minute read twice is not kept twice");
        after.resizeRaw(200);
        long[] t = before.rawTimes();
        float[] v = before.rawValues();
        for (int i = 0; i < t.length; i++) {
            after.restoreRaw(t[i], v[i]);
        }
        assertEquals(raw(before, Long.MIN_VALUE, 1000), raw(after, Long.MIN_VALUE, 1000));
        assertEquals(minutes(before, Long.MIN_VALUE, 100), minutes(after, Long.MIN_VALUE, 100),
                "the minute that was filling at the stop goes on filling");
        before.add(T0 + 181_000_000L, 0);
        after.add(T0 + 181_000_000L, 0);
        assertEquals(before.newestAvg(), after.newestAvg());
        assertEquals(before.newestCount(), after.newestCount());
    }

    @Test
    void rawCapacityFollowsTheIntervalAndIsCapped() {
        assertEquals(36_001, Hub.rawCapacity(Duration.ofHours(1), Duration.ofMillis(100)));
        assertEquals(3_601, Hub.rawCapacity(Duration.ofHours(1), null));
        assertEquals(Hub.RAW_POINTS_CAP, Hub.rawCapacity(Duration.ofHours(1), Duration.ofMillis(1)));
        assertEquals(10_080, Hub.aggregateCapacity(Duration.ofDays(7)));
    }

    @Test
    void readmeStatesTheMemoryOfTheDefaultsAsComputedHere() throws Exception {
        int aggregate = Hub.aggregateCapacity(Duration.ofDays(7));
        long tenHertz = ChannelHistory.bytes(Hub.rawCapacity(Duration.ofHours(1), Duration.ofMillis(100)), aggregate);
        long oneSecond = ChannelHistory.bytes(Hub.rawCapacity(Duration.ofHours(1), Duration.ofSeconds(1)), aggregate);
        ChannelHistory real = new ChannelHistory(Hub.rawCapacity(Duration.ofHours(1), Duration.ofMillis(100)), aggregate);
        assertEquals(36_001, real.rawCapacity());
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("README.md"));
        String f = String.format(java.util.Locale.ROOT, "%,d B", tenHertz);
        assertTrue(readme.contains("costs " + f), "README states a 10 Hz channel's " + f);
        assertTrue(readme.contains(String.format(java.util.Locale.ROOT, "%,d B", 20 * tenHertz)), "and 20 of them");
        assertEquals(43_212 + 181_440, oneSecond);
    }

    @Test
    void historyQueryRejectsBadWindowsAndPoints() {
        assertEquals(HistoryQuery.Window.H24, HistoryQuery.parse("window=24h&points=50").window());
        assertEquals(1_732_500_000_123_456L, HistoryQuery.parse("window=1h&since=1732500000123.456").sinceMicros(),
                "since keeps its microseconds");
        for (String bad : new String[] {null, "window=2h", "window=1h&points=1", "window=1h&points=x",
                "window=1h&since=soon", "window=1h&since=1e400", "window=1h&points=" + (HistoryQuery.MAX_POINTS + 1)}) {
            try {
                HistoryQuery.parse(bad);
                throw new AssertionError("accepted " + bad);
            } catch (IllegalArgumentException expected) {
                assertTrue(!expected.getMessage().isEmpty());
            }
        }
    }
}

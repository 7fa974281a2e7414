package io.sensorcast.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.loop.OwnerThread;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A channel that leaves the configuration (a reload, a sensor unplugged) keeps its minutes and
 * has them again when it returns; histories read back from disk reach their channels, or wait for
 * them; the history writer hears each finished minute once.
 */
class HubKeepsHistoryTest {

    private static final long T0 = 1_732_500_000_000_000L;
    private static final long MINUTE = 60_000_000L;

    private final OwnerThread owner = new OwnerThread();
    private final Hub hub;

    HubKeepsHistoryTest() {
        owner.claim();
        hub = new Hub(owner, "test", "0", Duration.ofHours(1), Duration.ofDays(7));
    }

    private static Hub.Registration reg(String id) {
        return new Hub.Registration(new ChannelInfo(id, id, ""), id.substring(0, id.indexOf('.')), Duration.ofSeconds(1));
    }

    private void samples(String id, int minutes) {
        long seq = hub.latestSeq(id);
        for (int i = 0; i < minutes * 60; i++) {
            hub.onSample(new Sample(id, ++seq, T0 + i * 1_000_000L, i));
        }
    }

    @Test
    void aChannelRemovedByAReloadHasItsMinutesWhenItReturns() {
        hub.reconcile(List.of(reg("a.x"), reg("b.y")), Set.of());
        samples("b.y", 3);
        ChannelHistory kept = hub.channel("b.y").history();
        assertEquals(3, kept.aggregateSize());

        hub.reconcile(List.of(reg("a.x")), Set.of());
        assertEquals(1, hub.retiredHistories());
        hub.reconcile(List.of(reg("a.x"), reg("b.y")), Set.of());

        assertSame(kept, hub.channel("b.y").history(), "the same history, not a new empty one");
        assertEquals(3, hub.channel("b.y").history().aggregateSize());
        assertEquals(3601, hub.channel("b.y").history().rawCapacity(), "its raw ring sized for its rate again");
        assertEquals(0, hub.retiredHistories());
    }

    @Test
    void historiesReadBackReachTheirChannelsOrWaitForThem() {
        hub.reconcile(List.of(reg("a.x")), Set.of());
        ChannelHistory a = new ChannelHistory(1, 10_080);
        a.restoreMinute((int) (T0 / MINUTE), 1, 2, 3, 60);
        ChannelHistory gone = new ChannelHistory(1, 10_080);
        gone.restoreMinute((int) (T0 / MINUTE), 4, 5, 6, 60);
        hub.adopt(Map.of("a.x", a, "c.z", gone));

        assertSame(a, hub.channel("a.x").history());
        assertEquals(3601, a.rawCapacity());
        assertEquals(1, hub.retiredHistories());
        hub.reconcile(List.of(reg("a.x"), reg("c.z")), Set.of());
        assertSame(gone, hub.channel("c.z").history(), "an unplugged sensor's minutes are there when it returns");
    }

    @Test
    void theWriterHearsEachFinishedMinuteOnceWithItsAggregate() {
        hub.reconcile(List.of(reg("a.x")), Set.of());
        List<String> heard = new ArrayList<>();
        hub.setMinuteListener((id, h) -> heard.add(id + " " + h.newestMinute() + " " + h.newestAvg() + " " + h.newestCount()));
        samples("a.x", 3);
        long m0 = T0 / MINUTE;
        assertEquals(List.of("a.x " + m0 + " 29.5 60", "a.x " + (m0 + 1) + " 89.5 60"), heard,
                "the third minute is still filling");
        assertTrue(hub.channel("a.x").history().aggregateSize() == 3);
    }
}

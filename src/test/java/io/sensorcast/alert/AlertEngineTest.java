package io.sensorcast.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.alert.AlertEngine.State;
import io.sensorcast.alert.AlertEvent.Transition;
import io.sensorcast.hub.ChannelInfo;
import io.sensorcast.hub.ChannelState;
import io.sensorcast.hub.Hub;
import io.sensorcast.hub.Sample;
import io.sensorcast.hub.StatusChange;
import io.sensorcast.loop.OwnerThread;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rules' state machine on fake time: the hub is real (its samples and states reach the engine
 * as the loop's would), the clock and its timers are the test's.
 */
class AlertEngineTest {

    private static final String GREENHOUSE = "greenhouse.temperature";

    private final FakeClock clock = new FakeClock();
    private final List<AlertEvent> told = new ArrayList<>();
    private Hub hub;
    private AlertEngine engine;
    private long seq;

    @BeforeEach
    void setUp() {
        OwnerThread owner = new OwnerThread();
        owner.claim();
        hub = new Hub(owner, "shed", "test");
        hub.reconcile(List.of(registration(GREENHOUSE), registration("cpu.temperature"), registration("freezer.temperature")),
                Set.of());
        engine = new AlertEngine(hub, clock, "shed", told::add);
        engine.start();
    }

    private static Hub.Registration registration(String id) {
        return new Hub.Registration(new ChannelInfo(id, id, "°C"), id.substring(0, id.indexOf('.')), Duration.ofSeconds(10));
    }

    static AlertRule below(String name, String channel, double threshold, double clear, Duration holdFor, Duration repeat) {
        return new AlertRule(name, List.of(channel), AlertRule.Kind.BELOW, threshold, clear, null, holdFor, "critical",
                repeat, List.of(), "test:1");
    }

    static AlertRule above(String name, String channel, double threshold, double clear, Duration holdFor) {
        return new AlertRule(name, List.of(channel), AlertRule.Kind.ABOVE, threshold, clear, null, holdFor, "warning",
                Duration.ZERO, List.of(), "test:1");
    }

    private void sample(String channel, double v) {
        hub.onSample(new Sample(channel, ++seq, clock.epochMillis() * 1000, v));
    }

    private AlertEngine.Alert alert(String rule, String channel) {
        return engine.alerts().stream().filter(a -> a.rule().name().equals(rule) && a.channel().equals(channel))
                .findFirst().orElseThrow(() -> new AssertionError("no alert " + rule + " on " + channel + ": " + engine.alerts()));
    }

    private List<Transition> transitions() {
        return told.stream().map(AlertEvent::transition).toList();
    }

    @Test
    void everyTransitionOkPendingFiringResolvedOk() {
        engine.setRules(List.of(below("greenhouse-cold", GREENHOUSE, 2, 2, Duration.ofMinutes(10), Duration.ZERO)));
        AlertEngine.Alert a = alert("greenhouse-cold", GREENHOUSE);
        sample(GREENHOUSE, 5);
        assertEquals(State.OK, a.state());
        sample(GREENHOUSE, 1.5);
        assertEquals(State.PENDING, a.state());
        assertEquals(List.of(), told, "pending is logged, not told");
        clock.advance(Duration.ofMinutes(9));
        sample(GREENHOUSE, 1.0);
        assertEquals(State.PENDING, a.state());
        clock.advance(Duration.ofMinutes(1));
        assertEquals(State.FIRING, a.state(), "fires when the condition held for 10 minutes, on the timer");
        assertEquals(List.of(Transition.FIRING), transitions());
        AlertEvent firing = told.get(0);
        assertEquals("greenhouse-cold", firing.rule());
        assertEquals(GREENHOUSE, firing.channel());
        assertEquals(1.0, firing.value());
        assertEquals(2.0, firing.threshold());
        assertEquals("critical", firing.severity());
        assertEquals("shed", firing.server());
        assertEquals("below 2 for 10m", firing.condition());
        assertEquals(clock.epochMillis() - Duration.ofMinutes(10).toMillis(), firing.sinceMillis(), "since the condition began");
        assertEquals(clock.epochMillis(), firing.atMillis());
        sample(GREENHOUSE, 0.5);
        sample(GREENHOUSE, 1.9);
        assertEquals(1, told.size(), "told on the transition, never per sample");
        sample(GREENHOUSE, 2.0);
        assertEquals(State.OK, a.state());
        assertEquals(List.of(Transition.FIRING, Transition.RESOLVED), transitions());
        assertEquals(2.0, told.get(1).value());
        sample(GREENHOUSE, 3);
        clock.advance(Duration.ofHours(1));
        assertEquals(2, told.size());
    }

    @Test
    void aBadValueAtOnceFiresWithoutForAndPendingThatEndsTellsNobody() {
        engine.setRules(List.of(above("freezer-warm", "freezer.temperature", -15, -15, Duration.ZERO),
                above("cpu-hot", "cpu.temperature", 80, 80, Duration.ofMinutes(1))));
        sample("freezer.temperature", -10);
        assertEquals(State.FIRING, alert("freezer-warm", "freezer.temperature").state());
        sample("cpu.temperature", 81);
        assertEquals(State.PENDING, alert("cpu-hot", "cpu.temperature").state());
        sample("cpu.temperature", 79);
        assertEquals(State.OK, alert("cpu-hot", "cpu.temperature").state());
        clock.advance(Duration.ofMinutes(5));
        assertEquals(List.of(Transition.FIRING), transitions());
        assertEquals("freezer-warm", told.get(0).rule());
    }

    @Test
    void hysteresisKeepsItFiringUntilTheValueIsBackPastClear() {
        engine.setRules(List.of(below("greenhouse-cold", GREENHOUSE, 2, 3, Duration.ZERO, Duration.ZERO)));
        AlertEngine.Alert a = alert("greenhouse-cold", GREENHOUSE);
        sample(GREENHOUSE, 2.5);
        assertEquals(State.OK, a.state(), "between threshold and clear: nothing begins");
        sample(GREENHOUSE, 1.9);
        assertEquals(State.FIRING, a.state());
        for (double v : new double[] {2.1, 2.5, 2.99, 1.8, 2.9}) {
            sample(GREENHOUSE, v);
            assertEquals(State.FIRING, a.state(), "still firing at " + v);
        }
        sample(GREENHOUSE, 3.0);
        assertEquals(State.OK, a.state());
        sample(GREENHOUSE, 2.5);
        assertEquals(State.OK, a.state());
        assertEquals(List.of(Transition.FIRING, Transition.RESOLVED), transitions());
    }

    @Test
    void forInterruptedStartsAgainFromTheNextBadValue() {
        engine.setRules(List.of(below("greenhouse-cold", GREENHOUSE, 2, 2, Duration.ofMinutes(10), Duration.ZERO)));
        AlertEngine.Alert a = alert("greenhouse-cold", GREENHOUSE);
        sample(GREENHOUSE, 1);
        clock.advance(Duration.ofMinutes(8));
        sample(GREENHOUSE, 2.5); // interrupted
        assertEquals(State.OK, a.state());
        clock.advance(Duration.ofMinutes(1));
        sample(GREENHOUSE, 1); // restarted at minute 9
        clock.advance(Duration.ofMinutes(9).plusSeconds(59));
        assertEquals(State.PENDING, a.state(), "the first timer (minute 10) must not fire the restarted condition");
        assertEquals(List.of(), told);
        clock.advance(Duration.ofSeconds(1));
        assertEquals(State.FIRING, a.state());
        assertEquals(List.of(Transition.FIRING), transitions());
        assertTrue(clock.pending() <= 1, "timers left: " + clock.pending());
    }

    @Test
    void repeatTellsAgainWhileItFiresAndStopsWhenItResolves() {
        engine.setRules(List.of(below("greenhouse-cold", GREENHOUSE, 2, 2, Duration.ZERO, Duration.ofHours(6))));
        sample(GREENHOUSE, 1);
        clock.advance(Duration.ofHours(5));
        assertEquals(List.of(Transition.FIRING), transitions());
        clock.advance(Duration.ofHours(1));
        assertEquals(List.of(Transition.FIRING, Transition.REPEAT), transitions());
        clock.advance(Duration.ofHours(6));
        assertEquals(List.of(Transition.FIRING, Transition.REPEAT, Transition.REPEAT), transitions());
        sample(GREENHOUSE, 4);
        clock.advance(Duration.ofDays(2));
        assertEquals(List.of(Transition.FIRING, Transition.REPEAT, Transition.REPEAT, Transition.RESOLVED), transitions());
        assertEquals(0, clock.pending(), "no repeat timer left once resolved");
    }

    @Test
    void aFlappingSignalTellsAtMostOncePerFor() {
        Duration hold = Duration.ofMinutes(10);
        engine.setRules(List.of(below("greenhouse-cold", GREENHOUSE, 2, 2, hold, Duration.ZERO)));
        // Two hours at a sample every 10 s: below, above, below, ... with a longer dip each 13 minutes.
        List<Long> firedAt = new ArrayList<>();
        for (int i = 0; i < 720; i++) {
            boolean dip = i % 78 < 66;
            sample(GREENHOUSE, dip || i % 2 == 0 ? 1.9 : 2.1);
            int before = told.size();
            clock.advance(Duration.ofSeconds(10));
            for (int k = before; k < told.size(); k++) {
                if (told.get(k).transition() == Transition.FIRING) {
                    firedAt.add(told.get(k).atMillis());
                }
            }
        }
        assertTrue(firedAt.size() >= 1, "a dip of 11 minutes fires: " + transitions());
        for (int i = 1; i < firedAt.size(); i++) {
            assertTrue(firedAt.get(i) - firedAt.get(i - 1) >= hold.toMillis(), "two firings closer than for: " + firedAt);
        }
        assertTrue(told.size() <= 2 * (720 * 10 / hold.toSeconds() + 1), transitions().toString());
        // The same signal without its dips never holds for 10 minutes: nobody is told anything.
        told.clear();
        engine.setRules(List.of(below("greenhouse-cold2", GREENHOUSE, 2, 2, hold, Duration.ZERO)));
        sample(GREENHOUSE, 5);
        told.clear();
        for (int i = 0; i < 720; i++) {
            sample(GREENHOUSE, i % 2 == 0 ? 1.9 : 2.1);
            clock.advance(Duration.ofSeconds(10));
        }
        assertEquals(List.of(), told);
    }

    @Test
    void aChannelThatGoesAwayResolvesAndComesBackFresh() {
        engine.setRules(List.of(below("greenhouse-cold", GREENHOUSE, 2, 2, Duration.ZERO, Duration.ofHours(1))));
        sample(GREENHOUSE, 1);
        assertEquals(List.of(Transition.FIRING), transitions());
        hub.reconcile(List.of(registration("cpu.temperature")), Set.of());
        assertEquals(List.of(), engine.alerts());
        assertEquals(List.of(Transition.FIRING, Transition.RESOLVED), transitions(), "a firing alert on a gone channel resolves");
        clock.advance(Duration.ofHours(3));
        assertEquals(2, told.size(), "no repeat for a gone channel");
        hub.reconcile(List.of(registration("cpu.temperature"), registration(GREENHOUSE)), Set.of());
        AlertEngine.Alert back = alert("greenhouse-cold", GREENHOUSE);
        assertEquals(State.OK, back.state(), "a channel that comes back starts fresh");
        assertEquals(2, told.size());
        sample(GREENHOUSE, 1);
        assertEquals(State.FIRING, back.state());
        assertEquals(List.of(Transition.FIRING, Transition.RESOLVED, Transition.FIRING), transitions());
        sample(GREENHOUSE, 3);
        assertEquals(State.OK, back.state());
    }

    @Test
    void aReloadKeepsAnUnchangedFiringRuleAndRestartsAChangedOne() {
        AlertRule cold = below("greenhouse-cold", GREENHOUSE, 2, 2, Duration.ofMinutes(10), Duration.ZERO);
        AlertRule warm = above("freezer-warm", "freezer.temperature", -15, -15, Duration.ofMinutes(5));
        engine.setRules(List.of(cold, warm));
        sample(GREENHOUSE, 1);
        sample("freezer.temperature", -5);
        clock.advance(Duration.ofMinutes(10));
        long since = alert("greenhouse-cold", GREENHOUSE).sinceMillis();
        assertEquals(List.of(Transition.FIRING, Transition.FIRING), transitions());

        // Same rules, written elsewhere (another file, another line): nothing changes, nobody is told.
        AlertRule coldMoved = new AlertRule(cold.name(), cold.channels(), cold.kind(), cold.threshold(), cold.clear(),
                null, cold.holdFor(), cold.severity(), cold.repeat(), cold.notifiers(), "conf.d/10-greenhouse.conf:3");
        AlertRule warmLonger = above("freezer-warm", "freezer.temperature", -15, -15, Duration.ofMinutes(20));
        clock.advance(Duration.ofMinutes(1));
        engine.setRules(List.of(coldMoved, warmLonger));
        AlertEngine.Alert keptAlert = alert("greenhouse-cold", GREENHOUSE);
        assertEquals(State.FIRING, keptAlert.state());
        assertEquals(since, keptAlert.sinceMillis());
        // The changed rule: its old alert resolved (told), the new one pending from the latest value.
        assertEquals(List.of(Transition.FIRING, Transition.FIRING, Transition.RESOLVED), transitions());
        assertEquals("freezer-warm", told.get(2).rule());
        assertEquals(State.PENDING, alert("freezer-warm", "freezer.temperature").state());
        clock.advance(Duration.ofMinutes(20));
        assertEquals(List.of(Transition.FIRING, Transition.FIRING, Transition.RESOLVED, Transition.FIRING), transitions());

        // A removed rule resolves too.
        engine.setRules(List.of(warmLonger));
        assertEquals(Transition.RESOLVED, told.get(4).transition());
        assertEquals("greenhouse-cold", told.get(4).rule());
    }

    @Test
    void aStateRuleFiresWhenTheChannelStaysInErrorForItsFor() {
        AlertRule rule = new AlertRule("sensor-broken", List.of("*.temperature"), AlertRule.Kind.STATE, Double.NaN,
                Double.NaN, "error", Duration.ofHours(1), "warning", Duration.ZERO, List.of(), "test:1");
        engine.setRules(List.of(rule));
        assertEquals(3, engine.alerts().size(), "a pattern matches every temperature channel");
        hub.onStatus(new StatusChange(GREENHOUSE, ChannelState.ERROR, "no answer at 0x76"));
        assertEquals(State.PENDING, alert("sensor-broken", GREENHOUSE).state());
        clock.advance(Duration.ofMinutes(59));
        hub.onStatus(new StatusChange(GREENHOUSE, ChannelState.ERROR, "another message, still error"));
        clock.advance(Duration.ofMinutes(1));
        assertEquals(State.FIRING, alert("sensor-broken", GREENHOUSE).state());
        assertEquals(State.OK, alert("sensor-broken", "cpu.temperature").state());
        hub.onStatus(new StatusChange(GREENHOUSE, ChannelState.OK, ""));
        assertEquals(List.of(Transition.FIRING, Transition.RESOLVED), transitions());
        assertEquals("state error for 1h", told.get(0).condition());
        assertTrue(Double.isNaN(told.get(0).threshold()));
    }

    @Test
    void aSampleThatChangesNothingAllocatesNothing() {
        engine.setRules(List.of(below("greenhouse-cold", GREENHOUSE, 2, 3, Duration.ofMinutes(10), Duration.ZERO),
                above("greenhouse-hot", GREENHOUSE, 40, 35, Duration.ofMinutes(10))));
        Hub.Channel ch = hub.channel(GREENHOUSE);
        Sample s = new Sample(GREENHOUSE, 1, 0, 20);
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        for (int i = 0; i < 20_000; i++) {
            engine.onSample(ch, s); // warm up: the JIT's own first allocations
        }
        long before = bean.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 100_000; i++) {
            engine.onSample(ch, s);
        }
        long allocated = bean.getThreadAllocatedBytes(tid) - before;
        assertTrue(allocated < 100_000, "100,000 samples allocated " + allocated + " bytes");
    }
}

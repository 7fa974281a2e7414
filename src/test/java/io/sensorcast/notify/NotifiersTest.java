package io.sensorcast.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sensorcast.alert.AlertEvent;
import io.sensorcast.alert.AlertEvent.Transition;
import io.sensorcast.config.NotifySettings;
import io.sensorcast.config.Settings;
import io.sensorcast.loop.EventLoop;
import io.sensorcast.testing.Json;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The notifiers against a local server that answers 200, 500, or never. */
class NotifiersTest {

    static final long SINCE = Instant.parse("2026-12-07T22:10:00Z").toEpochMilli();
    static final long AT = Instant.parse("2026-12-07T22:20:00Z").toEpochMilli();

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final List<Notifiers> started = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (Notifiers n : started) {
            n.stop(Duration.ofSeconds(5));
        }
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    static AlertEvent event(Transition t, String severity, List<String> to) {
        return new AlertEvent("greenhouse-cold", severity, t, "greenhouse.temperature", t == Transition.RESOLVED ? 3.1 : 1.5,
                "below 2", 2, "greenhouse-pi", SINCE, AT, to);
    }

    static NotifySettings settings(String name, String type, URI url, int priority, String token, Duration timeout, int retries) {
        return new NotifySettings(name, type, url, priority, token, null, timeout, retries, "test.conf:1");
    }

    FakeReceiver receiver(FakeReceiver.Script script) throws Exception {
        FakeReceiver r = FakeReceiver.http(script);
        closing.add(r);
        return r;
    }

    Notifiers notifiers() {
        Notifiers n = new Notifiers("sensorcast/test", null, TimeUnit.MILLISECONDS.toNanos(10), ZoneOffset.UTC);
        started.add(n);
        return n;
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        for (int i = 0; i < 1000 && !condition.getAsBoolean(); i++) {
            Thread.sleep(10);
        }
        assertTrue(condition.getAsBoolean(), what);
    }

    @Test
    void ntfyGetsTitlePriorityTagsTokenAndOneLineOfText() throws Exception {
        FakeReceiver phone = receiver(n -> 200);
        Notifiers n = notifiers();
        n.configure(List.of(settings("phone", "ntfy", phone.uri("/greenhouse-7f3k9"), 0, "tk_secret", Duration.ofSeconds(5), 0)));

        n.accept(event(Transition.FIRING, "critical", List.of()));
        FakeReceiver.Received r = phone.next();
        assertNotNull(r, "ntfy got nothing");
        assertEquals("POST", r.method());
        assertEquals("/greenhouse-7f3k9", r.path());
        assertEquals("greenhouse-cold firing on greenhouse-pi", r.header("Title"));
        assertEquals("4", r.header("Priority"), "critical: high");
        assertEquals("rotating_light,greenhouse-cold", r.header("Tags"));
        assertEquals("Bearer tk_secret", r.header("Authorization"));
        assertEquals("sensorcast/test", r.header("User-Agent"));
        assertEquals("greenhouse.temperature is 1.5: below 2 since 22:10 (critical)", r.body());

        n.accept(event(Transition.RESOLVED, "critical", List.of()));
        r = phone.next();
        assertNotNull(r, "ntfy got no resolved");
        assertEquals("white_check_mark,greenhouse-cold", r.header("Tags"));
        assertEquals("2", r.header("Priority"), "resolved: low");
        assertEquals("resolved: greenhouse.temperature is 3.1, was below 2 from 22:10 to 22:20", r.body());
        await(() -> n.counters("phone").sent() == 2, "both counted sent");
    }

    @Test
    void webhookGetsTheEventAsJson() throws Exception {
        FakeReceiver hook = receiver(n -> 204);
        Notifiers n = notifiers();
        n.configure(List.of(settings("hook", "webhook", hook.uri("/hooks/sensorcast?key=abc"), 0, "", Duration.ofSeconds(5), 0)));

        n.accept(event(Transition.REPEAT, "warning", List.of()));
        FakeReceiver.Received r = hook.next();
        assertNotNull(r, "the webhook got nothing");
        assertEquals("/hooks/sensorcast?key=abc", r.path());
        assertEquals("application/json", r.header("Content-Type"));
        assertNull(r.header("Authorization"), "no token, no Authorization");
        Map<String, Object> json = Json.object(r.body());
        assertEquals("greenhouse-cold", json.get("rule"));
        assertEquals("repeat", json.get("state"));
        assertEquals("warning", json.get("severity"));
        assertEquals("greenhouse.temperature", json.get("channel"));
        assertEquals(1.5, ((Number) json.get("value")).doubleValue());
        assertEquals(2.0, ((Number) json.get("threshold")).doubleValue());
        assertEquals("below 2", json.get("condition"));
        assertEquals("greenhouse-pi", json.get("device"));
        assertEquals("2026-12-07T22:10:00Z", json.get("since"));
        assertEquals(SINCE, ((Number) json.get("sinceMillis")).longValue());
        assertEquals("2026-12-07T22:20:00Z", json.get("at"));
        assertEquals(AT, ((Number) json.get("atMillis")).longValue());
        assertEquals("still firing: greenhouse.temperature is 1.5: below 2 since 22:10 (warning)", json.get("message"));
        await(() -> n.counters("hook").sent() == 1, "a 204 counts as sent");
    }

    @Test
    void aRuleThatNamesNotifiersReachesOnlyThose() throws Exception {
        FakeReceiver a = receiver(n -> 200);
        FakeReceiver b = receiver(n -> 200);
        Notifiers n = notifiers();
        n.configure(List.of(settings("a", "webhook", a.uri("/"), 0, "", Duration.ofSeconds(5), 0),
                settings("b", "webhook", b.uri("/"), 0, "", Duration.ofSeconds(5), 0)));
        n.accept(event(Transition.FIRING, "warning", List.of("b")));
        n.accept(event(Transition.FIRING, "warning", List.of()));
        await(() -> n.counters("b").sent() == 2 && n.counters("a").sent() == 1, "b gets both, a the one for all");
        assertEquals(1, a.count());
    }

    @Test
    void anAnswer500IsRetriedThenCountedFailed() throws Exception {
        FakeReceiver broken = receiver(n -> 500);
        Notifiers n = notifiers();
        n.configure(List.of(settings("hook", "webhook", broken.uri("/"), 0, "", Duration.ofSeconds(5), 2)));
        n.accept(event(Transition.FIRING, "warning", List.of()));
        await(() -> n.counters("hook").failed() == 1, "given up after the retries");
        assertEquals(3, broken.count(), "one attempt and two retries");
        assertEquals(3, n.counters("hook").errors());
        assertEquals(0, n.counters("hook").sent());
        assertEquals(0, n.queued("hook"));
    }

    @Test
    void failuresAreLoggedWithTheReasonAtMostOnceAMinute() throws Exception {
        long mark = io.sensorcast.testing.LogCapture.mark();
        FakeReceiver broken = receiver(n -> 500);
        Notifiers n = notifiers();
        n.configure(List.of(settings("hook", "webhook", broken.uri("/"), 0, "", Duration.ofSeconds(5), 4)));
        n.accept(event(Transition.FIRING, "warning", List.of()));
        n.accept(event(Transition.RESOLVED, "warning", List.of()));
        await(() -> n.counters("hook").failed() == 2, "both given up");
        assertEquals(10, n.counters("hook").errors(), "every attempt counted");
        // The log is written by its own thread, in order: once this line is there, so is every earlier one.
        org.tinylog.Logger.tag("test").info("notify-log-probe");
        await(() -> io.sensorcast.testing.LogCapture.count(mark, "notify-log-probe") == 1, "the log caught up");
        List<String> lines = io.sensorcast.testing.LogCapture.since(mark);
        assertEquals(1, io.sensorcast.testing.LogCapture.count(mark,
                "notifier hook (webhook " + broken.uri("/") + "): greenhouse-cold firing: attempt 1 of 5 failed: HTTP 500"
                        + " ({\"code\":50001,\"error\":\"broken\"}); trying again in 10 ms"), lines.toString());
        assertEquals(1, io.sensorcast.testing.LogCapture.count(mark, "not delivered after 5 attempts: HTTP 500"), lines.toString());
        assertEquals(2, lines.stream().filter(l -> l.contains("notifier hook")).count(), "ten failures, two lines: " + lines);
    }

    @Test
    void aRetryThatSucceedsCountsSentAndOneError() throws Exception {
        FakeReceiver flaky = receiver(n -> n == 0 ? 503 : 200);
        Notifiers n = notifiers();
        n.configure(List.of(settings("hook", "webhook", flaky.uri("/"), 0, "", Duration.ofSeconds(5), 3)));
        n.accept(event(Transition.FIRING, "warning", List.of()));
        await(() -> n.counters("hook").sent() == 1, "delivered by the retry");
        assertEquals(1, n.counters("hook").errors());
        assertEquals(0, n.counters("hook").failed());
        assertEquals(2, flaky.count());
    }

    @Test
    void aServerThatIsDownCostsACountedFailure() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        Notifiers n = notifiers();
        n.configure(List.of(settings("hook", "webhook", URI.create("http://127.0.0.1:" + port + "/"), 0, "", Duration.ofSeconds(5), 1)));
        n.accept(event(Transition.FIRING, "warning", List.of()));
        await(() -> n.counters("hook").failed() == 1, "refused twice, then failed");
        assertEquals(2, n.counters("hook").errors());
    }

    @Test
    void aNotifierThatNeverAnswersIsGivenUpAfterItsTimeout() throws Exception {
        FakeReceiver hung = receiver(n -> FakeReceiver.HANG);
        Notifiers n = notifiers();
        n.configure(List.of(settings("hung", "webhook", hung.uri("/"), 0, "", Duration.ofSeconds(1), 1)));
        n.accept(event(Transition.FIRING, "warning", List.of()));
        await(() -> n.counters("hung").failed() == 1, "given up after two attempts without an answer");
        assertEquals(2, n.counters("hung").errors());
        assertEquals(2, hung.count());
        assertEquals(0, n.counters("hung").sent());
    }

    @Test
    void aHungNotifierDelaysNoOther() throws Exception {
        FakeReceiver hung = receiver(n -> FakeReceiver.HANG);
        FakeReceiver fine = receiver(n -> 200);
        Notifiers n = notifiers();
        n.configure(List.of(settings("hung", "webhook", hung.uri("/"), 0, "", Duration.ofSeconds(60), 0),
                settings("fine", "webhook", fine.uri("/"), 0, "", Duration.ofSeconds(5), 0)));
        n.accept(event(Transition.FIRING, "warning", List.of("hung")));
        await(() -> hung.hanging() == 1, "the hung server holds the request");
        n.accept(event(Transition.FIRING, "warning", List.of("fine")));
        await(() -> n.counters("fine").sent() == 1, "the other notifier delivers while the first hangs");
        assertEquals(0, n.counters("hung").errors() + n.counters("hung").sent(), "the first one is still in flight");
        hung.release();
        await(() -> n.counters("hung").sent() == 1, "delivered once the server answers");
    }

    @Test
    void theQueueStaysBoundedAndDropsAreCounted() throws Exception {
        FakeReceiver hung = receiver(n -> FakeReceiver.HANG);
        Notifiers n = notifiers();
        n.configure(List.of(settings("hook", "webhook", hung.uri("/"), 0, "", Duration.ofSeconds(60), 0)));
        n.accept(event(Transition.FIRING, "warning", List.of()));
        await(() -> hung.hanging() == 1, "the first one is in flight");
        for (int i = 0; i < 100; i++) {
            n.accept(event(Transition.REPEAT, "warning", List.of()));
        }
        assertEquals(Notifiers.QUEUE_CAPACITY + 1, n.queued("hook"), "the queue and the one in flight");
        assertEquals(100 - Notifiers.QUEUE_CAPACITY, n.counters("hook").dropped());

        n.stop(Duration.ofSeconds(5));
        assertEquals(100, n.counters("hook").dropped(), "what waited is dropped at stop");
        n.accept(event(Transition.RESOLVED, "warning", List.of()));
        assertEquals(101, n.counters("hook").dropped(), "after stop nothing is queued");
        assertEquals(1, hung.count(), "one request reached the server");
    }

    @Test
    void oneWorkerThreadStartsWithTheFirstEventAndEndsAtStop() throws Exception {
        FakeReceiver ok = receiver(n -> 200);
        Notifiers n = notifiers();
        n.configure(List.of(settings("hook", "webhook", ok.uri("/"), 0, "", Duration.ofSeconds(5), 0)));
        assertNull(n.worker(), "no thread before an event");
        n.accept(event(Transition.FIRING, "warning", List.of()));
        Thread worker = n.worker();
        assertNotNull(worker);
        for (int i = 0; i < 5; i++) {
            n.accept(event(Transition.REPEAT, "warning", List.of()));
        }
        await(() -> n.counters("hook").sent() == 6, "all delivered");
        assertTrue(worker == n.worker(), "never a second worker");
        n.stop(Duration.ofSeconds(5));
        assertFalse(worker.isAlive(), "the worker ended at stop");
        await(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("sensorcast-notify")), "no notifier thread is left");
    }

    @Test
    void aReloadKeepsCountersAndSendsToTheNewAddress() throws Exception {
        FakeReceiver first = receiver(n -> 200);
        FakeReceiver second = receiver(n -> 200);
        Notifiers n = notifiers();
        n.configure(List.of(settings("hook", "webhook", first.uri("/"), 0, "", Duration.ofSeconds(5), 0)));
        n.accept(event(Transition.FIRING, "warning", List.of()));
        await(() -> n.counters("hook").sent() == 1, "sent to the first");
        n.configure(List.of(settings("hook", "webhook", second.uri("/"), 0, "", Duration.ofSeconds(5), 0)));
        n.accept(event(Transition.RESOLVED, "warning", List.of()));
        await(() -> n.counters("hook").sent() == 2, "sent to the second; the counter goes on");
        assertEquals(1, first.count());
        assertEquals(1, second.count());
        n.configure(List.of());
        assertEquals(List.of(), n.names());
        n.accept(event(Transition.FIRING, "warning", List.of()));
        assertEquals(0, n.queued("hook"), "a removed notifier gets nothing");
    }

    @Test
    void theLoopKeepsRunningTimersAndTasksWhileANotifierHangs() throws Exception {
        FakeReceiver hung = receiver(n -> FakeReceiver.HANG);
        Notifiers n = notifiers();
        n.configure(List.of(settings("hook", "webhook", hung.uri("/"), 0, "", Duration.ofSeconds(60), 3)));
        EventLoop loop = new EventLoop(Settings.builder().port(0).build());
        loop.start();
        try {
            AtomicInteger ticks = new AtomicInteger();
            AtomicInteger handed = new AtomicInteger();
            loop.execute(() -> loop.every(TimeUnit.MILLISECONDS.toNanos(5), ticks::incrementAndGet));
            for (int i = 0; i < 200; i++) {
                loop.execute(() -> {
                    n.accept(event(Transition.REPEAT, "warning", List.of()));
                    handed.incrementAndGet();
                });
            }
            await(() -> handed.get() == 200, "the loop handed every event over at once");
            await(() -> hung.hanging() == 1, "the notifier hangs");
            int before = ticks.get();
            await(() -> ticks.get() >= before + 20, "the loop's timer kept running while the notifier hangs");
            assertEquals(1, hung.hanging(), "and it still hangs");
            assertTrue(n.queued("hook") <= Notifiers.QUEUE_CAPACITY + 1, "bounded: " + n.queued("hook"));
            assertEquals(200, n.queued("hook") + n.counters("hook").dropped(), "every event waits or is counted dropped");
        } finally {
            loop.shutdown();
            if (!loop.awaitTermination(5, TimeUnit.SECONDS)) {
                fail("the loop did not stop");
            }
        }
    }
}

package io.sensorcast.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.alert.AlertEvent.Transition;
import io.sensorcast.config.Settings;
import io.sensorcast.testing.RawHttp;
import io.sensorcast.testing.TestServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The service builds its notifiers from the settings, hands out their sink, counts in /metrics, reloads them. */
class NotifyServiceTest {

    @Test
    void theServicesSinkSendsCountsInMetricsAndFollowsAReload() throws Exception {
        try (FakeReceiver first = FakeReceiver.http(n -> 200); FakeReceiver second = FakeReceiver.http(n -> 500)) {
            Settings settings = TestServer.settings()
                    .notifiers(List.of(NotifiersTest.settings("hook", "webhook", first.uri("/in"), 0, "", Duration.ofSeconds(5), 0)))
                    .build();
            try (TestServer server = TestServer.start(settings, List.of())) {
                server.onLoop(() -> {
                    server.service().alertSink().accept(NotifiersTest.event(Transition.FIRING, "critical", List.of()));
                    return null;
                });
                FakeReceiver.Received r = first.next();
                assertNotNull(r, "the webhook got nothing");
                assertTrue(r.header("User-Agent").startsWith("sensorcast/"), r.header("User-Agent"));
                NotifiersTest.await(() -> server.service().notifiers().counters("hook").sent() == 1, "counted");
                String metrics = RawHttp.get(server.port(), "/metrics").text();
                assertTrue(metrics.contains("\nsensorcast_notify_sent_total{notifier=\"hook\"} 1\n"), metrics);
                assertTrue(metrics.contains("\nsensorcast_notify_failed_total{notifier=\"hook\"} 0\n"), metrics);
                assertTrue(metrics.contains("\nsensorcast_notify_dropped_total{notifier=\"hook\"} 0\n"), metrics);

                Settings moved = settings.toBuilder()
                        .notifiers(List.of(NotifiersTest.settings("hook", "webhook", second.uri("/in"), 0, "", Duration.ofSeconds(5), 0)))
                        .build();
                server.service().reload(moved, List.of(), List.of());
                server.onLoop(() -> {
                    server.service().alertSink().accept(NotifiersTest.event(Transition.RESOLVED, "critical", List.of()));
                    return null;
                });
                NotifiersTest.await(() -> server.service().notifiers().counters("hook").failed() == 1,
                        "the reloaded address answered 500");
                assertEquals(1, second.count());
                assertEquals(1, first.count());
                metrics = RawHttp.get(server.port(), "/metrics").text();
                assertTrue(metrics.contains("\nsensorcast_notify_sent_total{notifier=\"hook\"} 1\n"), "kept across the reload: " + metrics);
                assertTrue(metrics.contains("\nsensorcast_notify_failed_total{notifier=\"hook\"} 1\n"), metrics);
            }
            NotifiersTest.await(() -> Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(t -> t.getName().startsWith("sensorcast-notify")), "the service's stop ended the notifier threads");
        }
    }
}

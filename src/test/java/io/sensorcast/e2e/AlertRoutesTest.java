package io.sensorcast.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.alert.AlertEvent;
import io.sensorcast.alert.AlertRule;
import io.sensorcast.config.Settings;
import io.sensorcast.hub.ChannelInfo;
import io.sensorcast.hub.Hub;
import io.sensorcast.hub.Sample;
import io.sensorcast.testing.Json;
import io.sensorcast.testing.LogCapture;
import io.sensorcast.testing.RawHttp;
import io.sensorcast.testing.TestServer;
import io.sensorcast.testing.WsTestClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Where an alert shows, on a real server: {@code GET /api/alerts} behind the token, the
 * {@code alert} message on /ws (and after the hello of a monitor that connects while it fires),
 * {@code sensorcast_alert_state} in /metrics, the log once per transition, and the sink.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AlertRoutesTest {

    private static final String TOKEN = "alert-token-4f1c9a7b3d2e8f60";
    private static final String BEARER = "Authorization: Bearer " + TOKEN + "\r\n";

    private static Hub.Registration channel(String id) {
        return new Hub.Registration(new ChannelInfo(id, id, "°C"), id.substring(0, id.indexOf('.')), null);
    }

    private static RawHttp.Response get(TestServer s, String target, String headers) throws Exception {
        try (RawHttp http = RawHttp.connect(s.port())) {
            http.send("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "\r\n");
            return http.read();
        }
    }

    /** The next text message of {@code type}, skipping others (samples, status); bounded by the socket's timeout. */
    private static Map<String, Object> next(WsTestClient ws, String type) throws Exception {
        for (int i = 0; i < 1000; i++) {
            Map<String, Object> m = Json.object(ws.readText());
            if (type.equals(m.get("type"))) {
                return m;
            }
        }
        throw new AssertionError("no " + type + " message in 1000");
    }

    @Test
    void anAlertShowsInTheApiTheStreamTheMetricsAndTheLogOncePerTransition() throws Exception {
        AlertRule warm = new AlertRule("freezer-warm", List.of("freezer.*"), AlertRule.Kind.ABOVE, -15, -18, null,
                Duration.ZERO, "critical", Duration.ZERO, List.of(), "test:1");
        AlertRule hot = new AlertRule("cpu-hot", List.of("cpu.temperature"), AlertRule.Kind.ABOVE, 80, 75, null,
                Duration.ofMinutes(10), "warning", Duration.ZERO, List.of(), "test:5");
        Settings settings = TestServer.settings().accessToken(TOKEN).alerts(List.of(warm, hot)).build();
        List<AlertEvent> told = new CopyOnWriteArrayList<>();
        try (TestServer s = TestServer.start(settings, List.of())) {
            s.service().setAlertSink(told::add);
            s.onLoop(() -> {
                s.service().hub().reconcile(List.of(channel("freezer.temperature"), channel("cpu.temperature")), Set.of());
                return null;
            });
            assertEquals(401, get(s, "/api/alerts", "").status(), "behind the access token");
            Map<String, Object> api = Json.object(get(s, "/api/alerts", BEARER).text());
            List<?> alerts = (List<?>) api.get("alerts");
            assertEquals(2, alerts.size(), api.toString());
            Map<?, ?> first = (Map<?, ?>) alerts.get(0);
            assertEquals("freezer-warm", first.get("rule"));
            assertEquals("freezer.temperature", first.get("channel"));
            assertEquals("ok", first.get("state"));
            assertEquals("critical", first.get("severity"));
            assertEquals(-15.0, ((Number) first.get("threshold")).doubleValue());
            assertEquals(1.0, ((Number) ((Map<?, ?>) ((List<?>) api.get("rules")).get(1)).get("matched")).doubleValue());

            long mark = LogCapture.mark();
            try (WsTestClient a = WsTestClient.open(s.port(), "/ws", BEARER)) {
                next(a, "hello");
                for (double v : new double[] {-10, -12, -16, -17}) {
                    s.onLoop(() -> {
                        s.service().hub().onSample(new Sample("freezer.temperature", 1, System.currentTimeMillis() * 1000, v));
                        return null;
                    });
                }
                Map<String, Object> firing = next(a, "alert");
                assertEquals("freezer-warm", firing.get("rule"));
                assertEquals("firing", firing.get("state"));
                assertEquals(-10.0, ((Number) firing.get("value")).doubleValue());
                assertEquals("above -15 (clears at -18)", firing.get("condition"));

                try (WsTestClient b = WsTestClient.open(s.port(), "/ws", BEARER)) {
                    next(b, "hello");
                    Map<String, Object> now = next(b, "alert");
                    assertEquals("firing", now.get("state"), "a monitor that connects while it fires is told after its hello");
                    assertEquals("freezer.temperature", now.get("channel"));
                }

                String metrics = get(s, "/metrics", BEARER).text();
                assertTrue(metrics.contains("sensorcast_alert_state{alert=\"freezer-warm\",severity=\"critical\","
                        + "channel=\"freezer.temperature\"} 2\n"), metrics);
                assertTrue(metrics.contains("sensorcast_alert_state{alert=\"cpu-hot\",severity=\"warning\","
                        + "channel=\"cpu.temperature\"} 0\n"), metrics);
                s.onLoop(() -> {
                    s.service().hub().onSample(new Sample("cpu.temperature", 1, System.currentTimeMillis() * 1000, 85));
                    s.service().hub().onSample(new Sample("freezer.temperature", 2, System.currentTimeMillis() * 1000, -20));
                    return null;
                });
                assertTrue(get(s, "/metrics", BEARER).text().contains("sensorcast_alert_state{alert=\"cpu-hot\","
                        + "severity=\"warning\",channel=\"cpu.temperature\"} 1\n"), "pending is 1");
                Map<String, Object> pending = next(a, "alert");
                assertEquals("cpu-hot", pending.get("rule"));
                assertEquals("pending", pending.get("state"));
                Map<String, Object> resolved = next(a, "alert");
                assertEquals("freezer-warm", resolved.get("rule"));
                assertEquals("ok", resolved.get("state"));
            }
            assertEquals(List.of(AlertEvent.Transition.FIRING, AlertEvent.Transition.RESOLVED),
                    told.stream().map(AlertEvent::transition).toList(), "the sink hears firing and resolved only");
            assertEquals("test-device", told.get(0).server());
            assertTrue(LogCapture.installed(), "the pom installs the test's log writer");
            assertEquals(1, LogCapture.count(mark, "alert freezer-warm firing (critical) on freezer.temperature: value -10,"
                    + " above -15 (clears at -18), threshold -15"), LogCapture.since(mark).toString());
            assertEquals(1, LogCapture.count(mark, "alert freezer-warm resolved"), LogCapture.since(mark).toString());
            assertEquals(1, LogCapture.count(mark, "alert cpu-hot pending on cpu.temperature"), LogCapture.since(mark).toString());
        }
    }

    private static List<AlertEvent.Transition> await(List<AlertEvent> told, int n) throws InterruptedException {
        for (int i = 0; i < 500 && told.size() < n; i++) {
            Thread.sleep(10);
        }
        return told.stream().map(AlertEvent::transition).toList();
    }

    @Test
    void aReloadKeepsAFiringRuleThatDidNotChangeAndResolvesOneThatDid() throws Exception {
        io.sensorcast.sensor.Device freezer = io.sensorcast.sensor.Device.of(io.sensorcast.testing.TestSensors.constant(
                "freezer.temperature", "Freezer", "°C", -5, Duration.ofMillis(50)));
        AlertRule warm = new AlertRule("freezer-warm", List.of("freezer.temperature"), AlertRule.Kind.ABOVE, -15, -15, null,
                Duration.ZERO, "critical", Duration.ZERO, List.of(), "sensorcast.conf:1");
        Settings settings = TestServer.settings().alerts(List.of(warm)).build();
        List<AlertEvent> told = new CopyOnWriteArrayList<>();
        io.sensorcast.cli.Service service = new io.sensorcast.cli.Service(settings, List.of(freezer), List.of());
        service.setAlertSink(told::add); // before the start: the first sample fires
        service.start();
        try {
            Running s = new Running(service);
            assertEquals(List.of(AlertEvent.Transition.FIRING), await(told, 1));
            AlertRule moved = new AlertRule("freezer-warm", List.of("freezer.temperature"), AlertRule.Kind.ABOVE, -15, -15,
                    null, Duration.ZERO, "critical", Duration.ZERO, List.of(), "conf.d/freezer.conf:3");
            s.service().reload(settings.toBuilder().alerts(List.of(moved)).build(), List.of(freezer), List.of());
            s.onLoop(() -> null); // the reload's tasks are done
            assertEquals(List.of(AlertEvent.Transition.FIRING), told.stream().map(AlertEvent::transition).toList(),
                    "an unchanged rule stays firing and tells no one again");
            assertEquals("firing", s.onLoop(() -> s.service().alerts().alerts().get(0).state().wireName()));

            AlertRule stricter = new AlertRule("freezer-warm", List.of("freezer.temperature"), AlertRule.Kind.ABOVE, -10, -10,
                    null, Duration.ZERO, "critical", Duration.ZERO, List.of(), "sensorcast.conf:1");
            s.service().reload(settings.toBuilder().alerts(List.of(stricter)).build(), List.of(freezer), List.of());
            assertEquals(List.of(AlertEvent.Transition.FIRING, AlertEvent.Transition.RESOLVED, AlertEvent.Transition.FIRING),
                    await(told, 3), "a changed rule: the old one resolved, the new one fires from the latest value");
            assertEquals("above -10", told.get(2).condition());

            s.service().reload(settings.toBuilder().alerts(List.of(stricter)).build(), List.of(), List.of());
            assertEquals(AlertEvent.Transition.RESOLVED, await(told, 4).get(3), "its channel went: resolved");
            assertEquals(List.of(), s.onLoop(() -> List.copyOf(s.service().alerts().alerts())));
        } finally {
            service.stop();
        }
    }

    /** The two calls of TestServer this test needs, on a service it started itself. */
    private record Running(io.sensorcast.cli.Service service) {
        <T> T onLoop(java.util.concurrent.Callable<T> task) throws Exception {
            return service.loop().submit(task).get(5, TimeUnit.SECONDS);
        }
    }
}

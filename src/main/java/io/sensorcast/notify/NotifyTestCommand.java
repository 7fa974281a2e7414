package io.sensorcast.notify;

import io.sensorcast.alert.AlertEvent;
import io.sensorcast.config.NotifySettings;
import io.sensorcast.config.Settings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.ZoneId;
import java.util.List;

/**
 * {@code sensorcast notify-test NAME}: sends one test notification through {@code [notify.NAME]},
 * once, without retries, and says what the server answered, so that a person sees the phone ring
 * (or the webhook fire) before an alert needs it. Exit 0 if it was accepted, 1 if not.
 */
public final class NotifyTestCommand {

    private NotifyTestCommand() {
    }

    public static int run(Settings settings, String name, String userAgent, PrintStream out, PrintStream err) {
        NotifySettings n = settings.notifiers.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
        if (n == null) {
            List<String> names = settings.notifiers.stream().map(NotifySettings::name).toList();
            err.println("sensorcast: no enabled [notify." + name + "] in the configuration; "
                    + (names.isEmpty() ? "it has no notifier (README, Reach your phone)" : "it has " + String.join(", ", names)));
            return 1;
        }
        String token;
        try {
            token = Notifiers.token(n);
        } catch (IOException e) {
            err.println("sensorcast: " + e.getMessage());
            return 1;
        }
        long now = System.currentTimeMillis();
        AlertEvent test = new AlertEvent("sensorcast-test", "warning", AlertEvent.Transition.FIRING, "test", Double.NaN,
                "a test notification from sensorcast notify-test", Double.NaN, settings.deviceName, now, now, List.of(name));
        Notifier notifier = new Notifier(n, token, userAgent, ZoneId.systemDefault());
        HttpClient client = HttpClient.newBuilder().connectTimeout(n.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        try {
            HttpResponse<byte[]> r = client.send(notifier.request(test), HttpResponse.BodyHandlers.ofByteArray());
            head.write(r.body(), 0, Math.min(r.body().length, 200));
            if (r.statusCode() / 100 == 2) {
                out.println("sent a test notification to " + n + ": HTTP " + r.statusCode());
                return 0;
            }
            err.println("sensorcast: " + n + " answered HTTP " + r.statusCode() + Notifiers.answer(head));
            return 1;
        } catch (IOException e) {
            err.println("sensorcast: " + n + ": " + Notifiers.reason(e, n.timeout()));
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }
}

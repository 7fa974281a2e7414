package io.sensorcast.notify;

import io.sensorcast.alert.AlertEvent;
import io.sensorcast.config.NotifySettings;
import io.sensorcast.hub.JsonWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/**
 * One configured notifier: how an {@link AlertEvent} becomes its HTTP request. A webhook gets the
 * event as JSON; ntfy gets a one-line text with its Title, Priority and Tags headers
 * (docs.ntfy.sh, publish). Pure: no I/O here, so tests look at the requests without a network.
 */
final class Notifier {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm");
    private static final DateTimeFormatter DAY_CLOCK = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final NotifySettings settings;
    /** The Bearer token (from token or token_file), or empty. */
    private final String token;
    private final String userAgent;
    private final ZoneId zone;

    Notifier(NotifySettings settings, String token, String userAgent, ZoneId zone) {
        this.settings = settings;
        this.token = token;
        this.userAgent = userAgent;
        this.zone = zone;
    }

    NotifySettings settings() {
        return settings;
    }

    String name() {
        return settings.name();
    }

    /** Whether {@code event} goes here: its rule names no notifier (all), or names this one. */
    boolean wants(AlertEvent event) {
        return event.notifiers().isEmpty() || event.notifiers().contains(settings.name());
    }

    HttpRequest request(AlertEvent e) {
        HttpRequest.Builder b = HttpRequest.newBuilder(settings.url()).timeout(settings.timeout());
        if (!token.isEmpty()) {
            b.header("Authorization", "Bearer " + token);
        }
        if (!userAgent.isEmpty()) {
            b.header("User-Agent", userAgent);
        }
        if (settings.isNtfy()) {
            b.header("Content-Type", "text/plain; charset=utf-8")
                    .header("Title", header(title(e)))
                    .header("Priority", Integer.toString(priority(e)))
                    .header("Tags", header(tags(e)));
            return b.POST(HttpRequest.BodyPublishers.ofString(text(e), StandardCharsets.UTF_8)).build();
        }
        b.header("Content-Type", "application/json");
        return b.POST(HttpRequest.BodyPublishers.ofString(json(e), StandardCharsets.UTF_8)).build();
    }

    /** The webhook's body: every field of the event, times as ISO 8601 (UTC) and epoch milliseconds. */
    String json(AlertEvent e) {
        JsonWriter w = new JsonWriter().beginObject()
                .name("rule").value(e.rule())
                .name("state").value(e.transition().wireName())
                .name("severity").value(e.severity())
                .name("channel").value(e.channel())
                .name("value").value(e.value())
                .name("condition").value(e.condition())
                .name("threshold").value(e.threshold())
                .name("device").value(e.server())
                .name("since").value(Instant.ofEpochMilli(e.sinceMillis()).toString())
                .name("sinceMillis").value(e.sinceMillis())
                .name("at").value(Instant.ofEpochMilli(e.atMillis()).toString())
                .name("atMillis").value(e.atMillis())
                .name("notifier").value(settings.name())
                .name("message").value(text(e));
        return w.endObject().toString();
    }

    /** "greenhouse-cold firing on greenhouse-pi". */
    static String title(AlertEvent e) {
        String what = switch (e.transition()) {
            case FIRING -> "firing";
            case REPEAT -> "still firing";
            case RESOLVED -> "resolved";
        };
        return e.rule() + " " + what + " on " + e.server();
    }

    /**
     * One line for a person: "greenhouse.temperature is 1.5: below 2 since 22:10 (critical)";
     * "resolved: greenhouse.temperature is 3.1, was below 2 from 22:10 to 23:05". Local time.
     */
    String text(AlertEvent e) {
        String reading = Double.isNaN(e.value()) ? e.channel() : e.channel() + " is " + number(e.value());
        String since = time(e.sinceMillis(), e.atMillis());
        return switch (e.transition()) {
            case FIRING -> reading + ": " + e.condition() + " since " + since + " (" + e.severity() + ")";
            case REPEAT -> "still firing: " + reading + ": " + e.condition() + " since " + since + " (" + e.severity() + ")";
            case RESOLVED -> "resolved: " + reading + ", was " + e.condition() + " from " + since + " to "
                    + time(e.atMillis(), e.atMillis());
        };
    }

    /** ntfy's priority: the configured one for firing alerts, else critical 4 (high), warning 3; resolved 2 (low). */
    int priority(AlertEvent e) {
        if (e.transition() == AlertEvent.Transition.RESOLVED) {
            return 2;
        }
        if (settings.priority() > 0) {
            return settings.priority();
        }
        return "critical".equals(e.severity()) ? 4 : 3;
    }

    /**
     * ntfy's tags: an emoji short code by what happened (a critical alert rotating_light, a warning
     * warning, a resolved one white_check_mark, a repeat adds repeat), then the rule's name.
     */
    static String tags(AlertEvent e) {
        String emoji = switch (e.transition()) {
            case RESOLVED -> "white_check_mark";
            case FIRING -> "critical".equals(e.severity()) ? "rotating_light" : "warning";
            case REPEAT -> ("critical".equals(e.severity()) ? "rotating_light" : "warning") + ",repeat";
        };
        return emoji + "," + e.rule().replace(",", " ");
    }

    private String time(long millis, long nowMillis) {
        var at = Instant.ofEpochMilli(millis).atZone(zone);
        LocalDate today = Instant.ofEpochMilli(nowMillis).atZone(zone).toLocalDate();
        return at.toLocalDate().equals(today) ? CLOCK.format(at) : DAY_CLOCK.format(at);
    }

    /** Six significant digits at most, no trailing zeros: 1.5, 21.375, 1200. */
    static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        return new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }

    /**
     * A header value as ASCII: text with other characters (a device named "Gewächshaus") as an
     * RFC 2047 encoded word, which ntfy decodes (since 2.4.0); control characters become spaces.
     */
    static String header(String value) {
        StringBuilder ascii = new StringBuilder(value.length());
        boolean plain = true;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                ascii.append(' ');
            } else {
                plain &= c < 0x7f;
                ascii.append(c);
            }
        }
        if (plain) {
            return ascii.toString();
        }
        return "=?UTF-8?B?" + Base64.getEncoder().encodeToString(ascii.toString().getBytes(StandardCharsets.UTF_8)) + "?=";
    }

    @Override
    public String toString() {
        return settings.toString();
    }
}

package io.sensorcast.hub;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /api/channels/{id}/history?window=5m|1h|24h|7d[&since=<epoch ms>][&points=N]}: what
 * was asked, parsed from the query string, and the columnar JSON answer (uPlot takes columns).
 *
 * <p>The answer is built on the loop thread, so it is bounded: at most {@link #MAX_POINTS} points
 * whatever is asked (about 250 KB of JSON), {@link #DEFAULT_POINTS} when nothing is.
 *
 * @param window     one of the four windows
 * @param sinceMicros only points after this (epoch µs); Long.MIN_VALUE for the whole window
 * @param points     most points in the answer
 */
public record HistoryQuery(Window window, long sinceMicros, int points) {

    public static final int DEFAULT_POINTS = 1_000;
    public static final int MAX_POINTS = 10_000;

    /** The windows the dashboard offers; the short ones come from the raw ring, the long ones from minutes. */
    public enum Window {
        M5("5m", 5 * 60, true),
        H1("1h", 3600, true),
        H24("24h", 24 * 3600, false),
        D7("7d", 7 * 24 * 3600, false);

        public final String wire;
        public final long seconds;
        public final boolean raw;

        Window(String wire, long seconds, boolean raw) {
            this.wire = wire;
            this.seconds = seconds;
            this.raw = raw;
        }

        static Window parse(String s) {
            for (Window w : values()) {
                if (w.wire.equals(s)) {
                    return w;
                }
            }
            throw new IllegalArgumentException("window must be 5m, 1h, 24h or 7d, was '" + s + "'");
        }
    }

    /** Parses the raw query string (null when the target had none); IllegalArgumentException says what is wrong. */
    public static HistoryQuery parse(String query) {
        Window window = null;
        long since = Long.MIN_VALUE;
        int points = DEFAULT_POINTS;
        for (String pair : query == null ? new String[0] : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            switch (name) {
                case "window" -> window = Window.parse(value);
                case "since" -> since = sinceMicros(value);
                case "points" -> {
                    double p = number(name, value);
                    if (p != Math.rint(p) || p < 2 || p > MAX_POINTS) {
                        throw new IllegalArgumentException("points must be a whole number from 2 to " + MAX_POINTS
                                + ", was '" + value + "'");
                    }
                    points = (int) p;
                }
                default -> { } // unknown parameters are ignored, as caches and scripts add their own
            }
        }
        if (window == null) {
            throw new IllegalArgumentException("window is required: 5m, 1h, 24h or 7d");
        }
        return new HistoryQuery(window, since, points);
    }

    /**
     * Epoch ms with up to a µs fraction, as the stream's {@code t} reads: the page sends back the
     * last {@code t} it has. Parsed in decimal, since a double has no µs left at 1.7e15.
     */
    private static long sinceMicros(String value) {
        try {
            return new java.math.BigDecimal(value).movePointRight(3)
                    .setScale(0, java.math.RoundingMode.FLOOR).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("since must be epoch milliseconds, was '" + value + "'");
        }
    }

    private static double number(String name, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, was '" + value + "'");
        }
    }

    /** The JSON answer for {@code channel}, {@code nowMicros} being the wall clock's now. */
    public String answer(String channel, ChannelHistory history, long nowMicros) {
        long after = Math.max(sinceMicros, nowMicros - window.seconds * 1_000_000L);
        StringBuilder sb = new StringBuilder(64 + points * 24);
        sb.append("{\"channel\":\"").append(channel).append("\",\"window\":\"").append(window.wire)
                .append("\",\"resolution\":\"").append(window.raw ? "raw" : "minute").append("\",");
        if (window.raw) {
            history.writeRaw(sb, after, points);
        } else {
            history.writeMinutes(sb, after, points);
        }
        return sb.append('}').toString();
    }
}

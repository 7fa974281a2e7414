package io.sensorcast.testing;

import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * "The server recovered by itself": after a fault, the loop's connection count and the hub's
 * monitor count return to what the test still holds open, /healthz answers 200 and says so, and
 * /metrics' gauges agree. (The /healthz and /metrics requests count themselves: one more connection.)
 */
public final class Baseline {

    private Baseline() {}

    /** Waits up to {@code seconds} for {@code connections} open connections and {@code monitors} monitors. */
    public static void await(TestServer server, int connections, int monitors, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        int[] now = counts(server);
        while (now[0] != connections || now[1] != monitors) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("after " + seconds + " s the server still has " + now[0] + " connections and "
                        + now[1] + " monitors; expected " + connections + " and " + monitors);
            }
            Thread.sleep(20);
            now = counts(server);
        }
        RawHttp.Response health = RawHttp.get(server.port(), "/healthz");
        if (health.status() != 200) {
            throw new AssertionError("/healthz: " + health);
        }
        expect("/healthz connections", connections + 1, number(health.text(), "\"connections\":(\\d+)"));
        expect("/healthz monitors", monitors, number(health.text(), "\"monitors\":(\\d+)"));
        RawHttp.Response metrics = RawHttp.get(server.port(), "/metrics");
        if (metrics.status() != 200) {
            throw new AssertionError("/metrics: " + metrics);
        }
        expect("sensorcast_connections_open", connections + 1,
                number(metrics.text(), "(?m)^sensorcast_connections_open (\\d+)"));
        expect("sensorcast_monitors_connected", monitors,
                number(metrics.text(), "(?m)^sensorcast_monitors_connected (\\d+)"));
    }

    private static int[] counts(TestServer server) throws Exception {
        return server.onLoop(() -> new int[] {
            server.service().loop().connectionCount(), server.service().hub().monitorCount()});
    }

    private static void expect(String what, long expected, long actual) {
        if (expected != actual) {
            throw new AssertionError(what + ": expected " + expected + ", was " + actual);
        }
    }

    private static long number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new AssertionError("no " + regex + " in " + text);
        }
        return Long.parseLong(m.group(1));
    }
}

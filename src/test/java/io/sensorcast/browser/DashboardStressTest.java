package io.sensorcast.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.hub.Hub;
import io.sensorcast.hub.Sample;
import io.sensorcast.sensor.Sensor;
import io.sensorcast.testing.Browser;
import io.sensorcast.testing.TestSensors;
import io.sensorcast.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;

/**
 * The stress page: 20 simulated channels at 10 Hz, each with a full hour of raw samples and seven
 * days of minute aggregates in the hub, watched live for 60 s. Frame times and JS heap are recorded
 * and printed, not asserted (they depend on the machine); what is asserted is that the page kept
 * up and that the server held it all in the test JVM's 64 MiB heap.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DashboardStressTest {

    private static final int CHANNELS = 20;
    private static final double RATE = 10;
    private static final long RUN_SECONDS = 60;

    // Per test, not per class: each test is then reported as skipped, with the reason.
    @BeforeEach
    void needsChromium() {
        Browser.assumeInstalled();
    }

    /** An hour of 10 Hz raw samples and 7 days of one-per-minute samples, ending now, per channel. */
    private static void prefill(TestServer server, List<String> ids) throws Exception {
        server.onLoop(() -> {
            Hub hub = server.service().hub();
            long now = System.currentTimeMillis() * 1000;
            long hour = TimeUnit.HOURS.toMicros(1);
            for (String id : ids) {
                long seq = 1;
                for (long t = now - TimeUnit.DAYS.toMicros(7); t < now - hour; t += 60_000_000L) {
                    hub.onSample(new Sample(id, seq++, t, 20 + 5 * Math.sin(t / 3.6e9)));
                }
                for (long t = now - hour; t < now; t += 100_000L) {
                    hub.onSample(new Sample(id, seq++, t, 20 + 5 * Math.sin(t / 3.6e9)));
                }
            }
            return null;
        });
    }

    @Test
    void twentyChannelsAtTenHertzForAMinute() throws Exception {
        List<Sensor> sensors = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < CHANNELS; i++) {
            String id = String.format("sim%02d", i);
            sensors.add(TestSensors.sine(id, "Simulated " + i, "V", RATE));
            ids.add(id + ".sine");
        }
        try (TestServer server = TestServer.start(sensors); Browser browser = Browser.start()) {
            prefill(server, ids);
            int raw = server.onLoop(() -> server.service().hub().channel(ids.get(0)).history().rawSize());
            int minutes = server.onLoop(() -> server.service().hub().channel(ids.get(0)).history().aggregateSize());
            System.gc();
            Runtime rt = Runtime.getRuntime();
            long serverHeap = rt.totalMemory() - rt.freeMemory();

            browser.driver().get("http://127.0.0.1:" + server.port() + "/");
            browser.waitFor("cards", Duration.ofSeconds(15), "document.querySelectorAll('.card').length === " + CHANNELS);
            browser.driver().findElement(By.xpath("//label[normalize-space()='1 h']")).click();
            browser.waitFor("1 h history on every card", Duration.ofSeconds(30),
                    "[...document.querySelectorAll('.card')].every(c => c.dataset.history === 'loaded' && +c.dataset.points > 500)");

            // Frame times from requestAnimationFrame, heap from performance.memory (Chromium).
            browser.js("window.__frames = []; let last = performance.now();"
                    + "const tick = (t) => { window.__frames.push(t - last); last = t;"
                    + " if (window.__frames.length < 100000) requestAnimationFrame(tick); };"
                    + "requestAnimationFrame(tick);"
                    + "window.__heapStart = performance.memory.usedJSHeapSize;"
                    + "window.__samplesStart = window.sensorcast.stats.samples;");
            Thread.sleep(TimeUnit.SECONDS.toMillis(RUN_SECONDS)); // the run itself, not a wait for a condition
            @SuppressWarnings("unchecked")
            Map<String, Object> r = (Map<String, Object>) browser.js(
                    "const f = window.__frames.slice(1).sort((a, b) => a - b);"
                    + "const q = (p) => f[Math.min(f.length - 1, Math.floor(p * f.length))];"
                    + "const s = window.sensorcast.stats;"
                    + "return {frames: f.length, p50: q(0.5), p95: q(0.95), p99: q(0.99), max: f[f.length - 1],"
                    + " over50: f.filter(x => x > 50).length,"
                    + " heapStart: window.__heapStart, heapEnd: performance.memory.usedJSHeapSize,"
                    + " heapLimit: performance.memory.jsHeapSizeLimit,"
                    + " samples: s.samples - window.__samplesStart, flushes: s.flushes,"
                    + " flushMsAvg: s.flushMsTotal / s.flushes, flushMsMax: s.flushMsMax,"
                    + " points: Math.max(...[...document.querySelectorAll('.card')].map(c => +c.dataset.points))};");
            System.out.printf("stress: %d channels at %.0f Hz for %d s, 1 h window; hub per channel: %d raw points,"
                            + " %d minutes; server JVM heap used after prefill %.1f MiB of %.0f MiB%n",
                    CHANNELS, RATE, RUN_SECONDS, raw, minutes, serverHeap / 1048576.0, rt.maxMemory() / 1048576.0);
            System.out.printf("stress: frames %s, frame time p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms,"
                            + " frames over 50 ms %s%n", r.get("frames"), num(r, "p50"), num(r, "p95"), num(r, "p99"),
                    num(r, "max"), r.get("over50"));
            System.out.printf("stress: JS heap %.1f MiB at start, %.1f MiB after %d s (limit %.0f MiB);"
                            + " %s samples received, %s flushes, flush avg %.2f ms, max %.1f ms; most points in one chart %s%n",
                    num(r, "heapStart") / 1048576, num(r, "heapEnd") / 1048576, RUN_SECONDS,
                    num(r, "heapLimit") / 1048576, r.get("samples"), r.get("flushes"), num(r, "flushMsAvg"),
                    num(r, "flushMsMax"), r.get("points"));

            // What the loop paid for it: 20 history answers at open plus 200 samples/s to fan out.
            Map<String, Object> health = io.sensorcast.testing.Json.object(
                    io.sensorcast.testing.RawHttp.get(server.port(), "/healthz").text());
            long t0 = System.nanoTime();
            String big = io.sensorcast.testing.RawHttp.get(server.port(),
                    "/api/channels/" + ids.get(0) + "/history?window=1h&points=10000").text();
            long bigMicros = (System.nanoTime() - t0) / 1000;
            System.out.printf("stress: loop's slowest recent iteration %s ms; a 10,000-point 1 h history answer:"
                    + " %d bytes in %d µs round trip%n", ((Map<?, ?>) health.get("loop")).get("slowestRecentIterationMs"),
                    big.length(), bigMicros);

            // The page kept up: nearly every sample arrived (the rate is the sensors', not asserted
            // tightly), and the charts stayed bounded however many samples came.
            long expected = (long) (CHANNELS * RATE * RUN_SECONDS);
            assertTrue(((Number) r.get("samples")).longValue() > expected / 2,
                    "samples received: " + r.get("samples") + " of about " + expected);
            assertTrue(((Number) r.get("points")).intValue() <= 2000, "a chart holds at most 2 x 1000 points");
            assertEquals("live", browser.driver().findElement(By.id("conn")).getAttribute("data-state"));
        }
    }

    private static double num(Map<String, Object> r, String key) {
        return ((Number) r.get(key)).doubleValue();
    }
}

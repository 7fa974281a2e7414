package io.sensorcast.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.hub.Sample;
import io.sensorcast.sensor.Sensor;
import io.sensorcast.sensor.sim.SineSensor;
import io.sensorcast.testing.Browser;
import io.sensorcast.testing.TestSensors;
import io.sensorcast.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;

/**
 * A chart is redrawn only when what it shows changes by a pixel (issue 23): counted with the
 * page's redraw counter ({@code window.sensorcast.redraws(id)}, uPlot's draw hook), never timed.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ChartRedrawBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String WAVE = "wave.sine";
    private static final String TANK = "tank.level";
    private static final String DOOR = "door.open";

    @BeforeEach
    void needsChromium() {
        Browser.assumeInstalled();
    }

    /** 10 samples/s of a sine with a 1 s period: a few seconds of history hold its whole range. */
    private static Sensor fastWave() {
        return new SineSensor("wave", "Wave", "V", 10, 20, 5, 1);
    }

    private static String value(String channel) {
        return "document.querySelector('[data-channel=\"" + channel + "\"] .value').textContent";
    }

    private static long redraws(Browser browser, String channel) {
        return ((Number) browser.js("return window.sensorcast.redraws(arguments[0])", channel)).longValue();
    }

    private static void open(TestServer server, Browser browser, String window) {
        browser.driver().get("http://127.0.0.1:" + server.port() + "/");
        browser.waitFor("live", WAIT, "document.getElementById('conn').dataset.state === 'live'");
        browser.driver().findElement(By.xpath("//label[normalize-space()='" + window + "']")).click();
        browser.waitFor(window + " history loaded", WAIT, "[...document.querySelectorAll('.card')]"
                + ".every(c => c.dataset.history === 'loaded')");
    }

    private static void awaitServerSamples(TestServer server, String channel, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.onLoop(() -> server.service().hub().channel(channel).history().rawSize()) < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(channel + " never had " + n + " samples");
            }
            Thread.sleep(50);
        }
    }

    @Test
    void aChartWhoseAxisMovesLessThanAPixelIsNotRedrawnWhileItsValueTextFollowsEverySample() throws Exception {
        try (TestServer server = TestServer.start(List.of(fastWave())); Browser browser = Browser.start()) {
            // Three periods before the page opens: the history's minute already spans the sine's
            // whole range, so no live value lands outside what is drawn.
            awaitServerSamples(server, WAVE, 30);
            // 7 days across a few hundred pixels: about half an hour per pixel.
            open(server, browser, "7 d");
            browser.waitFor("a value", WAIT, value(WAVE) + " !== '–'");
            browser.waitFor("drawn once", WAIT, "window.sensorcast.redraws('" + WAVE + "') > 0");

            // Count the value text's changes while the page takes 30 samples (counted, not timed).
            browser.js("window.__texts = 0;"
                    + "new MutationObserver((ms) => { window.__texts += ms.length; })"
                    + ".observe(document.querySelector('[data-channel=\"wave.sine\"] .value'),"
                    + " { childList: true, characterData: true, subtree: true });"
                    + "window.__samples0 = window.sensorcast.stats.samples;");
            long before = redraws(browser, WAVE);
            browser.waitFor("30 more samples", WAIT, "window.sensorcast.stats.samples - window.__samples0 >= 30");
            long redrawn = redraws(browser, WAVE) - before;
            long texts = ((Number) browser.js("return window.__texts")).longValue();
            long samples = ((Number) browser.js("return window.sensorcast.stats.samples - window.__samples0")).longValue();
            System.out.printf("7 d window, 10 Hz: %d samples, %d value text changes, %d redraws%n", samples, texts, redrawn);

            // Two at most: the axis may cross a pixel boundary (half an hour each) meanwhile, and
            // one sample may land just past the drawn range (the once-per-sample page drew 30).
            assertTrue(redrawn <= 2, "the 7 d chart was redrawn " + redrawn + " times for " + samples
                    + " samples that moved its axis less than a pixel and stayed in its range");
            assertTrue(texts >= samples / 2, "the value text changed " + texts + " times for " + samples + " samples");
        }
    }

    @Test
    void aChartIsRedrawnWhenItsAxisMovesAPixelOrAValueLeavesWhatItShows() throws Exception {
        // door and tank read once at the start and then not for an hour: every later sample is the test's.
        List<Sensor> sensors = List.of(fastWave(),
                TestSensors.constant(DOOR, "Door", "", 0, Duration.ofHours(1)),
                TestSensors.constant(TANK, "Tank level", "cm", 80, Duration.ofHours(1)));
        try (TestServer server = TestServer.start(sensors); Browser browser = Browser.start()) {
            awaitServerSamples(server, TANK, 1);
            // The door was open a moment and shut again before the page came: its chart's range is 0 to 1.
            awaitServerSamples(server, DOOR, 1);
            inject(server, DOOR, 2, 1);
            inject(server, DOOR, 3, 0);
            open(server, browser, "5 min");
            browser.waitFor("the tank's value", WAIT, value(TANK) + ".startsWith('80')");

            // 5 minutes across a few hundred pixels: the axis moves a pixel about every second.
            long wave = redraws(browser, WAVE);
            browser.waitFor("the 5 min chart follows its axis", WAIT,
                    "window.sensorcast.redraws('" + WAVE + "') >= " + (wave + 3));

            // The door held 0 for more than a pixel of time (the axis moved since): an edge to 1
            // is drawn in the frame that shows it, not at the next pixel.
            long[] edge = drawsWhenShown(server, browser, DOOR, 4, 1);
            assertTrue(edge[1] > edge[0], "a step of a held value is drawn with its text: " + edge[0] + " -> " + edge[1]);

            browser.driver().findElement(By.xpath("//label[normalize-space()='7 d']")).click();
            browser.waitFor("7 d history", WAIT, "[...document.querySelectorAll('.card')]"
                    + ".every(c => c.dataset.history === 'loaded')");
            browser.waitFor("the tank drawn", WAIT, "window.sensorcast.redraws('" + TANK + "') > 0");

            // Far outside the drawn range: drawn with its text.
            long[] out = drawsWhenShown(server, browser, TANK, 2, 180);
            assertTrue(out[1] > out[0], "a value outside the drawn range is drawn with its text");

            // Inside what the newest column (half an hour) shows already: text only.
            long[] in = drawsWhenShown(server, browser, TANK, 3, 130);
            assertEquals(in[0], in[1], "a value inside the newest column is not drawn");
        }
    }

    /**
     * Injects a sample and returns the channel's redraw count before it and at the moment its value
     * text showed it (a MutationObserver reads the counter in the same task as the frame).
     */
    private static long[] drawsWhenShown(TestServer server, Browser browser, String channel, long seq, double v)
            throws Exception {
        browser.js("const id = arguments[0]; window.__shown = null;"
                + "const el = document.querySelector('[data-channel=\"' + id + '\"] .value');"
                + "const mo = new MutationObserver(() => { window.__shown = window.sensorcast.redraws(id); mo.disconnect(); });"
                + "mo.observe(el, { childList: true, characterData: true, subtree: true });", channel);
        long before = redraws(browser, channel);
        inject(server, channel, seq, v);
        browser.waitFor(channel + " shows " + v, WAIT, "window.__shown !== null");
        return new long[] {before, ((Number) browser.js("return window.__shown")).longValue()};
    }

    /** A sample with the given seq, handed to the hub on the loop as a sensor's would be. */
    private static void inject(TestServer server, String channel, long seq, double value) throws Exception {
        server.onLoop(() -> {
            server.service().hub().onSample(new Sample(channel, seq, System.currentTimeMillis() * 1000, value));
            return null;
        });
    }

    @Test
    void theSamplesOfOneMomentReachThePageInOneMessageAndEveryOneIsTaken() throws Exception {
        // Four devices at 10 Hz read on a common grid: their samples of a moment are written together.
        List<Sensor> four = List.of(TestSensors.sine("a", "A", "V", 10), TestSensors.sine("b", "B", "V", 10),
                TestSensors.sine("c", "C", "V", 10), TestSensors.sine("d", "D", "V", 10));
        try (TestServer server = TestServer.start(four); Browser browser = Browser.start()) {
            open(server, browser, "5 min");
            browser.js("window.__m0 = window.sensorcast.stats.messages; window.__s0 = window.sensorcast.stats.samples;");
            browser.waitFor("200 more samples", WAIT, "window.sensorcast.stats.samples - window.__s0 >= 200");
            long messages = ((Number) browser.js("return window.sensorcast.stats.messages - window.__m0")).longValue();
            long samples = ((Number) browser.js("return window.sensorcast.stats.samples - window.__s0")).longValue();
            // One message per sample without batches; with them about one per moment (4 samples) on a
            // quiet machine. A busy one wakes the sensor threads apart and splits some moments.
            assertTrue(messages * 5 <= samples * 4, messages + " messages for " + samples + " samples");
            Object missed = browser.js("return [...document.querySelectorAll('.card .missed')].filter((e) => !e.hidden).length");
            assertEquals(0L, ((Number) missed).longValue(), "no card counts a missed sample");
            for (String id : List.of("a.sine", "b.sine", "c.sine", "d.sine")) {
                browser.waitFor(id + " shows a value", WAIT, value(id) + " !== '–'");
            }
        }
    }
}

package io.sensorcast.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The dashboard's cost to the device that shows it (issue 23): sensorcast with 20 simulated
 * channels, its page in headless Chromium at 1280 x 800 with software rendering, 5-minute window.
 * What the page costs is the renderer's CPU, from /proc/PID/stat of Chromium's renderer
 * processes (utime + stime over the measured seconds); beside it the DevTools protocol's figures
 * (main-thread task time, layouts, style recalculations) and the page's own (samples, redraws).
 *
 * <p>{@code --browser-long} is the memory run: every bucket it collects garbage in the page and
 * prints JS heap, DOM nodes and listeners, then the slope of each over the run.
 */
final class BrowserCell {

    static final int CHANNELS = 20;
    static final int WIDTH = 1280;
    static final int HEIGHT = 800;
    static final double WARMUP_SECONDS = 10;

    /** How the page is looked at. */
    enum Variant {
        TOP("20 x 10 Hz, as opened (the top of the page)", 10, 0, false),
        ALL("20 x 10 Hz, every chart on screen (a 1280 x 1800 viewport)", 10, 1800, false),
        SCROLLED("20 x 10 Hz, scrolled to the last rows", 10, 0, true),
        SLOW("20 x 1 Hz, as opened", 1, 0, false),
        /** The floor under any page: the same 200 samples/s into a bare WebSocket, parsed and counted. */
        FLOOR("20 x 10 Hz into a bare WebSocket, no dashboard", 10, 0, false);

        final String description;
        final double rate;
        final int tallViewport;
        final boolean scrolled;

        Variant(String description, double rate, int tallViewport, boolean scrolled) {
            this.description = description;
            this.rate = rate;
            this.tallViewport = tallViewport;
            this.scrolled = scrolled;
        }

        static Variant byId(String id) {
            for (Variant v : values()) {
                if (v.name().equalsIgnoreCase(id)) {
                    return v;
                }
            }
            throw new IllegalArgumentException("unknown variant " + id + " (top, all, scrolled, slow, floor)");
        }
    }

    /** One measured window of one variant. */
    record Result(Variant variant, double seconds, int chartsOnScreen, double rendererCpu, double browserCpu,
                  double taskMsPerSecond, double scriptMsPerSecond, double renderMsPerSecond, double layoutsPerSecond, double stylesPerSecond, double samplesPerSecond,
                  double redrawsPerSecond, double messagesPerSecond, double heapMiB, double nodes, double listeners) {}

    private final Options options;
    private final Path work;

    BrowserCell(Options options, Path work) {
        this.options = options;
        this.work = work;
    }

    static String config(int port, double rate) {
        StringBuilder b = new StringBuilder("http.bind = 127.0.0.1\nhttp.port = " + port + "\nserver.name = bench\n");
        for (int i = 1; i <= CHANNELS; i++) {
            b.append(String.format(Locale.ROOT, "[device.sim%02d]%ntype = sim%nrate = %s%nname = Simulated %d%nunit = V%n",
                    i, rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate), i));
        }
        return b.toString();
    }

    int run() throws IOException, InterruptedException {
        if (!HeadlessChromium.installed()) {
            System.out.println("browser: " + HeadlessChromium.CHROMIUM + " is needed (apt-get install chromium)");
            return 1;
        }
        double seconds = options.secondsGiven ? options.seconds : 60;
        System.out.printf(Locale.ROOT, "browser: sensorcast from %s, %d sim channels, its page in headless Chromium"
                + " (--disable-gpu: software rendering), %d x %d, 5 min window; %.0f s warm-up, %.0f s measured%n",
                options.productJar, CHANNELS, WIDTH, HEIGHT, WARMUP_SECONDS, seconds);
        System.out.println("renderer CPU: utime+stime of Chromium's renderer processes over the window (% of one core);"
                + " browser: all of Chromium's processes; task, script, style+l(ayout):"
                + " ms per second of DevTools' TaskDuration, ScriptDuration, RecalcStyle+LayoutDuration");
        System.out.printf(Locale.ROOT, "%-58s %7s %9s %8s %8s %8s %8s %9s %8s %9s %9s %9s %8s %6s %6s%n", "variant", "charts",
                "renderer", "browser", "task/s", "script/s", "style+l/s", "layouts/s", "styles/s", "samples/s", "messages/s", "redraws/s",
                "heap MiB", "nodes", "lstnrs");
        boolean broken = false;
        for (Variant v : options.variants) {
            Result r = measure(v, seconds);
            if (r == null) {
                broken = true;
                continue;
            }
            System.out.printf(Locale.ROOT, "%-58s %7d %8.1f%% %7.1f%% %7.1f %8.1f %8.1f %9.1f %8.1f %9.1f %9s %9s %8.1f %6.0f %6.0f%n",
                    v.description, r.chartsOnScreen(), r.rendererCpu(), r.browserCpu(), r.taskMsPerSecond(), r.scriptMsPerSecond(),
                    r.renderMsPerSecond(),
                    r.layoutsPerSecond(), r.stylesPerSecond(), r.samplesPerSecond(), orDash(r.messagesPerSecond()),
                    orDash(r.redrawsPerSecond()),
                    r.heapMiB(), r.nodes(), r.listeners());
        }
        return broken ? 1 : 0;
    }

    private static String orDash(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }

    /** A server and a browser for one variant, both stopped after; null if either would not start. */
    private Result measure(Variant v, double seconds) throws IOException, InterruptedException {
        int port = CellRunner.freePort();
        Path config = work.resolve("browser-" + v.name().toLowerCase(Locale.ROOT) + ".conf");
        Files.writeString(config, config(port, v.rate));
        Path logs = options.out.resolve("logs");
        ServerProcess server = ServerProcess.start(
                ServerKind.SENSORCAST.arguments(options.productJar, null, config, port, v.rate), port,
                logs.resolve("browser-sensorcast-" + v.name().toLowerCase(Locale.ROOT) + ".log"));
        try {
            if (!server.awaitPort(20_000)) {
                System.out.println("browser: sensorcast did not start (see " + server.log() + ")");
                return null;
            }
            try (HeadlessChromium browser = HeadlessChromium.start(WIDTH, HEIGHT, logs.resolve("browser-chromium.log"))) {
                open(browser, port, v);
                Thread.sleep((long) (WARMUP_SECONDS * 1000));
                if (!options.profile) {
                    return window(browser, v, seconds);
                }
                List<Long> pids = browser.allPids();
                Map<String, Long> threads0 = RendererProfile.threadTicks(pids);
                long t0 = System.nanoTime();
                Result r = window(browser, v, seconds);
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.println("  " + v.name().toLowerCase(Locale.ROOT) + " threads (% of a core, the same window): "
                        + RendererProfile.threadLine(threads0, RendererProfile.threadTicks(pids), s));
                double profiled = Math.min(20, seconds);
                System.out.printf(Locale.ROOT, "  %s script self ms/s (a %.0f s Profiler run after the window): %s%n",
                        v.name().toLowerCase(Locale.ROOT), profiled,
                        RendererProfile.scriptLine(RendererProfile.script(browser, profiled), 14));
                return r;
            }
        } finally {
            server.stop();
        }
    }

    private static void open(HeadlessChromium browser, int port, Variant v) throws IOException, InterruptedException {
        browser.send("Performance.enable", "{}");
        if (v.tallViewport > 0) {
            browser.send("Emulation.setDeviceMetricsOverride", "{\"width\":" + WIDTH + ",\"height\":" + v.tallViewport
                    + ",\"deviceScaleFactor\":1,\"mobile\":false}");
        }
        if (v == Variant.FLOOR) {
            browser.send("Page.navigate", "{\"url\":\"http://127.0.0.1:" + port + "/healthz\"}");
            browser.waitFor("document.readyState === 'complete'", 10_000);
            browser.eval("window.__samples = 0; const w = new WebSocket('ws://' + location.host + '/ws');"
                    + "w.onopen = () => w.send(JSON.stringify({ type: 'subscribe', channels: '*' }));"
                    + "w.onmessage = (e) => { if (JSON.parse(e.data).type === 'sample') window.__samples++; }; true");
            return;
        }
        browser.send("Page.navigate", "{\"url\":\"http://127.0.0.1:" + port + "/\"}");
        if (!browser.waitFor("document.querySelectorAll('.card').length === " + CHANNELS
                + " && [...document.querySelectorAll('.card')].every((c) => c.dataset.history === 'loaded')", 30_000)) {
            throw new IOException("the page did not show " + CHANNELS + " cards with their history within 30 s");
        }
        if (v.scrolled) {
            // Room below the last row, then its row and the one before at the top of the window.
            browser.eval("document.body.style.paddingBottom = '100vh';"
                    + "const cards = document.querySelectorAll('.card');"
                    + "window.scrollTo(0, cards[cards.length - 3].getBoundingClientRect().top + scrollY - 8); true");
        }
    }

    private static final String ON_SCREEN = "[...document.querySelectorAll('.card')].filter((c) => {"
            + " const r = c.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; }).length";
    private static final String PAGE_STATS = "window.sensorcast ? { samples: window.sensorcast.stats.samples,"
            + " redraws: window.sensorcast.stats.redraws === undefined ? -1 : window.sensorcast.stats.redraws,"
            + " messages: window.sensorcast.stats.messages === undefined ? -1 : window.sensorcast.stats.messages }"
            + " : { samples: window.__samples, redraws: -1, messages: window.__samples }";

    @SuppressWarnings("unchecked")
    private static Result window(HeadlessChromium browser, Variant v, double seconds) throws IOException, InterruptedException {
        int onScreen = ((Number) browser.eval(ON_SCREEN)).intValue();
        List<Long> renderers = browser.rendererPids();
        List<Long> all = browser.allPids();
        Map<String, Double> m0 = browser.metrics();
        Map<String, Object> p0 = (Map<String, Object>) browser.eval(PAGE_STATS);
        long r0 = ticks(renderers);
        long a0 = ticks(all);
        long t0 = System.nanoTime();
        Thread.sleep((long) (seconds * 1000));
        long r1 = ticks(renderers);
        long a1 = ticks(all);
        double s = (System.nanoTime() - t0) / 1e9;
        Map<String, Double> m1 = browser.metrics();
        Map<String, Object> p1 = (Map<String, Object>) browser.eval(PAGE_STATS);
        double redraws = ((Number) p0.get("redraws")).doubleValue() < 0 ? Double.NaN
                : (((Number) p1.get("redraws")).doubleValue() - ((Number) p0.get("redraws")).doubleValue()) / s;
        double messages = ((Number) p0.get("messages")).doubleValue() < 0 ? Double.NaN
                : (((Number) p1.get("messages")).doubleValue() - ((Number) p0.get("messages")).doubleValue()) / s;
        return new Result(v, s, onScreen,
                percent(r1 - r0, s), percent(a1 - a0, s),
                (m1.get("TaskDuration") - m0.get("TaskDuration")) * 1000 / s,
                (m1.get("ScriptDuration") - m0.get("ScriptDuration")) * 1000 / s,
                (m1.get("LayoutDuration") - m0.get("LayoutDuration") + m1.get("RecalcStyleDuration")
                        - m0.get("RecalcStyleDuration")) * 1000 / s,
                (m1.get("LayoutCount") - m0.get("LayoutCount")) / s,
                (m1.get("RecalcStyleCount") - m0.get("RecalcStyleCount")) / s,
                (((Number) p1.get("samples")).doubleValue() - ((Number) p0.get("samples")).doubleValue()) / s,
                redraws, messages, m1.get("JSHeapUsedSize") / 1048576, m1.get("Nodes"), m1.get("JSEventListeners"));
    }

    private static long ticks(List<Long> pids) {
        long sum = 0;
        for (long pid : pids) {
            sum += HeadlessChromium.cpuTicks(pid);
        }
        return sum;
    }

    private static double percent(long ticks, double seconds) {
        return ticks / ProcessSnapshot.TICKS_PER_SECOND / seconds * 100;
    }

    /** The memory run: 20 x 10 Hz as opened, for {@code length}, a line per bucket, the slopes at the end. */
    int runLong(Duration length) throws IOException, InterruptedException {
        if (!HeadlessChromium.installed()) {
            System.out.println("browser: " + HeadlessChromium.CHROMIUM + " is needed (apt-get install chromium)");
            return 1;
        }
        Duration bucket = length.compareTo(Duration.ofHours(1)) >= 0 ? Duration.ofMinutes(10) : length.dividedBy(10);
        int port = CellRunner.freePort();
        Path config = work.resolve("browser-long.conf");
        Files.writeString(config, config(port, 10));
        Path logs = options.out.resolve("logs");
        System.out.printf(Locale.ROOT, "browser-long: %s, %d sim channels x 10 Hz, %d x %d, 5 min window, a line every %s"
                + " (JS heap after the page's garbage is collected: HeapProfiler.collectGarbage)%n",
                length, CHANNELS, WIDTH, HEIGHT, bucket);
        ServerProcess server = ServerProcess.start(
                ServerKind.SENSORCAST.arguments(options.productJar, null, config, port, 10), port, logs.resolve("browser-long-sensorcast.log"));
        List<double[]> rows = new ArrayList<>();
        try {
            if (!server.awaitPort(20_000)) {
                System.out.println("browser-long: sensorcast did not start (see " + server.log() + ")");
                return 1;
            }
            try (HeadlessChromium browser = HeadlessChromium.start(WIDTH, HEIGHT, logs.resolve("browser-long-chromium.log"))) {
                open(browser, port, Variant.TOP);
                System.out.printf(Locale.ROOT, "%8s %12s %7s %10s %9s %9s %9s%n", "minutes", "heap MiB", "nodes",
                        "listeners", "renderer", "redraws/s", "samples/s");
                long start = System.nanoTime();
                long end = start + length.toNanos();
                while (System.nanoTime() < end && server.alive()) {
                    Result r = window(browser, Variant.TOP, Math.min(bucket.toMillis(), (end - System.nanoTime()) / 1_000_000) / 1000.0);
                    browser.send("HeapProfiler.collectGarbage", "{}");
                    Map<String, Double> m = browser.metrics();
                    double minutes = (System.nanoTime() - start) / 60e9;
                    double[] row = {minutes, m.get("JSHeapUsedSize") / 1048576, m.get("Nodes"), m.get("JSEventListeners")};
                    rows.add(row);
                    System.out.printf(Locale.ROOT, "%8.1f %12.2f %7.0f %10.0f %8.1f%% %9s %9.1f%n", row[0], row[1], row[2], row[3],
                            r.rendererCpu(), Double.isNaN(r.redrawsPerSecond()) ? "-"
                                    : String.format(Locale.ROOT, "%.1f", r.redrawsPerSecond()), r.samplesPerSecond());
                }
                Object state = browser.eval("document.getElementById('conn').dataset.state");
                System.out.println("browser-long: the page's connection at the end: " + state);
            }
        } finally {
            server.stop();
        }
        if (rows.size() < 3) {
            System.out.println("browser-long: too few readings for a trend");
            return 1;
        }
        String[] names = {"JS heap after GC (MiB)", "DOM nodes", "listeners"};
        for (int col = 1; col <= 3; col++) {
            final int k = col;
            double slopePerHour = slope(rows, k) * 60;
            System.out.printf(Locale.ROOT, "browser-long: %s: first %.2f, last %.2f, min %.2f, max %.2f, slope %+.3f per hour%n",
                    names[k - 1], rows.get(0)[k], rows.get(rows.size() - 1)[k],
                    rows.stream().mapToDouble(r -> r[k]).min().orElse(0),
                    rows.stream().mapToDouble(r -> r[k]).max().orElse(0), slopePerHour);
        }
        return 0;
    }

    /** Least-squares slope of column k over column 0 (minutes). */
    static double slope(List<double[]> rows, int k) {
        double n = rows.size(), sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (double[] r : rows) {
            sx += r[0];
            sy += r[k];
            sxx += r[0] * r[0];
            sxy += r[0] * r[k];
        }
        double d = n * sxx - sx * sx;
        return d == 0 ? 0 : (n * sxy - sx * sy) / d;
    }
}

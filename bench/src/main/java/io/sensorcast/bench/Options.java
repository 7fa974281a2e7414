package io.sensorcast.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The runner's command line. */
final class Options {

    static final String USAGE = """
            usage: bench/run [options]
              --servers LIST     sensorcast,java-websocket,netty (default: all three)
              --scenarios LIST   fanout-100,fanout-1000,ceiling,idle,mqtt (default: all five; mqtt is
                                 sensorcast alone without and with MQTT, and needs mosquitto)
              --runs N           runs of each cell; the median is reported (default 3)
              --seconds S        measured seconds of each cell (default 10; idle measures 60)
              --quick            smoke test: 1 run, short cells, a short ladder (under 2 minutes)
              --ladder LIST      the ceiling's rates in samples/s, climbed in order, e.g. 300000,350000
              --soak DURATION    sensorcast only: churning monitors and a failing sensor, e.g. 30m, 2m
              --jfr              record sensorcast with JFR and print where it allocates per sample
              --browser          sensorcast's dashboard in headless Chromium: the renderer's CPU, 20 channels
                                 (--seconds per variant, default 60; not part of the default run or --quick)
              --variants LIST    with --browser: top,all,scrolled,slow,floor (default: all five)
              --profile          with --browser: above each variant's row, CPU per Chromium thread over the same
                                 window, then the page's script self time from a 20 s DevTools profile
              --browser-long DURATION  the dashboard for DURATION, e.g. 2h: JS heap, DOM nodes, listeners
              --out DIR          where results.json and the server logs go (default target/bench)
              --jar FILE         the sensorcast jar (default target/sensorcast.jar)
              --client-threads N selector threads of the load client, 1 or 2 (default 1)
            """;

    private static final List<String> VALUED = List.of(
            "--servers", "--scenarios", "--runs", "--seconds", "--ladder", "--soak", "--out", "--jar",
            "--client-threads", "--browser-long", "--variants");

    List<ServerKind> servers = List.of(ServerKind.values());
    List<Scenario> scenarios = List.of(Scenario.values());
    int runs = 3;
    double seconds = 10;
    boolean quick;
    /** Null: the default ladder (or the quick one). */
    List<Integer> ladder;
    boolean jfr;
    boolean browser;
    /** With --browser: where the renderer's time goes (RendererProfile). */
    boolean profile;
    /** Null: no long browser run. */
    Duration browserLong;
    boolean secondsGiven;
    List<BrowserCell.Variant> variants = List.of(BrowserCell.Variant.values());
    Duration soak;
    Path out = Path.of("target", "bench");
    Path productJar = Path.of("target", "sensorcast.jar");
    int clientThreads = 1;

    static Options parse(String[] args) {
        Options o = new Options();
        boolean runsGiven = false;
        boolean secondsGiven = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick" -> o.quick = true;
                case "--jfr" -> o.jfr = true;
                case "--browser" -> o.browser = true;
                case "--profile" -> o.profile = true;
                case "--help", "-h" -> throw new UsageException(null);
                default -> {
                    if (!VALUED.contains(a)) {
                        throw new UsageException("unknown option " + a);
                    }
                    if (i + 1 >= args.length) {
                        throw new UsageException("missing value after " + a);
                    }
                    String v = args[++i];
                    switch (a) {
                        case "--servers" -> o.servers = list(v, ServerKind::byId);
                        case "--scenarios" -> o.scenarios = list(v, Scenario::byId);
                        case "--runs" -> {
                            o.runs = positive(a, v);
                            runsGiven = true;
                        }
                        case "--seconds" -> {
                            o.seconds = positive(a, v);
                            secondsGiven = true;
                        }
                        case "--ladder" -> o.ladder = list(v, r -> positive(a, r));
                        case "--soak" -> o.soak = duration(a, v);
                        case "--browser-long" -> o.browserLong = duration(a, v);
                        case "--variants" -> o.variants = list(v, BrowserCell.Variant::byId);
                        case "--out" -> o.out = Path.of(v);
                        case "--jar" -> o.productJar = Path.of(v);
                        case "--client-threads" -> o.clientThreads = Math.min(2, positive(a, v));
                        default -> throw new UsageException("unknown option " + a);
                    }
                }
            }
        }
        o.secondsGiven = secondsGiven;
        if (o.quick) {
            o.runs = runsGiven ? o.runs : 1;
            o.seconds = secondsGiven ? o.seconds : 2;
        }
        return o;
    }

    /** The ceiling's rates, in the order they are climbed. */
    List<Integer> ladder() {
        return ladder != null ? ladder : quick ? Scenario.QUICK_LADDER : Scenario.LADDER;
    }

    double warmupSeconds() {
        return quick ? 1 : 3;
    }

    double idleSeconds() {
        return quick ? 3 : Math.max(60, seconds);
    }

    private interface Parser<T> {
        T parse(String s);
    }

    private static <T> List<T> list(String v, Parser<T> p) {
        List<T> out = new ArrayList<>();
        for (String s : v.split(",")) {
            if (!s.isBlank()) {
                try {
                    out.add(p.parse(s.trim()));
                } catch (IllegalArgumentException e) {
                    throw new UsageException(e.getMessage());
                }
            }
        }
        if (out.isEmpty()) {
            throw new UsageException("empty list: " + v);
        }
        return out;
    }

    private static int positive(String option, String v) {
        try {
            int n = Integer.parseInt(v);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UsageException(option + " takes a whole number above 0, not " + v);
    }

    /** 30m, 2m, 90s, 1h. */
    static Duration duration(String option, String v) {
        try {
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            Duration d = switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> null;
            };
            if (d != null && n > 0) {
                return d;
            }
        } catch (NumberFormatException | StringIndexOutOfBoundsException ignored) {
            // reported below
        }
        throw new UsageException(option + " takes a duration like 30m, 2m or 90s, not " + v);
    }

    /** A wrong command line: the message (or null for --help) and the usage. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}

package io.sensorcast.cli;

import io.sensorcast.alert.AlertEngine;
import io.sensorcast.alert.AlertSink;
import io.sensorcast.config.Settings;
import io.sensorcast.http.AccessGuard;
import io.sensorcast.http.HttpProtocol;
import io.sensorcast.http.HttpResponse;
import io.sensorcast.http.Routes;
import io.sensorcast.http.StaticFiles;
import io.sensorcast.hub.ChannelState;
import io.sensorcast.hub.CsvExport;
import io.sensorcast.hub.HistoryQuery;
import io.sensorcast.hub.Hub;
import io.sensorcast.hub.JsonWriter;
import io.sensorcast.hub.Metrics;
import io.sensorcast.hub.MonitorEndpoint;
import io.sensorcast.hub.MonitorMessages;
import io.sensorcast.config.MqttSettings;
import io.sensorcast.loop.EventLoop;
import io.sensorcast.mqtt.Discovery;
import io.sensorcast.mqtt.MqttClient;
import io.sensorcast.mqtt.MqttMetrics;
import io.sensorcast.mqtt.MqttOptions;
import io.sensorcast.mqtt.MqttPublisher;
import io.sensorcast.notify.Notifiers;
import io.sensorcast.notify.NotifyMetrics;
import io.sensorcast.sensor.Device;
import io.sensorcast.sensor.Sensor;
import io.sensorcast.sensor.SensorSet;
import io.sensorcast.ws.EchoEndpoint;
import io.sensorcast.ws.Handshake;
import io.sensorcast.ws.WebSocket;
import io.sensorcast.ws.WebSocketHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * The running server, put together: the loop, the hub, the routes and the sensor threads.
 * {@link #start()} and {@link #stop()} may be called from any thread.
 */
public final class Service {

    private static final TaggedLogger LOG = Logger.tag("main");
    /** An iteration this slow in the last 10-20 s means the loop was stuck: /healthz answers 503. */
    private static final long STUCK_NANOS = TimeUnit.SECONDS.toNanos(1);
    /**
     * No iteration completed for this long: the loop is stuck now (an idle loop completes one at
     * least every 1.5 s, when its housekeeping is due).
     */
    private static final long STALLED_NANOS = TimeUnit.SECONDS.toNanos(2);
    /**
     * How often the main thread looks at the loop ({@link #checkLoop()}): a stuck loop is said in
     * the log within two periods. Each look wakes the process; an idle board should wake rarely.
     */
    public static final long CHECK_PERIOD_MILLIS = 2_000;
    /** /healthz's longest gap covers the last this-many to twice-this-many checks (10-20 s). */
    private static final int GAP_WINDOW_CHECKS = 5;
    /** How often stale channels and hung reads are looked for. */
    private static final long WATCH_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** The dashboard's chart library, from its WebJar (pom.xml): only the two files the page loads. */
    static final String UPLOT_VERSION = "1.6.30";
    private static final Map<String, String> UPLOT_FILES = Map.of(
            "vendor/uPlot.iife.min.js", "META-INF/resources/webjars/uplot/" + UPLOT_VERSION + "/dist/uPlot.iife.min.js",
            "vendor/uPlot.min.css", "META-INF/resources/webjars/uplot/" + UPLOT_VERSION + "/dist/uPlot.min.css");

    private volatile Settings settings;
    private volatile Routes routes;
    private StaticFiles files;
    private final EventLoop loop;
    private final Hub hub;
    /** The board's model from the device tree, read once at the start; null when it does not say. */
    private final String board;
    private volatile SensorSet sensors;
    /** History on disk; null: memory only (history.dir none, or no usable directory). */
    private volatile io.sensorcast.history.HistoryStore history;
    /** The MQTT client and its publisher while mqtt.broker is set; loop thread (null: MQTT off). */
    private MqttPublisher mqtt;
    /** The [notify.*] notifiers and their worker: where the alert rules hand their notifications. */
    private final Notifiers notifiers = new Notifiers("sensorcast/" + Version.get());
    /** The alert rules at work; loop thread (null until the start has set them). */
    private AlertEngine alerts;
    /** Where the rules' firing, repeat and resolved go: the notifiers, unless a test hands another before the start. */
    private volatile AlertSink alertSink = notifiers;
    /** Replaced by a reload that changes http.token (its table of failures starts afresh then). */
    private volatile AccessGuard guard;
    private final long startedNanos = System.nanoTime();
    private volatile InetSocketAddress address;
    private final SystemdNotifier systemd;
    /** Main thread only (see {@link #checkLoop()}). */
    private boolean stallReported;
    private int checks;
    /**
     * What {@link #checkLoop()} saw from outside the loop, for /healthz: the age of the loop's last
     * completed iteration at the last check, and the largest such age in this and the previous
     * five checks' window. Written by the main thread, read on the loop.
     */
    private volatile long observedAgeNanos;
    private volatile long longestGapNanos;
    private volatile long longestGapInPreviousWindowNanos;

    /** A service of continuous, one-sensor devices (tests). */
    public Service(Settings settings, List<Sensor> sensors) throws java.io.IOException {
        this(settings, sensors.stream().map(Device::of).toList(), List.of());
    }

    /** @param resources closed after the sensor threads stopped (the Pi4J board) */
    public Service(Settings settings, List<Device> devices, List<AutoCloseable> resources) throws java.io.IOException {
        this(settings, devices, resources, SystemdNotifier.NONE);
    }

    /** @param systemd where READY=1, WATCHDOG=1 and STOPPING=1 go (systemd's notification socket) */
    public Service(Settings settings, List<Device> devices, List<AutoCloseable> resources, SystemdNotifier systemd)
            throws java.io.IOException {
        this.systemd = systemd;
        this.settings = settings;
        this.loop = new EventLoop(settings);
        this.board = io.sensorcast.sensor.system.BoardModel.of(settings.procfsRoot, settings.sysfsRoot);
        this.hub = new Hub(loop.owner(), settings.deviceName, Version.get(), board,
                settings.historyRawWindow, settings.historyAggregateWindow);
        this.loop.setMessageHandler(hub);
        this.sensors = new SensorSet(devices, loop, resources);
        this.guard = new AccessGuard(settings.accessToken);
    }

    /** Starts the loop, binds the port (failing here if it is taken) and starts the sensors. */
    public InetSocketAddress start() throws Exception {
        loop.start();
        sensors.register(hub);
        startHistory(settings);
        routes = routes(settings);
        files = new StaticFiles("web", UPLOT_FILES);
        try {
            address = listen(settings);
        } catch (java.io.IOException e) {
            loop.shutdown();
            throw e;
        }
        sensors.start();
        notifiers.configure(settings.notifiers);
        Settings first = settings;
        loop.submit(() -> {
            alerts = new AlertEngine(hub, AlertEngine.Clock.of(loop), first.deviceName, alertSink);
            alerts.setRules(first.alerts);
            alerts.start();
            return null;
        }).get(5, TimeUnit.SECONDS);
        startMqtt(settings, resolveMqtt(settings), Set.of());
        String status = status();
        loop.execute(() -> {
            loop.every(WATCH_PERIOD_NANOS, () -> {
                long now = System.nanoTime();
                hub.sweep(now);
                sensors.checkTimeouts(now);
            });
            // From the loop itself, so that systemd hears only what the loop can vouch for: READY=1
            // once it listens with the sensors started, and pings only while it runs its timers.
            systemd.send("READY=1\nSTATUS=" + status);
            long ping = systemd.watchdogPeriodNanos();
            if (ping > 0) {
                loop.every(ping, () -> systemd.send("WATCHDOG=1"));
            }
        });
        LOG.info("sensorcast {} listening on http://{}:{}/ ({} channels{}{})", Version.get(),
                settings.bind, address.getPort(),
                channelCount(sensors),
                settings.wsEcho ? ", /ws/echo on" : "",
                guard.enabled() ? ", access token required" : "");
        return address;
    }

    /**
     * Reads the history on disk back into the hub before anything is served or sampled, and hands
     * the writer every minute the hub finishes from then on. history.dir is read here only.
     */
    private void startHistory(Settings s) throws Exception {
        if (s.historyDir == null || s.historyDir.equals("none")) {
            return;
        }
        // The configured channels' own histories, filled in place on this thread: nothing samples
        // into them yet (the sensors start later) and the loop serves nothing before listen().
        Map<String, io.sensorcast.hub.ChannelHistory> stored = loop.submit(() -> {
            Map<String, io.sensorcast.hub.ChannelHistory> own = new java.util.HashMap<>();
            hub.channels().forEach(c -> own.put(c.info().id(), c.history()));
            return own;
        }).get(5, TimeUnit.SECONDS);
        io.sensorcast.history.HistoryStore store = io.sensorcast.history.HistoryStore.open(
                java.nio.file.Path.of(s.historyDir), s.historyFlushInterval, s.historyAggregateWindow,
                System.currentTimeMillis(), stored);
        if (store == null) {
            return;
        }
        loop.submit(() -> {
            hub.adopt(stored);
            hub.setMinuteListener(store::minuteFinished);
            return null;
        }).get(5, TimeUnit.SECONDS);
        history = store;
    }

    /** Where history is kept on disk, or null (memory only). */
    public java.nio.file.Path historyDir() {
        io.sensorcast.history.HistoryStore h = history;
        return h == null ? null : h.path();
    }

    /** Each connection reads the routes and settings current when it was accepted. */
    private InetSocketAddress listen(Settings s) throws Exception {
        try {
            return loop.listen(new InetSocketAddress(s.bind, s.port),
                    c -> new HttpProtocol(routes, files, settings, guard)).get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            throw new java.io.IOException("cannot listen on " + s.bind + ":" + s.port + ": " + cause.getMessage(), cause);
        }
    }

    /**
     * Applies a new, already validated configuration without dropping a monitor: a new address is
     * bound first (if that fails, nothing changes and the reason is thrown); then limits and routes
     * apply to new connections, the devices are restarted from the new configuration, and the hub
     * reconciles its channels (kept ones keep their history) and sends monitors the new list.
     * One reload at a time; call it from one thread (the main thread handles SIGHUP).
     */
    public synchronized void reload(Settings next, List<Device> devices, List<AutoCloseable> resources) throws Exception {
        Settings previous = settings;
        InetSocketAddress oldAddress = address;
        boolean rebind = !next.bind.equals(previous.bind) || next.port != previous.port;
        if (rebind) {
            address = listen(next);
        }
        settings = next;
        loop.updateSettings(next);
        if (!next.accessToken.equals(previous.accessToken)) {
            // New connections need the new token; connected monitors stay (a restart drops them).
            guard = new AccessGuard(next.accessToken);
        }
        routes = routes(next);
        if (rebind) {
            loop.closeListener(oldAddress).get(5, TimeUnit.SECONDS);
        }
        SensorSet old = sensors;
        try {
            old.detach(hub); // on the loop, first: from now on the hub's demand no longer reaches the old set
        } catch (Exception e) {
            // A loop too busy to take the task in 5 s: stop closes the old set anyway, so no old
            // thread starts; the reload goes on rather than leave old and new half-swapped.
            LOG.warn("reload: could not detach the old devices on the loop ({}); stopping them anyway", e.toString());
        }
        old.stop(Duration.ofMillis(1500));
        SensorSet fresh = new SensorSet(devices, loop, resources);
        fresh.register(hub);
        sensors = fresh;
        fresh.start();
        // After the new channels: a rule that did not change keeps its state; see AlertEngine.setRules.
        loop.submit(() -> {
            alerts.setRules(next.alerts);
            return null;
        }).get(5, TimeUnit.SECONDS);
        if (!next.mqtt.equals(previous.mqtt) || !next.deviceName.equals(previous.deviceName)) {
            MqttOptions nextOptions = resolveMqtt(next);
            Set<String> handOver = stopMqtt(next, nextOptions);
            startMqtt(next, nextOptions, handOver);
        } else {
            Set<String> events = eventChannels(fresh);
            loop.execute(() -> {
                if (mqtt != null) {
                    mqtt.setEventChannels(events);
                }
            });
        }
        notifiers.configure(next.notifiers); // unchanged ones keep their queue; token files read again
        LOG.info("configuration reloaded: {} devices, {} channels{}", devices.size(),
                channelCount(fresh),
                rebind ? ", now on " + next.bind + ":" + address.getPort() : "");
    }

    /**
     * Main thread: resolves the broker's name and reads the password file here (the loop must not
     * block). Null when MQTT is off, or on a failure, which leaves MQTT off until a reload, and says why.
     */
    private static MqttOptions resolveMqtt(Settings s) {
        if (!s.mqtt.enabled()) {
            return null;
        }
        try {
            return mqttOptions(s);
        } catch (java.io.IOException e) {
            LOG.error("MQTT is off until the configuration is fixed and reloaded: {}", e.getMessage());
            return null;
        }
    }

    /**
     * Main thread: starts the client and the publisher on the loop ({@code options} null: MQTT
     * stays off). {@code clear}: retained topics of the previous configuration, on the same broker,
     * that the previous client could not empty; the new one empties them when it connects.
     */
    private void startMqtt(Settings s, MqttOptions options, Set<String> clear) throws Exception {
        if (options == null) {
            return;
        }
        MqttSettings m = s.mqtt;
        Set<String> events = eventChannels(sensors);
        loop.submit(() -> {
            MqttClient client = MqttClient.start(loop, options);
            client.clearLater(clear);
            MqttPublisher p = new MqttPublisher(loop, hub, client, m.publishInterval(), events, discovery(s));
            p.start();
            if (alerts != null) {
                p.watchAlerts(alerts);
            }
            mqtt = p;
            return null;
        }).get(5, TimeUnit.SECONDS);
        LOG.info("MQTT: publishing to {} under {}{}", m.brokerName(), options.topicPrefix(),
                m.discovery() ? ", with Home Assistant discovery under " + m.discoveryPrefix() : "");
    }

    private Discovery discovery(Settings s) {
        MqttSettings m = s.mqtt;
        return m.discovery()
                ? new Discovery(m.discoveryPrefix(), MqttSettings.safe(s.deviceName), s.deviceName, board, Version.get(),
                        m.topicPrefix(s.deviceName), expireAfter(m))
                : null;
    }

    /** Tests: the alert rules' notifications go to {@code sink} instead of the notifiers; before {@link #start()} or later. */
    public void setAlertSink(AlertSink sink) {
        alertSink = sink;
        loop.execute(() -> {
            if (alerts != null) {
                alerts.setSink(sink);
            }
        });
    }

    /** Loop thread: the alert rules at work (null before the start). */
    public AlertEngine alerts() {
        loop.owner().check();
        return alerts;
    }

    /** Loop thread: the MQTT client while MQTT is on, else null (tests look at its connection's queue). */
    public MqttClient mqttClient() {
        loop.owner().check();
        return mqtt == null ? null : mqtt.client();
    }

    /**
     * Main thread, on a reload that changes mqtt.*: the old client empties its retained topics that
     * the next configuration will not publish on the same broker (all of them when the broker
     * changes or MQTT goes off: a moved prefix or discovery prefix would otherwise leave ghost
     * entities in Home Assistant), says offline unless its status is among them, disconnects and
     * stays down. Waits (at most 3 s) until the old broker has read it all, so that nothing of it
     * can overtake the new client's first states. Returns the topics it could not empty because it
     * was not connected, when the next client goes to the same broker (that one empties them);
     * on another broker they stay, and the log says so.
     */
    private Set<String> stopMqtt(Settings next, MqttOptions nextOptions) throws Exception {
        record Stopped(java.util.concurrent.CompletableFuture<Void> closed, Set<String> handOver) {}
        Stopped stopped = loop.submit(() -> {
            if (mqtt == null) {
                return new Stopped(java.util.concurrent.CompletableFuture.completedFuture(null), Set.<String>of());
            }
            MqttClient old = mqtt.client();
            Set<String> clear = old.retainedTopics();
            // The same broker by name, or by address (a name for the same IP): a name that did not
            // resolve this time is no reason to empty every topic and entity.
            boolean sameBroker = next.mqtt.enabled() && (next.mqtt.brokerName().equals(old.options().brokerName())
                    || nextOptions != null && nextOptions.broker().equals(old.options().broker()));
            if (sameBroker) {
                clear.removeAll(MqttPublisher.retainedTopics(next.mqtt.topicPrefix(next.deviceName), discovery(next), hub.channels()));
            }
            mqtt.close();
            mqtt = null;
            boolean said = old.stop(clear);
            Set<String> handOver = Set.of();
            if (!said && !clear.isEmpty()) {
                if (sameBroker) {
                    handOver = clear;
                } else if (old.publishedTotal() > 0) { // it had reached that broker: something is left there
                    LOG.warn("MQTT: not connected to {}, so its {} retained topics under {} stay there (empty them with"
                            + " mosquitto_pub -r -n -t TOPIC, or delete the device in Home Assistant)",
                            old.options().brokerName(), clear.size(), old.options().topicPrefix());
                }
            }
            return new Stopped(old.closed(), handOver);
        }).get(5, TimeUnit.SECONDS);
        try {
            stopped.closed().get(3, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            LOG.warn("MQTT: the old broker connection did not close within 3 s; going on");
        }
        return stopped.handOver();
    }

    /** Home Assistant's expire_after: three publish intervals, and never under ten minutes (slow devices). */
    private static Duration expireAfter(MqttSettings m) {
        Duration three = m.publishInterval().multipliedBy(3);
        return three.compareTo(Duration.ofMinutes(10)) > 0 ? three : Duration.ofMinutes(10);
    }

    static MqttOptions mqttOptions(Settings s) throws java.io.IOException {
        MqttSettings m = s.mqtt;
        java.net.InetAddress address;
        try {
            address = java.net.InetAddress.getByName(m.host());
        } catch (java.net.UnknownHostException e) {
            throw new java.io.IOException("cannot resolve the broker's host name '" + m.host() + "' (mqtt.broker)", e);
        }
        byte[] password = null;
        if (m.passwordFile() != null) {
            try {
                List<String> lines = java.nio.file.Files.readAllLines(m.passwordFile());
                password = (lines.isEmpty() ? "" : lines.get(0)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                throw new java.io.IOException("cannot read mqtt.password_file " + m.passwordFile() + ": " + e.getMessage(), e);
            }
        } else if (!m.password().isEmpty()) {
            password = m.password().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        String user = m.username().isEmpty() ? null : m.username();
        long keepalive = Math.min(0xFFFF, m.keepalive().toSeconds());
        return new MqttOptions(new InetSocketAddress(address, m.port()), m.brokerName(), m.clientId(s.deviceName), user,
                user == null ? null : password, (int) keepalive, m.topicPrefix(s.deviceName), m.qos());
    }

    /** Channels whose samples are events as they happen (GPIO inputs): published at once. */
    private static Set<String> eventChannels(SensorSet set) {
        Set<String> ids = new java.util.HashSet<>();
        for (var t : set.threads()) {
            if (t.sensor() instanceof io.sensorcast.sensor.EventSensor) {
                t.sensor().channels().forEach(c -> ids.add(c.id()));
            }
        }
        return ids;
    }

    private static int channelCount(SensorSet set) {
        return set.threads().stream().mapToInt(t -> t.sensor().channels().size()).sum();
    }

    /** For systemctl status: where it listens and how many channels it serves. */
    public String status() {
        return "listening on http://" + settings.bind + ":" + address.getPort() + "/, "
                + channelCount(sensors) + " channels";
    }

    /** Where READY=1, RELOADING=1 and STOPPING=1 go. */
    public SystemdNotifier systemd() {
        return systemd;
    }

    /** Any thread: the loop completed an iteration in the last few seconds and has not failed. */
    public boolean loopAlive() {
        return alive(loop.stats().lastIterationAgeNanos());
    }

    private boolean alive(long iterationAgeNanos) {
        return loop.failure() == null && iterationAgeNanos < STALLED_NANOS;
    }

    /**
     * Main thread, every {@link #CHECK_PERIOD_MILLIS}: from outside the loop, notes how long ago it completed an
     * iteration (for /healthz), and says in the log when it stops completing them (a stuck loop
     * cannot say so itself) and when it runs again.
     */
    public void checkLoop() {
        long age = loop.stats().lastIterationAgeNanos();
        observedAgeNanos = age;
        if (++checks % GAP_WINDOW_CHECKS == 0) {
            longestGapInPreviousWindowNanos = longestGapNanos;
            longestGapNanos = age;
        } else if (age > longestGapNanos) {
            longestGapNanos = age;
        }
        if (age >= STALLED_NANOS && !stallReported) {
            stallReported = true;
            LOG.warn("the event loop has completed no iteration for {} s: it is stuck{}",
                    TimeUnit.NANOSECONDS.toSeconds(age), systemd.watchdogPeriodNanos() > 0
                            ? "; systemd's watchdog restarts the service if it stays so" : "");
        } else if (age < STALLED_NANOS && stallReported) {
            stallReported = false;
            LOG.info("the event loop runs again");
        }
    }

    /** Monitors get close 1001, sensor threads end; returns within about 1.5 s. */
    public void stop() throws InterruptedException {
        systemd.send("STOPPING=1");
        io.sensorcast.history.HistoryStore h = history;
        Map<String, io.sensorcast.hub.ChannelHistory> rings = null;
        if (h != null) {
            try {
                rings = loop.submit(hub::historiesForStop).get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("history: could not reach the loop for the raw hour ({}); it is not kept", e.toString());
            }
        }
        loop.shutdown();
        sensors.stop(Duration.ofMillis(500));
        boolean ended = loop.awaitTermination(1500, TimeUnit.MILLISECONDS);
        if (!ended) {
            LOG.warn("event loop did not stop in time");
        }
        if (h != null) {
            // After the loop: every minute it finished is queued, and its rings no longer change
            // (read only if it ended). The raw hour is written straight from them.
            h.stop(ended ? rings : null);
        }
        notifiers.stop(Duration.ofMillis(500)); // after the loop: no rule hands it anything now
    }

    /**
     * Where the alert rules hand their notifications (loop thread; returns at once): the
     * notifiers of the current configuration, unless a test set another.
     */
    public AlertSink alertSink() {
        return alertSink;
    }

    /** The notifiers, for their counters. */
    public Notifiers notifiers() {
        return notifiers;
    }

    public EventLoop loop() {
        return loop;
    }

    public Hub hub() {
        return hub;
    }

    public SensorSet sensors() {
        return sensors;
    }

    public InetSocketAddress address() {
        return address;
    }

    private Routes routes(Settings settings) {
        Routes routes = new Routes();
        WebSocketHandler monitors = new MonitorEndpoint(hub, settings.maxMessageBytes);
        routes.get("/ws", (req, c) -> {
            int max = this.settings.maxMonitors; // the current settings: a reload may change the limit
            if (hub.monitorCount() >= max) {
                // 503, not a close after the upgrade: a browser sees the status and retries later.
                c.loop().warnLimited("max-monitors", c.peer() + ": refusing a monitor: " + max
                        + " are connected (limit ws.max_monitors)");
                return HttpResponse.text(503, "too many monitors (" + max + "); try again later")
                        .header("Retry-After", "10");
            }
            return upgrade(req, c, monitors);
        });
        if (settings.wsEcho) {
            WebSocketHandler echo = new EchoEndpoint(settings.echoMaxMessageBytes);
            routes.get("/ws/echo", (req, c) -> upgrade(req, c, echo));
        }
        routes.get("/api/channels", (req, c) -> {
            JsonWriter w = new JsonWriter();
            MonitorMessages.channels(w, hub.channels());
            return HttpResponse.json(200, w.toString());
        });
        routes.get("/api/channels/*", (req, c) -> history(req));
        routes.get("/api/history.csv", (req, c) -> historyCsv(req, null));
        routes.get("/api/alerts", (req, c) -> alerts == null ? jsonError(503, "starting")
                : HttpResponse.json(200, alerts.apiJson()));
        routes.get("/healthz", (req, c) -> health());
        AccessGuard access = guard;
        if (access.enabled()) {
            routes.add("/login", java.util.Set.of("POST"), (req, c) -> access.login(req, c.peer()));
            routes.add("/logout", java.util.Set.of("POST"), (req, c) -> access.logout());
        }
        Metrics metrics = new Metrics(loop, hub, Version.get(), startedNanos);
        metrics.setExtra(b -> {
            MqttMetrics.render(b, mqtt == null ? null : mqtt.client());
            NotifyMetrics.render(b, notifiers);
            if (alerts != null) {
                alerts.metrics(b);
            }
            io.sensorcast.history.HistoryStore h = history;
            if (h != null) {
                h.metrics(b);
            }
        });
        routes.get("/metrics", (req, c) -> HttpResponse.of(200)
                .header("Content-Type", Metrics.CONTENT_TYPE)
                .header("Cache-Control", "no-store")
                .body(metrics.render().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return routes;
    }

    private HttpResponse upgrade(io.sensorcast.http.HttpRequest req, io.sensorcast.loop.Connection c, WebSocketHandler handler) {
        HttpResponse answer = Handshake.answer(req, settings.allowedOrigins);
        if (answer.status() == 101) {
            answer.afterQueued(() -> WebSocket.upgrade(c, handler, settings));
        }
        return answer;
    }

    /** {@code /api/channels/{id}/history?window=…}: runs on the loop, bounded by {@link HistoryQuery#MAX_POINTS}. */
    private HttpResponse history(io.sensorcast.http.HttpRequest req) {
        String rest = req.path().substring("/api/channels/".length());
        int slash = rest.indexOf('/');
        if (slash >= 0 && rest.substring(slash).equals("/history.csv")) {
            return historyCsv(req, rest.substring(0, slash));
        }
        if (slash < 0 || !rest.substring(slash).equals("/history")) {
            return jsonError(404, "no such resource; try /api/channels/{id}/history?window=1h");
        }
        String id = rest.substring(0, slash);
        Hub.Channel ch = hub.channel(id);
        if (ch == null) {
            return jsonError(404, "no channel '" + id + "'");
        }
        HistoryQuery q;
        try {
            q = HistoryQuery.parse(req.query());
        } catch (IllegalArgumentException e) {
            return jsonError(400, e.getMessage());
        }
        return HttpResponse.json(200, q.answer(id, ch.history(), System.currentTimeMillis() * 1000));
    }

    /**
     * {@code /api/channels/{id}/history.csv?window=…} ({@code id} given) and {@code /api/history.csv?window=…}
     * (every channel): the history as CSV ({@link CsvExport}), streamed as the peer reads it. The errors
     * are the JSON history's.
     */
    private HttpResponse historyCsv(io.sensorcast.http.HttpRequest req, String id) {
        if (id != null && hub.channel(id) == null) {
            return jsonError(404, "no channel '" + id + "'");
        }
        HistoryQuery q;
        try {
            q = HistoryQuery.parse(req.query());
        } catch (IllegalArgumentException e) {
            return jsonError(400, e.getMessage());
        }
        java.util.List<String> ids = new java.util.ArrayList<>();
        if (id != null) {
            ids.add(id);
        } else {
            hub.channels().forEach(ch -> ids.add(ch.info().id()));
        }
        CsvExport csv = new CsvExport(hub, ids, q, System.currentTimeMillis() * 1000);
        String file = CsvExport.fileName(hub.device(), id, q.window());
        return HttpResponse.streamed(200, "text/csv; charset=utf-8; header=present", csv::next)
                .header("Content-Disposition", "attachment; filename=\"" + file + "\"");
    }

    private static HttpResponse jsonError(int status, String message) {
        return HttpResponse.json(status, new JsonWriter().beginObject().name("error").value(message).endObject().toString());
    }

    /**
     * Served by the loop, so a loop that is stuck now does not answer at all (the caller's timeout
     * says it, and systemd's watchdog acts); what it tells afterwards, from the main thread's check
     * outside the loop, is whether the loop went without an iteration lately.
     */
    private HttpResponse health() {
        long slowest = loop.stats().slowestRecentIterationNanos();
        long gap = Math.max(longestGapNanos, longestGapInPreviousWindowNanos);
        boolean stuck = slowest > STUCK_NANOS || gap > STALLED_NANOS;
        Map<ChannelState, Integer> states = hub.countByState();
        JsonWriter w = new JsonWriter().beginObject()
                .name("status").value(stuck ? "stuck" : "ok")
                .name("version").value(Version.get());
        if (board != null) {
            w.name("board").value(board);
        }
        w.name("uptimeSeconds").value((System.nanoTime() - startedNanos) / 1_000_000_000L)
                .name("authRequired").value(guard.enabled())
                .name("loop").beginObject()
                .name("alive").value(alive(observedAgeNanos))
                .name("iterations").value(loop.stats().iterations())
                .name("lastIterationAgeMs").value(observedAgeNanos / 1e6)
                .name("longestRecentGapMs").value(gap / 1e6)
                .name("slowestRecentIterationMs").value(slowest / 1e6)
                .endObject()
                .name("inbox").beginObject()
                .name("depth").value(loop.wakeupChannel().depth())
                .name("capacity").value(loop.wakeupChannel().capacity())
                .name("refused").value(loop.wakeupChannel().refused())
                .endObject()
                .name("mqtt").value(mqtt == null ? "off" : mqtt.client().state().name().toLowerCase(java.util.Locale.ROOT))
                .name("monitors").value(hub.monitorCount())
                .name("connections").value(loop.connectionCount())
                .name("channels").beginObject();
        states.forEach((s, n) -> w.name(s.wireName()).value(n));
        w.endObject().endObject();
        return HttpResponse.json(stuck ? 503 : 200, w.toString());
    }
}

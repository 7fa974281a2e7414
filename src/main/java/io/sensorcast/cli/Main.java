package io.sensorcast.cli;

import io.sensorcast.config.Config;
import io.sensorcast.config.ConfigError;
import io.sensorcast.config.ConfigLoader;
import io.sensorcast.config.DeviceConfig;
import io.sensorcast.config.KeyTable;
import io.sensorcast.config.Values;
import io.sensorcast.config.Settings;
import io.sensorcast.sensor.Drivers;
import io.sensorcast.sensor.Sensor;
import java.io.PrintStream;
import java.util.List;
import java.util.ArrayList;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.tinylog.Logger;
import org.tinylog.provider.ProviderRegistry;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * {@code java -jar sensorcast.jar}: serves until SIGTERM or SIGINT and exits 0 after a clean stop;
 * 1 if the configuration is invalid, the server cannot start or its loop died; 2 for a wrong
 * command line. {@code check} validates the configuration without starting anything; {@code detect}
 * lists what the board offers and prints a configuration snippet (exit 0; 1 if the configuration
 * it reads is invalid).
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        flushLogs();
        System.exit(status);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cl;
        try {
            cl = CommandLine.parse(args);
        } catch (CommandLine.UsageException e) {
            err.println("sensorcast: " + e.getMessage() + " (try --help)");
            return 2;
        }
        switch (cl.action) {
            case HELP -> {
                out.print(CommandLine.USAGE);
                return 0;
            }
            case VERSION -> {
                out.println("sensorcast " + Version.get());
                return 0;
            }
            case KEYS -> {
                out.print(KeyTable.markdown());
                return 0;
            }
            default -> { }
        }
        ConfigLoader.Result loaded = ConfigLoader.load(cl.configFile, cl.configRequired);
        if (!loaded.ok()) {
            for (ConfigError e : loaded.errors()) {
                err.println(e);
            }
            err.println("sensorcast: " + count(loaded.errors().size(), "mistake") + " in the configuration; nothing changed");
            return 1;
        }
        Settings settings;
        try {
            settings = cl.apply(loaded.config().settings());
        } catch (CommandLine.UsageException e) {
            err.println("sensorcast: " + e.getMessage());
            return 1;
        }
        if (cl.action == CommandLine.Action.NOTIFY_TEST) {
            return io.sensorcast.notify.NotifyTestCommand.run(settings, cl.notifier, "sensorcast/" + Version.get(), out, err);
        }
        List<ConfigError> driverErrors = Drivers.validate(loaded.config().devices(), settings);
        if (!driverErrors.isEmpty()) {
            driverErrors.forEach(err::println);
            err.println("sensorcast: " + count(driverErrors.size(), "mistake") + " in the configuration; nothing changed");
            return 1;
        }
        if (cl.action == CommandLine.Action.CHECK) {
            printSummary(out, cl, loaded.config(), settings);
            return 0;
        }
        if (cl.action == CommandLine.Action.DETECT) {
            // Whatever it finds or misses, detection has done its job: missing hardware is a finding.
            DetectCommand.forThisMachine(settings, loaded.config(), cl.configFile).run(out);
            return 0;
        }
        return serve(cl, settings, Drivers.build(loaded.config().devices(), settings));
    }

    private static void printSummary(PrintStream out, CommandLine cl, Config config, Settings s) {
        out.println(config.files().isEmpty()
                ? "configuration OK: no file at " + cl.configFile + ", built-in defaults"
                : "configuration OK: " + String.join(", ", config.files()));
        out.println("server: http://" + s.bind + ":" + s.port + "/ as \"" + s.deviceName + "\""
                + (s.wsEcho ? ", /ws/echo on" : "")
                + (s.allowedOrigins.isEmpty() ? "" : ", extra origins " + String.join(" ", s.allowedOrigins))
                + (s.accessToken.isEmpty() ? "" : ", access token required"));
        out.println(count(config.devices().size(), "device") + ":");
        for (DeviceConfig d : config.devices()) {
            out.printf("  %s (%s, every %s, %s)%n", d.id(), d.type(), Values.format(d.interval()),
                    d.onDemand() ? "on demand" : "continuous");
            for (Sensor sensor : Drivers.create(d, s)) {
                sensor.channels().forEach(c -> out.printf("    %-32s %s%n", c.id(), c.unit()));
            }
        }
        if (!s.notifiers.isEmpty()) {
            out.println(count(s.notifiers.size(), "notifier") + ": "
                    + String.join(", ", s.notifiers.stream().map(Object::toString).toList()));
        }
        out.println(count(s.alerts.size(), "alert rule") + ":");
        for (io.sensorcast.alert.AlertRule r : s.alerts) {
            String origin = r.origin().startsWith("(") ? r.origin().substring(1, r.origin().length() - 1) : r.origin();
            out.printf("  %s: %s %s (%s, %s)%n", r.name(), String.join(", ", r.channels()), r.condition(), r.severity(), origin);
        }
    }

    private static String count(int n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }

    private static int serve(CommandLine cl, Settings settings, Drivers.Built built) {
        // sun.misc.Signal rather than a shutdown hook: with a hook the JVM exits 143 on SIGTERM,
        // and the stop would race the JVM's own teardown. Here we stop cleanly, then exit 0.
        // Installed before start(): once the port accepts, a stop may come at any moment, and a
        // SIGTERM that arrived before the handlers would kill the JVM the default way (exit 143).
        // The handlers only queue; this thread does the work, one signal at a time.
        BlockingQueue<String> signals = new LinkedBlockingQueue<>();
        listen(signals, "TERM", "stop");
        listen(signals, "HUP", "reload");
        // Ctrl-C. A script's background job starts with SIGINT ignored, where no one presses it:
        // no warning then.
        Signal.handle(new Signal("INT"), sig -> signals.add("stop"));
        if (settings.historyDir == null) {
            java.nio.file.Path dir = io.sensorcast.history.HistoryStore.defaultDir(System.getenv());
            settings = settings.toBuilder().historyDir(dir == null ? "none" : dir.toString()).build();
            if (dir == null) {
                Logger.tag("history").warn("history: no state directory (STATE_DIRECTORY, XDG_STATE_HOME and HOME are unset);"
                        + " history is kept in memory only and lost at a restart (set history.dir)");
            }
        }
        Service service;
        try {
            SystemdNotifier systemd = SystemdNotifier.fromEnvironment(System.getenv(), ProcessHandle.current().pid());
            service = new Service(settings, built.devices(), built.resources(), systemd);
            service.start();
        } catch (Exception e) {
            Logger.tag("main").error("cannot start: {}", e.getMessage());
            return 1;
        }
        try {
            while (true) {
                String signal = signals.poll(Service.CHECK_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
                service.checkLoop();
                if (service.loop().failure() != null) {
                    Logger.tag("main").error("stopping: the event loop failed");
                    service.stop();
                    return 1;
                }
                if ("stop".equals(signal)) {
                    Logger.tag("main").info("stopping");
                    service.stop();
                    return 0;
                }
                if ("reload".equals(signal)) {
                    // System.nanoTime() is CLOCK_MONOTONIC on Linux, the clock systemd compares with.
                    service.systemd().send("RELOADING=1\nMONOTONIC_USEC=" + System.nanoTime() / 1000);
                    reload(cl, service);
                    service.systemd().send("READY=1\nSTATUS=" + service.status());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /**
     * Queues {@code action} when the signal comes. A signal this process was started with as
     * ignored (under nohup, SIGHUP) stays ignored: the JVM leaves it so and installs nothing. Then
     * a reload or a stop would do nothing without a word, so the log says why, once, at start.
     */
    private static void listen(BlockingQueue<String> signals, String name, String action) {
        if (Signal.handle(new Signal(name), sig -> signals.add(action)) == SignalHandler.SIG_IGN) {
            Logger.tag("main").warn("SIG{} was ignored when this process started (nohup does that to SIGHUP), "
                    + "so it cannot {} sensorcast; start it as the systemd unit", name, action);
        }
    }

    /**
     * SIGHUP (systemctl reload): the configuration is read and checked like `check` does; a valid
     * one is applied without dropping monitors, an invalid one is refused and each mistake logged.
     */
    private static void reload(CommandLine cl, Service service) {
        var log = Logger.tag("config");
        ConfigLoader.Result loaded = ConfigLoader.load(cl.configFile, cl.configRequired);
        List<ConfigError> errors = new ArrayList<>(loaded.errors());
        Settings settings = null;
        if (loaded.ok()) {
            try {
                settings = cl.apply(loaded.config().settings());
                errors.addAll(Drivers.validate(loaded.config().devices(), settings));
            } catch (CommandLine.UsageException e) {
                errors.add(new ConfigError("command line", 0, "", e.getMessage()));
            }
        }
        if (!errors.isEmpty()) {
            errors.forEach(e -> log.error("reload refused: {}", e));
            log.warn("reload refused: {}; the running configuration stays", count(errors.size(), "mistake"));
            return;
        }
        try {
            Drivers.Built built = Drivers.build(loaded.config().devices(), settings);
            service.reload(settings, built.devices(), built.resources());
        } catch (Exception e) {
            log.error("reload failed: {}", e.getMessage());
        }
    }

    private static void flushLogs() {
        try {
            ProviderRegistry.getLoggingProvider().shutdown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

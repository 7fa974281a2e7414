package io.sensorcast.cli;

import io.sensorcast.config.ConfigLoader;
import io.sensorcast.config.Settings;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * The command line: {@code sensorcast [run|check|detect|notify-test NAME] [options]}. Parsing is separate from acting on
 * it, so it is testable. Options given here override the configuration file.
 */
final class CommandLine {

    enum Action { RUN, CHECK, DETECT, NOTIFY_TEST, KEYS, HELP, VERSION }

    static final String USAGE = """
            usage: sensorcast [run] [options]     serve (the default)
                   sensorcast check [--config FILE]
                                                validate the configuration, print what would run;
                                                exit 0 if valid, 1 if not
                   sensorcast check --keys      print every configuration key with its default
                   sensorcast detect [--config FILE]
                                                list what this board offers (sensors, buses, access)
                                                and print a configuration snippet for conf.d;
                                                exit 0 (1 only if the configuration is invalid)
                   sensorcast notify-test NAME [--config FILE]
                                                send one test notification through [notify.NAME]
                                                (a phone's ntfy app, a webhook); exit 0 if the
                                                server accepted it, 1 if not

            Serves live sensor readings to browsers on the LAN: a dashboard on http://HOST:PORT/,
            the monitor stream on /ws, JSON on /api/channels and /healthz.

            options:
              --config FILE   configuration file (default /etc/sensorcast/sensorcast.conf, plus the
                              conf.d/*.conf beside it; built-in defaults if it does not exist)
              --port N        listen on port N (overrides http.port; default 8080)
              --bind ADDR     listen on this address (overrides http.bind; default 0.0.0.0)
              --ws-echo       enable the WebSocket echo endpoint /ws/echo (conformance tests)
              --sim-rate HZ   samples per second of the built-in simulated channel (default 1)
              --help          print this help and exit
              --version       print the version and exit
            """;

    /** A mistake on the command line: one line for the user, exit code 2. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    final Action action;
    final Path configFile;
    /** True when --config named the file: then it must exist. */
    final boolean configRequired;
    /** notify-test's NAME; null for the other commands. */
    final String notifier;
    private final UnaryOperator<Settings.Builder> overrides;

    private CommandLine(Action action, Path configFile, boolean configRequired, UnaryOperator<Settings.Builder> overrides) {
        this(action, configFile, configRequired, overrides, null);
    }

    private CommandLine(Action action, Path configFile, boolean configRequired, UnaryOperator<Settings.Builder> overrides,
                        String notifier) {
        this.notifier = notifier;
        this.action = action;
        this.configFile = configFile;
        this.configRequired = configRequired;
        this.overrides = overrides;
    }

    /** The configuration's settings with this command line's options applied on top. */
    Settings apply(Settings fromConfig) throws UsageException {
        try {
            return overrides.apply(fromConfig.toBuilder()).build();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    static CommandLine parse(String[] args) throws UsageException {
        Action action = Action.RUN;
        int i = 0;
        if (args.length > 0 && !args[0].startsWith("-")) {
            action = switch (args[0]) {
                case "run" -> Action.RUN;
                case "check" -> Action.CHECK;
                case "detect" -> Action.DETECT;
                case "notify-test" -> Action.NOTIFY_TEST;
                default -> throw new UsageException("unknown command '" + args[0] + "' (commands: run, check, detect, notify-test)");
            };
            i = 1;
        }
        Path config = ConfigLoader.DEFAULT_FILE;
        boolean required = false;
        UnaryOperator<Settings.Builder> overrides = b -> b;
        String notifier = null;
        if (action == Action.NOTIFY_TEST) {
            if (i >= args.length || args[i].startsWith("-")) {
                throw new UsageException("notify-test needs the notifier's name, as in [notify.NAME]");
            }
            notifier = args[i++];
        }
        for (; i < args.length; i++) {
            String arg = args[i];
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                value = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            switch (arg) {
                case "-h", "--help" -> {
                    return new CommandLine(Action.HELP, config, false, overrides);
                }
                case "-V", "--version" -> {
                    return new CommandLine(Action.VERSION, config, false, overrides);
                }
                case "--keys" -> {
                    if (action != Action.CHECK) {
                        throw new UsageException("--keys goes with check");
                    }
                    return new CommandLine(Action.KEYS, config, false, overrides);
                }
                case "--ws-echo" -> {
                    if (action == Action.CHECK || action == Action.DETECT || action == Action.NOTIFY_TEST) {
                        throw new UsageException(args[0] + " takes only --config");
                    }
                    if (value != null) {
                        throw new UsageException("--ws-echo takes no value");
                    }
                    overrides = then(overrides, b -> b.wsEcho(true));
                }
                case "--config", "--port", "--bind", "--sim-rate" -> {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new UsageException(arg + " needs a value");
                        }
                        value = args[++i];
                    }
                    if (arg.equals("--config")) {
                        config = Path.of(value);
                        required = true;
                    } else if (action == Action.CHECK || action == Action.DETECT || action == Action.NOTIFY_TEST) {
                        throw new UsageException(args[0] + " takes only --config");
                    } else {
                        overrides = then(overrides, override(arg, value));
                    }
                }
                default -> throw new UsageException(arg.startsWith("-")
                        ? "unknown option '" + arg + "'"
                        : "unexpected argument '" + arg + "'");
            }
        }
        CommandLine cl = new CommandLine(action, config, required, overrides, notifier);
        cl.apply(Settings.defaults()); // a bad value fails here, before any file is read
        return cl;
    }

    private static UnaryOperator<Settings.Builder> then(UnaryOperator<Settings.Builder> first, UnaryOperator<Settings.Builder> next) {
        return b -> next.apply(first.apply(b));
    }

    private static UnaryOperator<Settings.Builder> override(String option, String value) throws UsageException {
        switch (option) {
            case "--port" -> {
                int port;
                try {
                    port = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    port = -1;
                }
                if (port < 0 || port > 65_535) {
                    throw new UsageException("--port must be a number from 0 to 65535, not '" + value + "'");
                }
                int p = port;
                return b -> b.port(p);
            }
            case "--bind" -> {
                if (value.isBlank()) {
                    throw new UsageException("--bind needs an address");
                }
                return b -> b.bind(value);
            }
            case "--sim-rate" -> {
                double rate;
                try {
                    rate = Double.parseDouble(value);
                } catch (NumberFormatException e) {
                    rate = Double.NaN;
                }
                if (!(rate > 0) || rate > 1_000_000) {
                    throw new UsageException("--sim-rate must be a number above 0 and at most 1000000, not '" + value + "'");
                }
                double r = rate;
                return b -> b.simRate(r);
            }
            default -> throw new IllegalStateException(option);
        }
    }
}

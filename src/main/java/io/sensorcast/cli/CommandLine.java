package io.sensorcast.cli;

import io.sensorcast.config.Settings;

/**
 * The command line: {@code sensorcast [--port N] [--bind ADDR] [--ws-echo] [--sim-rate HZ]},
 * {@code --help}, {@code --version}. Parsing is separate from acting on it, so it is testable.
 */
final class CommandLine {

    enum Action { RUN, HELP, VERSION }

    static final String USAGE = """
            usage: sensorcast [options]

            Serves live sensor readings to browsers on the LAN: a dashboard on http://HOST:PORT/,
            the monitor stream on /ws, JSON on /api/channels and /healthz.

            options:
              --port N        listen on port N (default 8080)
              --bind ADDR     listen on this address (default 0.0.0.0, every interface)
              --ws-echo       enable the WebSocket echo endpoint /ws/echo (conformance tests)
              --sim-rate HZ   samples per second of the simulated channel sim.sine (default 1)
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
    final Settings settings;

    private CommandLine(Action action, Settings settings) {
        this.action = action;
        this.settings = settings;
    }

    static CommandLine parse(String[] args) throws UsageException {
        Settings.Builder b = Settings.builder();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                value = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            switch (arg) {
                case "-h", "--help" -> {
                    return new CommandLine(Action.HELP, null);
                }
                case "-V", "--version" -> {
                    return new CommandLine(Action.VERSION, null);
                }
                case "--ws-echo" -> {
                    if (value != null) {
                        throw new UsageException("--ws-echo takes no value");
                    }
                    b.wsEcho(true);
                }
                case "--port", "--bind", "--sim-rate" -> {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new UsageException(arg + " needs a value");
                        }
                        value = args[++i];
                    }
                    apply(b, arg, value);
                }
                default -> throw new UsageException(arg.startsWith("-")
                        ? "unknown option '" + arg + "'"
                        : "unexpected argument '" + arg + "'");
            }
        }
        try {
            return new CommandLine(Action.RUN, b.build());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static void apply(Settings.Builder b, String option, String value) throws UsageException {
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
                b.port(port);
            }
            case "--bind" -> {
                if (value.isBlank()) {
                    throw new UsageException("--bind needs an address");
                }
                b.bind(value);
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
                b.simRate(rate);
            }
            default -> throw new IllegalStateException(option);
        }
    }
}

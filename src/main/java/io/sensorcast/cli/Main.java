package io.sensorcast.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.tinylog.Logger;
import org.tinylog.provider.ProviderRegistry;
import sun.misc.Signal;

/**
 * {@code java -jar sensorcast.jar}: parses the command line, runs the service until SIGTERM or
 * SIGINT, and exits 0 after a clean stop (1 if the server could not start or its loop died;
 * 2 for a wrong command line).
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        CommandLine cl;
        try {
            cl = CommandLine.parse(args);
        } catch (CommandLine.UsageException e) {
            System.err.println("sensorcast: " + e.getMessage() + " (try --help)");
            return 2;
        }
        switch (cl.action) {
            case HELP -> {
                System.out.print(CommandLine.USAGE);
                return 0;
            }
            case VERSION -> {
                System.out.println("sensorcast " + Version.get());
                return 0;
            }
            default -> {
                return serve(cl);
            }
        }
    }

    private static int serve(CommandLine cl) {
        CountDownLatch stopRequested = new CountDownLatch(1);
        // sun.misc.Signal rather than a shutdown hook: with a hook the JVM exits 143 on SIGTERM,
        // and the stop would race the JVM's own teardown. Here we stop cleanly, then exit 0.
        // Installed before start(): once the port accepts, a stop may come at any moment, and a
        // SIGTERM that arrived before the handlers would kill the JVM the default way (exit 143).
        Signal.handle(new Signal("TERM"), s -> stopRequested.countDown());
        Signal.handle(new Signal("INT"), s -> stopRequested.countDown());
        Service service;
        try {
            service = new Service(cl.settings, Service.defaultSensors(cl.settings));
            service.start();
        } catch (Exception e) {
            Logger.tag("main").error("cannot start: {}", e.getMessage());
            flushLogs();
            return 1;
        }
        try {
            while (!stopRequested.await(1, TimeUnit.SECONDS)) {
                if (service.loop().failure() != null) {
                    Logger.tag("main").error("stopping: the event loop failed");
                    service.stop();
                    flushLogs();
                    return 1;
                }
            }
            Logger.tag("main").info("stopping");
            service.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flushLogs();
        return 0;
    }

    private static void flushLogs() {
        try {
            ProviderRegistry.getLoggingProvider().shutdown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

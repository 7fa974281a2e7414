package io.sensorcast.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One server under test in its own JVM, with the flags a Pi runs it with, pinned to the server
 * core when taskset exists. Every process started is stopped: by {@link #stop()}, or by the
 * shutdown hook if the benchmark itself is interrupted.
 */
final class ServerProcess {

    /** The service unit's JVM flags, for every server: the same JVM a Pi would run each with. */
    static final List<String> JVM_FLAGS = UnitFlags.read(UnitFlags.UNIT);
    static final String SERVER_CORE = "0";

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Process p : LIVE) {
                p.destroyForcibly();
            }
        }, "stop-servers"));
    }

    private final Process process;
    private final Path log;
    private final int port;
    private final long startedNanos;
    private double acceptedAfterMillis = -1;

    private ServerProcess(Process process, Path log, int port, long startedNanos) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.startedNanos = startedNanos;
    }

    static ServerProcess start(List<String> javaArguments, int port, Path log) throws IOException {
        return start(List.of(), javaArguments, port, log);
    }

    /** With {@code extraFlags} after the unit's (a flight recording, say). */
    static ServerProcess start(List<String> extraFlags, List<String> javaArguments, int port, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (Pinning.available()) {
            cmd.addAll(List.of("taskset", "-c", SERVER_CORE));
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JVM_FLAGS);
        cmd.addAll(extraFlags);
        cmd.addAll(javaArguments);
        Files.createDirectories(log.getParent());
        long started = System.nanoTime();
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        LIVE.add(p);
        return new ServerProcess(p, log, port, started);
    }

    /** From the process's start to the first connection its port accepted (-1: none yet). */
    double acceptedAfterMillis() {
        return acceptedAfterMillis;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /**
     * Waits until the port accepts a connection; false if the bound passes or the server exits.
     * Tries every 5 ms, so {@link #acceptedAfterMillis()} is the start time within that.
     */
    boolean awaitPort(long timeoutMillis) throws InterruptedException {
        long end = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (System.nanoTime() < end && process.isAlive()) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                acceptedAfterMillis = (System.nanoTime() - startedNanos) / 1e6;
                return true;
            } catch (IOException notYet) {
                Thread.sleep(5);
            }
        }
        return false;
    }

    /** /proc figures now, or null once the process is gone. */
    ProcessSnapshot snapshot() {
        try {
            return ProcessSnapshot.of(pid());
        } catch (IOException | RuntimeException gone) {
            return null;
        }
    }

    /** SIGTERM, then SIGKILL after a bound; returns the exit code (or -1 if it would not die). */
    int stop() throws InterruptedException {
        try {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            return process.isAlive() ? -1 : process.exitValue();
        } finally {
            LIVE.remove(process);
        }
    }

    /** Why the server fell over, from its log: an OutOfMemoryError of any kind, or null. */
    String trouble() {
        try {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            if (text.contains("OutOfDirectMemoryError")) {
                return "OOM (direct)";
            }
            if (text.contains("OutOfMemoryError")) {
                return "OOM";
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    Path log() {
        return log;
    }

    /** Whether taskset can pin processes here; without it the benchmark runs unpinned and says so. */
    static final class Pinning {
        private static Boolean available;

        private Pinning() {}

        static synchronized boolean available() {
            if (available == null) {
                try {
                    Process p = new ProcessBuilder("taskset", "-c", SERVER_CORE, "true")
                            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                    available = p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0;
                } catch (IOException | InterruptedException e) {
                    available = false;
                }
            }
            return available;
        }
    }
}

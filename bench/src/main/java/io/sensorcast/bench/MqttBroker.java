package io.sensorcast.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The MQTT cell's broker and subscriber: Debian's mosquitto with a configuration file of its own
 * (loopback, a free port, no persistence, anonymous), and Debian's mosquitto_sub on the server's
 * topics, counting what reaches it. Both are started by the runner, so they run on its core (the
 * load client's), never on the server's. Both are stopped by {@link #close()}.
 *
 * <p>Each runs in a session of its own ({@code setsid}, where it exists): with the kernel's
 * autogroup scheduling (on by default), processes of one session share one group's CPU weight,
 * and a broker in the runner's session gave the load client more of its core on a busy machine
 * (three times the CPU, p50 15 ms to 0.5 ms), making the cell with MQTT look faster than the one
 * without. In sessions of their own, both halves have the same runner and server.
 */
final class MqttBroker implements AutoCloseable {

    static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");
    static final Path SUB = Path.of("/usr/bin/mosquitto_sub");
    static final String INSTALL = "apt-get install mosquitto mosquitto-clients";

    private static final Path SETSID = Path.of("/usr/bin/setsid");

    final int port;
    private final Process broker;
    private Process sub;

    private MqttBroker(int port, Process broker) {
        this.port = port;
        this.broker = broker;
    }

    static boolean installed() {
        return Files.isExecutable(MOSQUITTO) && Files.isExecutable(SUB);
    }

    /** Starts mosquitto on a free loopback port and waits (at most 10 s) until it accepts. */
    static MqttBroker start(Path workDir, Path log) throws IOException, InterruptedException {
        int port = CellRunner.freePort();
        Path conf = workDir.resolve("mosquitto-" + port + ".conf");
        Files.writeString(conf, "listener " + port + " 127.0.0.1\n"
                + "allow_anonymous true\n"
                + "persistence false\n"
                + "log_dest stderr\n"
                + "log_type error\nlog_type warning\nlog_type notice\n"
                // As root, mosquitto switches to its own user; nothing it needs is ours, but say it.
                + ("root".equals(System.getProperty("user.name")) ? "user root\n" : ""));
        Process p = new ProcessBuilder(ownSession(MOSQUITTO.toString(), "-c", conf.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        MqttBroker b = new MqttBroker(port, p);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return b;
            } catch (IOException notYet) {
                if (!p.isAlive() || System.nanoTime() > end) {
                    b.close();
                    throw new IOException("mosquitto did not start (see " + log.getFileName() + ")");
                }
                Thread.sleep(20);
            }
        }
    }

    /**
     * mosquitto_sub on {@code filter}, each message written to {@code out} with the time it arrived
     * there ({@code %U}: seconds.nanoseconds), so that a message counts in the window it reached the
     * subscriber in. A file, not a pipe read by a thread of the runner: such a thread is more of the
     * runner's load on the client's core, and under autogroup scheduling that gave the load client
     * more CPU with MQTT than without. Started before the server, it has subscribed long before the
     * window. Count with {@link Counter#count} after {@link #close()}.
     */
    void subscribe(String filter, Path out) throws IOException {
        sub = new ProcessBuilder(ownSession(SUB.toString(), "-h", "127.0.0.1", "-p", Integer.toString(port),
                "-i", "bench-sub-" + port, "-q", "0", "-t", filter, "-F", "%U %t %p"))
                .redirectError(ProcessBuilder.Redirect.DISCARD).redirectOutput(out.toFile()).start();
    }

    /**
     * The command in a session of its own. A child of the JVM is no process group leader, so
     * setsid runs the command in its own process (no fork): the pid stays the command's.
     */
    private static List<String> ownSession(String... command) {
        List<String> c = new java.util.ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            c.add(SETSID.toString());
        }
        c.addAll(List.of(command));
        return c;
    }

    long pid() {
        return broker.pid();
    }

    boolean alive() {
        return broker.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : sub == null ? List.of(broker) : List.of(sub, broker)) {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * The subscriber's lines, counted in a window of wall-clock time (each by the time mosquitto_sub
     * received it), and the latency of each attributes message: its sample's {@code t} to that time.
     */
    static final class Counter {
        private final long beginMicros;
        private final long endMicros;
        private long total;
        private long inWindow;
        private long statesInWindow;
        private final Histogram latencyMicros = new Histogram(60_000_000L, 3);

        /** The window, in ms since the epoch: from {@code beginMillis} up to {@code endMillis} (excluded). */
        Counter(long beginMillis, long endMillis) {
            this.beginMicros = beginMillis * 1000;
            this.endMicros = endMillis * 1000;
        }

        /** Every line of mosquitto_sub's output file. */
        static Counter count(Path file, long beginMillis, long endMillis) throws IOException {
            Counter c = new Counter(beginMillis, endMillis);
            try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                for (String l; (l = r.readLine()) != null; ) {
                    c.line(l);
                }
            }
            return c;
        }

        /** "seconds.nanoseconds topic payload": counted when it arrived in the window. */
        void line(String l) {
            total++;
            int a = l.indexOf(' ');
            int b = a < 0 ? -1 : l.indexOf(' ', a + 1);
            if (b < 0) {
                return; // a payload's own line break: not a message of its own
            }
            long arrivedMicros;
            try {
                arrivedMicros = Math.round(Double.parseDouble(l.substring(0, a)) * 1e6);
            } catch (NumberFormatException notATime) {
                return;
            }
            if (arrivedMicros < beginMicros || arrivedMicros >= endMicros) {
                return;
            }
            inWindow++;
            String topic = l.substring(a + 1, b);
            if (topic.endsWith("/state")) {
                statesInWindow++;
            } else if (topic.endsWith("/attributes")) {
                double t = sampleMillis(l.substring(b + 1));
                if (t > 0) {
                    latencyMicros.recordValue(Math.max(0, Math.min(latencyMicros.getHighestTrackableValue(),
                            arrivedMicros - Math.round(t * 1000))));
                }
            }
        }

        long total() {
            return total;
        }

        long inWindow() {
            return inWindow;
        }

        long statesInWindow() {
            return statesInWindow;
        }

        Histogram latency() {
            return latencyMicros;
        }

        /** The {@code "t":} of an attributes payload, in ms (0 when it has none). */
        static double sampleMillis(String json) {
            int i = json.indexOf("\"t\":");
            if (i < 0) {
                return 0;
            }
            int from = i + 4;
            int to = from;
            while (to < json.length() && (Character.isDigit(json.charAt(to)) || json.charAt(to) == '.')) {
                to++;
            }
            try {
                return Double.parseDouble(json.substring(from, to));
            } catch (NumberFormatException e) {
                return 0;
            }
        }
    }
}

package io.sensorcast.mqtt;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's mosquitto on 127.0.0.1, with a configuration file of its own in a temporary directory,
 * on a free port of 18400-18499 (or of the range a test gives); stopped by close(). Read back with
 * Debian's mosquitto_sub, never with our own decoder.
 */
final class Mosquitto implements AutoCloseable {

    static final Path BROKER = Path.of("/usr/sbin/mosquitto");
    static final Path SUB = Path.of("/usr/bin/mosquitto_sub");
    static final Path PUB = Path.of("/usr/bin/mosquitto_pub");
    static final Path PASSWD = Path.of("/usr/bin/mosquitto_passwd");
    static final String INSTALL = "mosquitto and mosquitto_sub are needed: apt-get install mosquitto mosquitto-clients";

    private static int nextPort = 18400;

    final int port;
    private final Path dir;
    private final String extraConfig;
    private Process process;

    private Mosquitto(int port, Path dir, String extraConfig) {
        this.port = port;
        this.dir = dir;
        this.extraConfig = extraConfig;
    }

    static boolean installed() {
        return Files.isExecutable(BROKER) && Files.isExecutable(SUB) && Files.isExecutable(PUB) && Files.isExecutable(PASSWD);
    }

    /** Anonymous clients allowed. */
    static Mosquitto start(Path dir) throws Exception {
        return start(dir, "allow_anonymous true\n");
    }

    /** Only {@code user} with {@code password}, from a password file made by mosquitto_passwd. */
    static Mosquitto startWithPassword(Path dir, String user, String password) throws Exception {
        Path file = dir.resolve("passwords");
        run(List.of(PASSWD.toString(), "-b", "-c", file.toString(), user, password));
        return start(dir, "allow_anonymous false\npassword_file " + file + "\n");
    }

    /** Anonymous clients allowed, on a free port of {@code firstPort}..{@code lastPort}. */
    static Mosquitto startInRange(Path dir, int firstPort, int lastPort) throws Exception {
        Mosquitto m = new Mosquitto(freePort(firstPort, lastPort), dir, "allow_anonymous true\n");
        m.start();
        return m;
    }

    private static Mosquitto start(Path dir, String extra) throws Exception {
        Mosquitto m = new Mosquitto(freePort(), dir, extra);
        m.start();
        return m;
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    /** Starts the broker (again, on the same port) and waits until it accepts a connection. */
    void start() throws Exception {
        Path conf = dir.resolve("mosquitto.conf");
        Files.writeString(conf, "listener " + port + " 127.0.0.1\npersistence false\nlog_dest file "
                + dir.resolve("mosquitto.log") + "\nlog_type all\n"
                // As root, mosquitto would switch to its own user, which cannot read our temporary files.
                + ("root".equals(System.getProperty("user.name")) ? "user root\n" : "")
                + extraConfig);
        process = new ProcessBuilder(BROKER.toString(), "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.out").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(address(), 200);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("mosquitto did not start: " + Files.readString(dir.resolve("mosquitto.out")));
                }
                Thread.sleep(20);
            }
        }
    }

    /** SIGSTOP: the broker freezes; the kernel still accepts connections and buffers what is sent to it. */
    void pause() throws Exception {
        signal("STOP");
    }

    /** SIGCONT: the broker goes on where it stopped. */
    void resume() throws Exception {
        signal("CONT");
    }

    /** The shell's own kill (POSIX sh has it built in; procps's kill may not be installed). */
    private void signal(String name) throws Exception {
        run(List.of("/bin/sh", "-c", "kill -" + name + " \"$1\"", "sh", Long.toString(process.pid())));
    }

    /** Stops the broker (SIGTERM, after a SIGCONT in case it was paused) and waits for it. */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            try {
                resume();
            } catch (Exception notPaused) {
                // it may have ended meanwhile; SIGTERM and SIGKILL below still apply
            }
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    /** The broker's own log so far, for what it saw (a refused client). */
    String log() throws IOException {
        Path p = dir.resolve("mosquitto.log");
        return Files.exists(p) ? Files.readString(p) : "";
    }

    /**
     * mosquitto_sub on {@code topic}: "topic payload" lines, read as they come, at most {@code count}
     * of them and for at most {@code seconds} (its own -C and -W bound it).
     */
    Subscriber subscribe(String topic, int count, int seconds) throws IOException {
        Process p = new ProcessBuilder(SUB.toString(), "-h", "127.0.0.1", "-p", Integer.toString(port), "-t", topic,
                "-C", Integer.toString(count), "-W", Integer.toString(seconds), "-v", "-i", "test-sub-" + System.nanoTime())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        return new Subscriber(p);
    }

    /**
     * The retained messages under {@code filters} now, as "topic payload" lines: mosquitto_sub
     * --retained-only for {@code seconds} (the broker sends what it retains at once on subscribing).
     */
    List<String> retained(int seconds, String... filters) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(SUB.toString(), "-h", "127.0.0.1", "-p", Integer.toString(port),
                "--retained-only", "-W", Integer.toString(seconds), "-v", "-i", "test-retained-" + System.nanoTime()));
        for (String f : filters) {
            command.add("-t");
            command.add(f);
        }
        try (Subscriber sub = new Subscriber(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start())) {
            return sub.rest();
        }
    }

    /** mosquitto_pub of one message (QoS 1), as another client would send it. */
    void publish(String topic, String message) throws Exception {
        run(List.of(PUB.toString(), "-h", "127.0.0.1", "-p", Integer.toString(port), "-q", "1", "-t", topic, "-m", message));
    }

    /** A running mosquitto_sub. */
    static final class Subscriber implements AutoCloseable {
        private final Process process;
        private final BufferedReader lines;

        Subscriber(Process process) {
            this.process = process;
            this.lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        /** The next line, or null once mosquitto_sub has ended (its count or its -W time reached). */
        String next() throws IOException {
            return lines.readLine();
        }

        /** Every line until mosquitto_sub ends. */
        List<String> rest() throws IOException {
            List<String> out = new ArrayList<>();
            for (String l; (l = next()) != null; ) {
                out.add(l);
            }
            return out;
        }

        /**
         * SIGTERM, then SIGKILL: a mosquitto_sub that has its message but is still disconnecting
         * can sit with SIGTERM and SIGALRM blocked (its -W then never fires either), and outlived
         * the test's JVM.
         */
        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    static synchronized int freePort() throws IOException {
        for (int i = 0; i < 100; i++) {
            int port = nextPort;
            nextPort = nextPort == 18499 ? 18400 : nextPort + 1;
            if (isFree(port)) {
                return port;
            }
        }
        throw new IOException("no free port in 18400-18499");
    }

    /** The first free port of {@code first}..{@code last}. */
    static int freePort(int first, int last) throws IOException {
        for (int port = first; port <= last; port++) {
            if (isFree(port)) {
                return port;
            }
        }
        throw new IOException("no free port in " + first + "-" + last);
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(command + " failed: " + out);
        }
    }
}

package io.sensorcast.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's headless Chromium, driven over the DevTools protocol with the JDK's own HTTP client
 * and WebSocket (no driver, nothing downloaded). Software rendering (--disable-gpu), a fixed
 * window size, a throw-away profile; stopped and its profile deleted by close().
 */
final class HeadlessChromium implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    /** Browsers not closed yet, with their profiles: stopped by a shutdown hook if the benchmark is interrupted. */
    private static final Map<Process, Path> LIVE = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Map.Entry<Process, Path> e : LIVE.entrySet()) {
                e.getKey().descendants().forEach(ProcessHandle::destroy);
                e.getKey().destroy();
                try {
                    e.getKey().waitFor(5, TimeUnit.SECONDS);
                } catch (InterruptedException stopping) {
                    Thread.currentThread().interrupt();
                }
                Bench.deleteQuietly(e.getValue());
            }
        }, "stop-chromium"));
    }

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<Map<String, Object>>> waiting = new ConcurrentHashMap<>();

    private HeadlessChromium(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    static boolean installed() {
        return Files.isExecutable(CHROMIUM);
    }

    static HeadlessChromium start(int width, int height, Path log) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("sensorcast-bench-chromium-");
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(),
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--mute-audio",
                "--window-size=" + width + "," + height, "--user-data-dir=" + profile,
                "--remote-debugging-port=0", "--enable-precise-memory-info", "about:blank"));
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        LIVE.put(p, profile);
        try {
            int port = devToolsPort(profile.resolve("DevToolsActivePort"), p);
            String page = pageSocketUrl(port);
            HeadlessChromium[] self = new HeadlessChromium[1];
            WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create(page), new Listener(() -> self[0]))
                    .get(10, TimeUnit.SECONDS);
            self[0] = new HeadlessChromium(p, profile, ws);
            return self[0];
        } catch (Exception e) {
            LIVE.remove(p);
            p.destroyForcibly();
            Bench.deleteQuietly(profile);
            throw new IOException("Chromium did not start for the DevTools protocol (see " + log + "): " + e.getMessage(), e);
        }
    }

    /** Chromium writes the port it chose into the profile (--remote-debugging-port=0). */
    private static int devToolsPort(Path file, Process p) throws IOException, InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < end && p.isAlive()) {
            try {
                List<String> lines = Files.readAllLines(file);
                if (!lines.isEmpty() && !lines.get(0).isBlank()) {
                    return Integer.parseInt(lines.get(0).strip());
                }
            } catch (NoSuchFileException notYet) {
                // below
            }
            Thread.sleep(50);
        }
        throw new IOException("no DevToolsActivePort within 20 s");
    }

    @SuppressWarnings("unchecked")
    private static String pageSocketUrl(int port) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                HttpResponse.BodyHandlers.ofString());
        for (Object o : (List<Object>) JsonRead.parse(r.body())) {
            Map<String, Object> t = (Map<String, Object>) o;
            if ("page".equals(t.get("type"))) {
                return (String) t.get("webSocketDebuggerUrl");
            }
        }
        throw new IOException("no page target in " + r.body());
    }

    long pid() {
        return process.pid();
    }

    /** A DevTools command; its result, or IOException with the protocol's error. */
    @SuppressWarnings("unchecked")
    Map<String, Object> send(String method, String paramsJson) throws IOException {
        int id = ids.incrementAndGet();
        CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
        waiting.put(id, answer);
        socket.sendText("{\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + paramsJson + "}", true).join();
        try {
            Map<String, Object> m = answer.get(30, TimeUnit.SECONDS);
            if (m.containsKey("error")) {
                throw new IOException(method + ": " + m.get("error"));
            }
            return (Map<String, Object>) m.get("result");
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException(method + ": no answer (" + e + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(method + ": interrupted", e);
        } finally {
            waiting.remove(id);
        }
    }

    /** Evaluates a JS expression in the page and returns its value (JSON-converted: Map, List, Double…). */
    @SuppressWarnings("unchecked")
    Object eval(String expression) throws IOException {
        Map<String, Object> r = send("Runtime.evaluate", "{\"expression\":" + Json.quote(expression)
                + ",\"returnByValue\":true,\"awaitPromise\":true}");
        if (r.containsKey("exceptionDetails")) {
            throw new IOException("page: " + expression + ": " + r.get("exceptionDetails"));
        }
        return ((Map<String, Object>) r.get("result")).get("value");
    }

    /** Polls a JS expression until it is true; false after the bound. */
    boolean waitFor(String expression, long timeoutMillis) throws IOException, InterruptedException {
        long end = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (System.nanoTime() < end) {
            if (Boolean.TRUE.equals(eval("!!(" + expression + ")"))) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    /** Performance.getMetrics as name -> value (JSHeapUsedSize, Nodes, JSEventListeners, TaskDuration…). */
    @SuppressWarnings("unchecked")
    Map<String, Double> metrics() throws IOException {
        Map<String, Double> out = new java.util.TreeMap<>();
        for (Object o : (List<Object>) send("Performance.getMetrics", "{}").get("metrics")) {
            Map<String, Object> m = (Map<String, Object>) o;
            out.put((String) m.get("name"), ((Number) m.get("value")).doubleValue());
        }
        return out;
    }

    /** The renderer processes of this browser (--type=renderer among its descendants). */
    List<Long> rendererPids() throws IOException {
        List<Long> out = new ArrayList<>();
        try (var procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                try {
                    String cmd = Files.readString(p.resolve("cmdline"));
                    long pid = Long.parseLong(p.getFileName().toString());
                    if (cmd.contains("--type=renderer") && descends(pid)) {
                        out.add(pid);
                    }
                } catch (IOException | NumberFormatException gone) {
                    // a process that ended while listed
                }
            }
        }
        return out;
    }

    /** Every process of this browser: the browser itself and its descendants. */
    List<Long> allPids() throws IOException {
        List<Long> out = new ArrayList<>();
        try (var procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                try {
                    long pid = Long.parseLong(p.getFileName().toString());
                    if (pid == process.pid() || descends(pid)) {
                        out.add(pid);
                    }
                } catch (NumberFormatException notAProcess) {
                    // skipped
                }
            }
        }
        return out;
    }

    private boolean descends(long pid) {
        for (int depth = 0; depth < 10 && pid > 1; depth++) {
            long parent = parent(pid);
            if (parent == process.pid()) {
                return true;
            }
            pid = parent;
        }
        return false;
    }

    /** utime + stime of a process in clock ticks (fields 14 and 15 of /proc/PID/stat), 0 if gone. */
    static long cpuTicks(long pid) {
        String[] f = statFields(pid);
        return f == null ? 0 : Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static long parent(long pid) {
        String[] f = statFields(pid);
        return f == null ? -1 : Long.parseLong(f[1]);
    }

    /** The fields after "(comm)" of /proc/PID/stat: index 0 is the state (field 3). */
    private static String[] statFields(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException gone) {
            return null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            socket.abort();
        } finally {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            LIVE.remove(process);
            Bench.deleteQuietly(profile);
        }
    }

    /** Gathers a message's fragments and completes the command it answers; events are ignored. */
    private static final class Listener implements WebSocket.Listener {
        private final java.util.function.Supplier<HeadlessChromium> owner;
        private final StringBuilder text = new StringBuilder();

        Listener(java.util.function.Supplier<HeadlessChromium> owner) {
            this.owner = owner;
        }

        @Override
        @SuppressWarnings("unchecked")
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String message = text.toString();
                text.setLength(0);
                HeadlessChromium c = owner.get();
                if (c != null && message.startsWith("{\"id\":")) {
                    Map<String, Object> m = (Map<String, Object>) JsonRead.parse(message);
                    CompletableFuture<Map<String, Object>> f = c.waiting.get(((Number) m.get("id")).intValue());
                    if (f != null) {
                        f.complete(m);
                    }
                }
            }
            ws.request(1);
            return null;
        }
    }
}

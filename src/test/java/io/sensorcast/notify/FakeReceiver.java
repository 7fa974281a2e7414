package io.sensorcast.notify;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A webhook or ntfy server on loopback (the JDK's com.sun.net.httpserver) that answers each
 * request by its script: 200, 500, or holds it until {@link #release()} (never, if the test does
 * not). Records what it received. Close it: it stops its threads.
 */
final class FakeReceiver implements AutoCloseable {

    /** What one request carried. */
    record Received(String method, String path, Map<String, List<String>> headers, String body) {
        String header(String name) {
            for (Map.Entry<String, List<String>> h : headers.entrySet()) {
                if (h.getKey().equalsIgnoreCase(name)) {
                    return h.getValue().get(0);
                }
            }
            return null;
        }
    }

    /** How to answer the n-th request (0-based): an HTTP status, or {@link #HANG}. */
    interface Script {
        int answer(int n);
    }

    static final int HANG = -1;

    static {
        // The JDK's server writes an answer's head and body apart; with Nagle on, the client's
        // delayed ACK held each answer about 40 ms (read once, when the first server starts).
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "fake-receiver");
        t.setDaemon(true);
        return t;
    });
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final AtomicInteger count = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger hanging = new AtomicInteger();
    private final Script script;

    private FakeReceiver(HttpServer server, Script script) {
        this.server = server;
        this.script = script;
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    static FakeReceiver http(Script script) throws IOException {
        return new FakeReceiver(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0), script);
    }

    static FakeReceiver https(SSLContext context, Script script) throws IOException {
        HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s.setHttpsConfigurator(new HttpsConfigurator(context));
        return new FakeReceiver(s, script);
    }

    URI uri(String path) {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** The next request received, waiting up to 10 s; null if none came. */
    Received next() throws InterruptedException {
        return received.poll(10, TimeUnit.SECONDS);
    }

    /** Requests received so far. */
    int count() {
        return count.get();
    }

    /** Requests being held now. */
    int hanging() {
        return hanging.get();
    }

    /** Answers the held requests (200) and every later HANG at once. */
    void release() {
        release.countDown();
    }

    private void handle(HttpExchange ex) throws IOException {
        int n = count.getAndIncrement();
        byte[] body = ex.getRequestBody().readAllBytes();
        received.add(new Received(ex.getRequestMethod(), ex.getRequestURI().toString(), Map.copyOf(ex.getRequestHeaders()),
                new String(body, StandardCharsets.UTF_8)));
        int status = script.answer(n);
        if (status == HANG) {
            hanging.incrementAndGet();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                hanging.decrementAndGet();
            }
            status = 200;
        }
        byte[] answer = (status / 100 == 2 ? "{\"id\":\"x\"}" : "{\"code\":50001,\"error\":\"broken\"}").getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, answer.length);
        ex.getResponseBody().write(answer);
        ex.close();
    }

    @Override
    public void close() throws InterruptedException {
        release();
        server.stop(0);
        threads.shutdownNow();
        threads.awaitTermination(5, TimeUnit.SECONDS);
    }
}

package io.sensorcast.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The JDK's java.net.http.WebSocket as a monitor: a real, independent RFC 6455 client (it masks,
 * answers pings and does the closing handshake itself). Text messages are queued for the test; the
 * server's close is recorded.
 *
 * <p>JDK 17's HttpClient has no close(): {@link #close()} aborts the socket and shuts down the
 * executor given to the client; the client's own selector thread ends once the client is unreachable.
 */
final class JdkWebSocketClient implements AutoCloseable {

    /** The server's close frame as the client saw it. */
    record Close(int code, String reason) {}

    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "jdk-ws-client");
        t.setDaemon(true);
        return t;
    });
    private final BlockingQueue<String> texts = new LinkedBlockingQueue<>(10_000);
    private final CompletableFuture<Close> closed = new CompletableFuture<>();
    private final WebSocket ws;

    JdkWebSocketClient(int port, String path) throws Exception {
        HttpClient http = HttpClient.newBuilder().executor(executor).connectTimeout(Duration.ofSeconds(5)).build();
        try {
            ws = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + path), new Listener())
                    .get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            executor.shutdownNow();
            throw e;
        }
    }

    /** The next whole text message, or null if none arrives within the timeout. */
    String nextText(long timeoutMillis) throws InterruptedException {
        return texts.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    CompletableFuture<Close> closed() {
        return closed;
    }

    WebSocket socket() {
        return ws;
    }

    @Override
    public void close() {
        ws.abort();
        executor.shutdownNow();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                texts.offer(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            texts.offer("<binary " + data.remaining() + " B>");
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(new Close(statusCode, reason));
            return null; // the JDK then answers with its own close
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }
}

package io.sensorcast.testing;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The well-behaved monitor of a fault test: one {@link WsTestClient} on /ws, subscribed to one
 * channel, read promptly by its own thread, which answers pings. It checks that the channel's
 * {@code seq} only ever counts up by one (no sample lost) and that the server never closes it;
 * {@link #awaitProgress} asks that new samples keep arriving. Stopped by {@link #close()}.
 */
public final class HealthyMonitor implements AutoCloseable {

    private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");

    private final WsTestClient ws;
    private final String channel;
    private final Thread thread;
    private volatile long lastSeq = -1;
    private volatile long samples;
    private volatile String problem;
    private volatile boolean stopping;

    private HealthyMonitor(WsTestClient ws, String channel) {
        this.ws = ws;
        this.channel = channel;
        this.thread = new Thread(this::run, "healthy-monitor");
        this.thread.setDaemon(true);
    }

    /** Connects to /ws on 127.0.0.1:{@code port}, watches only {@code channel}, starts reading. */
    public static HealthyMonitor connect(int port, String channel) throws IOException {
        WsTestClient ws = WsTestClient.connect(port, "/ws");
        try {
            ws.setReadTimeout(15_000);
            String hello = ws.readText();
            if (!hello.contains("\"type\":\"hello\"")) {
                throw new IOException("expected hello, got " + hello);
            }
            ws.sendText("{\"type\":\"subscribe\",\"channels\":[\"" + channel + "\"]}");
        } catch (IOException | RuntimeException e) {
            ws.close();
            throw e;
        }
        HealthyMonitor m = new HealthyMonitor(ws, channel);
        m.thread.start();
        return m;
    }

    private void run() {
        String marker = "\"channel\":\"" + channel + "\"";
        try {
            while (!stopping) {
                WsTestClient.Frame f = ws.readFrame();
                if (f.opcode() == 0x9) {
                    ws.send(0xA, f.payload()); // this thread is the only one that uses the socket
                } else if (f.opcode() == 0x8) {
                    problem = "the server closed the healthy monitor: " + f.closeCode() + " " + f.closeReason();
                    return;
                } else if (f.opcode() == 0x1) {
                    String text = f.text();
                    if (text.contains("\"type\":\"sample\"") && text.contains(marker)) {
                        Matcher m = SEQ.matcher(text);
                        if (!m.find()) {
                            problem = "a sample without seq: " + text;
                            return;
                        }
                        long seq = Long.parseLong(m.group(1));
                        if (lastSeq >= 0 && seq != lastSeq + 1) {
                            problem = "lost samples: seq " + seq + " after " + lastSeq;
                            return;
                        }
                        lastSeq = seq;
                        samples++;
                    } else if (text.contains("\"type\":\"dropped\"")) {
                        problem = "the healthy monitor was told of drops: " + text;
                        return;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            if (!stopping) {
                problem = "the healthy monitor failed: " + e;
            }
        }
    }

    /** The last seq seen on the channel, -1 before the first sample. */
    public long lastSeq() {
        return lastSeq;
    }

    /** Samples of the channel received so far. */
    public long samples() {
        return samples;
    }

    /** Throws if anything went wrong so far: a gap, a close, an error. */
    public void assertHealthy() {
        String p = problem;
        if (p != null) {
            throw new AssertionError(p);
        }
    }

    /** Waits (at most {@code max}) until {@code n} more samples arrived, in order; throws otherwise. */
    public void awaitProgress(int n, Duration max) throws InterruptedException {
        long from = samples;
        long deadline = System.nanoTime() + max.toNanos();
        while (samples < from + n) {
            assertHealthy();
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("the healthy monitor got " + (samples - from) + " of " + n
                        + " samples within " + max.toMillis() + " ms (last seq " + lastSeq + ")");
            }
            Thread.sleep(10);
        }
        assertHealthy();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stopping = true;
        ws.close();
        thread.join(TimeUnit.SECONDS.toMillis(5));
    }
}

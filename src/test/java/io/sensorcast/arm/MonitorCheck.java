package io.sensorcast.arm;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host side of .ci/arm: a monitor on {@code /ws} of a server running under qemu-user. It
 * passes when the first frame is the {@code hello} and every named channel then sends
 * {@code count} samples, within {@code timeout} seconds in all. JDK only, so .ci/arm runs it with
 * the source launcher ({@code java MonitorCheck.java PORT TIMEOUT COUNT CHANNEL...}) on the host's
 * JVM, without a build of the test classes.
 *
 * <p>Prints one line: what it saw, or what was missing. Exit 0 when it passed, 1 when not.
 */
public final class MonitorCheck {

    private static final Pattern TYPE = Pattern.compile("\"type\":\"([a-z]+)\"");
    private static final Pattern CHANNEL = Pattern.compile("\"channel\":\"([^\"]+)\"");

    private MonitorCheck() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: java MonitorCheck.java PORT TIMEOUT_SECONDS COUNT CHANNEL...");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[1]));
        int count = Integer.parseInt(args[2]);
        Map<String, Integer> samples = new LinkedHashMap<>();
        for (int i = 3; i < args.length; i++) {
            samples.put(args[i], 0);
        }

        BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    frames.add(partial.toString());
                    partial.setLength(0);
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
                frames.add("closed " + code + " " + reason);
                return null;
            }
        };
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        WebSocket ws;
        try {
            ws = client.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), listener)
                    .get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.out.println("no WebSocket on port " + port + ": " + e);
            System.exit(1);
            return;
        }

        List<String> problems = new ArrayList<>();
        String first = frames.poll(remaining(deadline), TimeUnit.NANOSECONDS);
        if (first == null || !"hello".equals(type(first))) {
            problems.add("the first frame was not a hello: " + excerpt(first));
        }
        int total = 0;
        while (problems.isEmpty() && !done(samples, count)) {
            String frame = frames.poll(remaining(deadline), TimeUnit.NANOSECONDS);
            if (frame == null) {
                problems.add("timed out");
                break;
            }
            if (frame.startsWith("closed ")) {
                problems.add("the server closed the monitor: " + frame);
                break;
            }
            if ("sample".equals(type(frame))) {
                total++;
                Matcher m = CHANNEL.matcher(frame);
                if (m.find()) {
                    samples.computeIfPresent(m.group(1), (k, n) -> n + 1);
                }
            }
        }
        CompletableFuture<WebSocket> closing = ws.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        try {
            closing.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            ws.abort();
        }
        if (!done(samples, count)) {
            problems.add("samples per channel " + samples + ", wanted " + count + " each");
        }
        if (problems.isEmpty()) {
            System.out.println("hello, then " + total + " samples, " + samples);
            System.exit(0);
        }
        System.out.println(String.join("; ", problems));
        System.exit(1);
    }

    private static boolean done(Map<String, Integer> samples, int count) {
        return samples.values().stream().allMatch(n -> n >= count);
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    private static String type(String frame) {
        Matcher m = TYPE.matcher(frame);
        return m.find() ? m.group(1) : "";
    }

    private static String excerpt(String frame) {
        if (frame == null) {
            return "(none)";
        }
        return frame.length() > 120 ? frame.substring(0, 120) + "..." : frame;
    }
}

package io.sensorcast.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.config.Settings;
import io.sensorcast.loop.Connection;
import io.sensorcast.loop.EventLoop;
import io.sensorcast.loop.OutboundFrame;
import io.sensorcast.testing.LogCapture;
import io.sensorcast.testing.MultiMonitorReader;
import io.sensorcast.testing.RawHttp;
import io.sensorcast.testing.TestServer;
import io.sensorcast.ws.FrameEncoder;
import io.sensorcast.ws.WebSocket;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A monitor that stops reading: it loses its oldest samples, is told so, costs
 * the server no more than its outbound cap, is closed after the write-stall timeout, and meanwhile
 * the other monitors get every sample.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SlowMonitorTest {

    private static final int CAP = 64 * 1024;
    private static final int HEALTHY = 5;
    private static final String CHANNEL = "slow.c0";
    /** The largest frame the server may queue past the cap: one drop notice (the rest get dropped). */
    private static final int NOTICE_MAX = 80;

    private static Settings.Builder settings() {
        return TestServer.settings()
                .outboundCapBytes(CAP)
                .pingInterval(Duration.ofMinutes(10)); // the test clients do not answer pings
    }

    // ---- the healthy monitors ------------------------------------------------------------------------

    /** Monitors that read everything at once, checking seq on the one channel; state on the reader thread. */
    private static final class Healthy implements AutoCloseable {
        final MultiMonitorReader reader;
        final long[] next = new long[HEALTHY];
        final long[] samples = new long[HEALTHY];
        final AtomicLong problems = new AtomicLong();
        final List<String> firstProblems = Collections.synchronizedList(new ArrayList<>());

        Healthy(int port) throws IOException {
            java.util.Arrays.fill(next, 1);
            reader = MultiMonitorReader.connect(port, "/ws", HEALTHY, (m, opcode, b, off, len) -> {
                String problem = null;
                String type = MonitorFrames.type(b, off, len);
                if (opcode != 1 || type == null) {
                    problem = "monitor " + m + ": opcode " + opcode;
                } else if (type.equals("sample")) {
                    long seq = MonitorFrames.seq(b, off, len);
                    if (seq != next[m]) {
                        problem = "monitor " + m + ": expected seq " + next[m] + ", got " + seq;
                    }
                    next[m] = seq + 1;
                    samples[m]++;
                } else if (!type.equals("hello")) {
                    problem = "monitor " + m + ": unexpected " + new String(b, off, len, StandardCharsets.UTF_8);
                }
                if (problem != null && problems.incrementAndGet() <= 10) {
                    firstProblems.add(problem);
                }
            });
        }

        /** Samples the slowest healthy monitor has received (frames minus the hello). */
        long slowest() {
            return reader.minFrames() - 1;
        }

        /** After close(): each monitor got exactly 1..n, once each, in order. */
        void assertGotAll(long n) {
            assertNull(reader.failure(), "healthy reader failed");
            assertEquals(List.of(), firstProblems, problems.get() + " problems; the first ones");
            for (int m = 0; m < HEALTHY; m++) {
                assertEquals(n, samples[m], "samples received by healthy monitor " + m);
                assertEquals(n + 1, next[m], "last seq of healthy monitor " + m);
            }
        }

        @Override
        public void close() throws InterruptedException {
            reader.close();
        }
    }

    // ---- the stuck monitor ------------------------------------------------------------------------------

    record Frame(int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        String closeReason() {
            return payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
        }

        int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
        }
    }

    /** Handshakes with a tiny receive buffer, then reads nothing until the test says so. */
    private static final class Stuck implements AutoCloseable {
        final Socket socket = new Socket();
        final DataInputStream in;

        Stuck(int port) throws IOException {
            socket.setReceiveBufferSize(4096); // before connect, so the window is small from the start
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000);
            byte[] nonce = new byte[16];
            ThreadLocalRandom.current().nextBytes(nonce);
            String req = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n";
            socket.getOutputStream().write(req.getBytes(StandardCharsets.ISO_8859_1));
            in = new DataInputStream(socket.getInputStream());
            String head = readHead(in);
            if (!head.startsWith("HTTP/1.1 101")) {
                throw new IOException("handshake refused: " + head);
            }
        }

        int localPort() {
            return socket.getLocalPort();
        }

        Frame read() throws IOException {
            int b0 = in.readUnsignedByte();
            int b1 = in.readUnsignedByte();
            long len = b1 & 0x7F;
            if ((b1 & 0x80) != 0) {
                throw new IOException("masked server frame");
            }
            if (len == 126) {
                len = in.readUnsignedShort();
            } else if (len == 127) {
                len = in.readLong();
            }
            if (len > 1 << 20) {
                throw new IOException("frame of " + len + " bytes");
            }
            byte[] payload = new byte[(int) len];
            in.readFully(payload);
            return new Frame(b0 & 0x0F, payload);
        }

        /** Reads and discards until the server ends the connection; false if it is still open after the timeout. */
        boolean readToEnd() throws IOException {
            byte[] sink = new byte[16 * 1024];
            try {
                while (in.read(sink) >= 0) {
                    // discard
                }
                return true;
            } catch (java.net.SocketTimeoutException e) {
                return false;
            } catch (SocketException reset) {
                return true;
            }
        }

        private static String readHead(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int state = 0;
            while (state < 4) {
                int c = in.read();
                if (c < 0) {
                    throw new EOFException("closed during the handshake: " + head);
                }
                head.write(c);
                state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
            }
            return head.toString(StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static void register(TestServer server) throws Exception {
        Hub hub = server.service().hub();
        server.onLoop(() -> {
            hub.register(new ChannelInfo(CHANNEL, "slow test", ""));
            return null;
        });
    }

    private static WebSocket monitorAt(TestServer server, int clientPort) throws Exception {
        Hub hub = server.service().hub();
        return server.onLoop(() -> {
            for (Subscriber sub : hub.monitors()) {
                WebSocket ws = ((MonitorEndpoint.Monitor) sub).socket();
                if (ws.connection().peer().endsWith(":" + clientPort)) {
                    return ws;
                }
            }
            return null;
        });
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(10);
        }
    }

    private static boolean onLoopBool(TestServer server, java.util.concurrent.Callable<Boolean> c) {
        try {
            return server.onLoop(c);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Posts samples from {@code from} on, staying at most 500 ahead of the slowest healthy monitor
     * (40 KB of frames, under the cap: so a healthy monitor can never be dropped legitimately),
     * until {@code done} says so, at most {@code max} samples. Returns the last seq posted.
     */
    private static long produce(TestServer server, Healthy healthy, long from, long max, BooleanSupplier done)
            throws InterruptedException {
        return produce(server, healthy, from, max, 0, done);
    }

    /** As above, pausing {@code pauseMillis} after each 100 samples. */
    private static long produce(TestServer server, Healthy healthy, long from, long max, int pauseMillis, BooleanSupplier done)
            throws InterruptedException {
        long seq = from - 1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        while (seq < from - 1 + max && !done.getAsBoolean()) {
            for (int i = 0; i < 100; i++) {
                seq++;
                if (!server.service().loop().post(new Sample(CHANNEL, seq, System.currentTimeMillis() * 1000, seq % 1000))) {
                    throw new AssertionError("the inbox refused a sample; the test assumes it never fills");
                }
            }
            if (pauseMillis > 0) {
                Thread.sleep(pauseMillis);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("still producing after 40 s (" + seq + " samples): the awaited condition never came");
            }
            while (seq - healthy.slowest() > 500) {
                if (System.nanoTime() - deadline > 0 || healthy.reader.failure() != null) {
                    throw new AssertionError("healthy monitors fell behind: " + healthy.slowest() + " of " + seq);
                }
                Thread.sleep(1);
            }
        }
        return seq;
    }

    // ---- the tests ----------------------------------------------------------------------------------------

    @Test
    void aMonitorThatStopsReadingLosesItsOldestSamplesIsToldAndCostsNoMoreThanTheCap() throws Exception {
        try (TestServer server = TestServer.start(settings().build(), List.of())) {
            register(server);
            Healthy healthy = new Healthy(server.port());
            Stuck stuck = new Stuck(server.port());
            try {
                await("all monitors joined", () -> onLoopBool(server, () -> server.service().hub().monitorCount() == HEALTHY + 1));
                WebSocket stuckWs = monitorAt(server, stuck.localPort());
                assertNotNull(stuckWs, "the server's side of the stuck monitor");
                Connection conn = stuckWs.connection();

                long[] maxQueued = {0};
                long[] stuckDropped = {0};
                long last = produce(server, healthy, 1, 1_000_000, () -> {
                    long[] state = server.service().loop().submit(() -> new long[] {conn.queuedBytes(), conn.droppedFrames()})
                            .join();
                    maxQueued[0] = Math.max(maxQueued[0], state[0]);
                    stuckDropped[0] = state[1];
                    return state[1] >= 2_000;
                });
                assertTrue(stuckDropped[0] >= 2_000, "the stuck monitor never lost anything in " + last + " samples");
                assertTrue(maxQueued[0] <= CAP + NOTICE_MAX, "queued for the stuck monitor: " + maxQueued[0] + " bytes");

                await("healthy monitors caught up", () -> healthy.slowest() >= last);
                long droppedOnStuck = server.onLoop(conn::droppedFrames);
                assertEquals(droppedOnStuck, (long) server.onLoop(server.service().loop().stats()::droppedFrames),
                        "only the stuck monitor dropped anything");
                healthy.close();
                healthy.assertGotAll(last);

                // Now it reads: the hello, old samples in order with a gap, and a notice of the gap.
                Frame hello = stuck.read();
                assertEquals("hello", MonitorFrames.type(hello.payload(), 0, hello.payload().length));
                long received = 0;
                long prev = 0;
                List<String> notices = new ArrayList<>();
                long noticed = 0;
                while (prev < last) {
                    Frame f = stuck.read();
                    byte[] p = f.payload();
                    String type = MonitorFrames.type(p, 0, p.length);
                    if ("dropped".equals(type)) {
                        notices.add(f.text());
                        long count = MonitorFrames.count(p, 0, p.length);
                        long total = MonitorFrames.total(p, 0, p.length);
                        noticed += count;
                        assertEquals(noticed, total, "notices add up: " + notices);
                        continue;
                    }
                    assertEquals("sample", type, f.text());
                    long seq = MonitorFrames.seq(p, 0, p.length);
                    assertTrue(seq > prev, "seq " + seq + " after " + prev);
                    prev = seq;
                    received++;
                }
                assertTrue(!notices.isEmpty(), "the stuck monitor was told about the drops");
                assertTrue(noticed <= droppedOnStuck);
                assertEquals(last, received + droppedOnStuck, "each sample was delivered or counted as dropped");
                System.out.printf("stuck monitor: %d samples posted, %d delivered, %d dropped, at most %d bytes queued, notices %s%n",
                        last, received, droppedOnStuck, maxQueued[0], notices);

                // Drops made while the first notice waited in the queue are told with the next
                // frame the monitor gets (one notice queued at a time): here, the next sample.
                if (noticed < droppedOnStuck) {
                    assertTrue(server.service().loop().post(new Sample(CHANNEL, last + 1, System.currentTimeMillis() * 1000, 1)));
                    Frame f;
                    do {
                        f = stuck.read();
                    } while (!"dropped".equals(MonitorFrames.type(f.payload(), 0, f.payload().length)));
                    byte[] p = f.payload();
                    assertEquals(droppedOnStuck - noticed, MonitorFrames.count(p, 0, p.length), f.text());
                    assertEquals(droppedOnStuck, MonitorFrames.total(p, 0, p.length), f.text());
                }
            } finally {
                healthy.close();
                stuck.close();
            }
        }
    }

    @Test
    void aStuckMonitorIsClosedWith1008AfterTheWriteStallTimeoutWhileOthersCarryOn() throws Exception {
        Settings s = settings()
                .writeStallTimeout(Duration.ofSeconds(1))
                .closeLinger(Duration.ofSeconds(20)) // time for the stuck client to read up to the close frame
                .build();
        try (TestServer server = TestServer.start(s, List.of())) {
            register(server);
            Healthy healthy = new Healthy(server.port());
            Stuck stuck = new Stuck(server.port());
            try {
                await("all monitors joined", () -> onLoopBool(server, () -> server.service().hub().monitorCount() == HEALTHY + 1));
                WebSocket stuckWs = monitorAt(server, stuck.localPort());
                Connection conn = stuckWs.connection();

                // Fill its socket until the server holds a backlog for it (over the cap, so certainly
                // not just this iteration's samples waiting for their flush), then keep it there,
                // at a gentler pace, until the stall timeout. (Stopping at once is not enough: the
                // kernel may grow the socket's send buffer and take the whole backlog, and with
                // nothing waiting on the server's side there is no stall to time.)
                long filled = produce(server, healthy, 1, 1_000_000,
                        () -> onLoopBool(server, () -> conn.droppedFrames() > 0));
                long last = produce(server, healthy, filled + 1, 1_000_000, 5, () -> onLoopBool(server, conn::isClosing));

                // The others carry on meanwhile.
                last = produce(server, healthy, last + 1, 2_000, () -> false);
                long total = last;
                await("healthy monitors caught up", () -> healthy.slowest() >= total);

                // Reading now, the stuck monitor finds the close frame behind its backlog.
                Frame f;
                int frames = 0;
                do {
                    f = stuck.read();
                    frames++;
                } while (f.opcode() != 0x8 && frames < 1_000_000);
                assertEquals(0x8, f.opcode());
                assertEquals(1008, f.closeCode(), "policy violation; reason: " + f.closeReason());
                assertTrue(stuck.readToEnd(), "the server ends the TCP connection after the close frame");
                stuck.close(); // our side of the close: the server stops lingering
                await("the server forgot the stuck monitor", () -> onLoopBool(server, () -> server.service().hub().monitorCount() == HEALTHY));

                healthy.close();
                healthy.assertGotAll(last);
            } finally {
                healthy.close();
                stuck.close();
            }
        }
    }

    @Test
    void aStuckMonitorThatNeverReadsIsCutOffAfterTheLinger() throws Exception {
        Settings s = settings()
                .writeStallTimeout(Duration.ofSeconds(1))
                .closeLinger(Duration.ofMillis(200))
                .build();
        try (TestServer server = TestServer.start(s, List.of())) {
            register(server);
            Healthy healthy = new Healthy(server.port());
            Stuck stuck = new Stuck(server.port());
            try {
                await("all monitors joined", () -> onLoopBool(server, () -> server.service().hub().monitorCount() == HEALTHY + 1));
                Connection conn = monitorAt(server, stuck.localPort()).connection();
                long filled = produce(server, healthy, 1, 1_000_000,
                        () -> onLoopBool(server, () -> conn.droppedFrames() > 0));
                long last = produce(server, healthy, filled + 1, 1_000_000, 5, () -> onLoopBool(server, () -> !conn.isOpen()));

                assertEquals(HEALTHY, (int) server.onLoop(server.service().hub()::monitorCount));
                assertTrue(stuck.readToEnd(), "its TCP connection ends");

                await("healthy monitors caught up", () -> healthy.slowest() >= last);
                healthy.close();
                healthy.assertGotAll(last);
            } finally {
                healthy.close();
                stuck.close();
            }
        }
    }

    // ---- status frames of a flapping sensor ---------------------------------------------------------------

    /** Longer than any status frame of the flapping test ({"type":"status",...,"message":"flap 4999"}). */
    private static final int STATUS_MAX = 100;

    /**
     * What one monitor saw of the flapping channels, checked frame by frame: each channel's statuses
     * come newer than the one before ("flap k" is 2k, "up k" 2k+1, "final" the newest of all), and
     * no sample of round k (seq {@code base + 1 + k}) comes after a status of round k or later.
     */
    private static final class StateOrder {
        volatile long base = Long.MAX_VALUE; // the last seq before the flapping
        final Map<String, Long> last = new HashMap<>();
        final Map<String, String> lastMessage = new HashMap<>();
        final List<String> problems = Collections.synchronizedList(new ArrayList<>());
        volatile int finals;
        volatile long lastSeq;

        void accept(String json) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) JsonReader.parse(json);
            String type = (String) m.get("type");
            if ("status".equals(type)) {
                String channel = (String) m.get("channel");
                String message = (String) m.get("message");
                long index = message.equals("final") ? Long.MAX_VALUE
                        : 2 * Long.parseLong(message.substring(message.indexOf(' ') + 1)) + (message.startsWith("up ") ? 1 : 0);
                long before = last.getOrDefault(channel, -1L);
                if (index <= before) {
                    problem(channel + ": status '" + message + "' after '" + lastMessage.get(channel) + "'");
                }
                last.put(channel, index);
                lastMessage.put(channel, message);
                if (index == Long.MAX_VALUE) {
                    finals++;
                }
            } else if ("sample".equals(type)) {
                lastSeq = ((Number) m.get("seq")).longValue();
                long round = lastSeq - base - 1;
                long status = last.getOrDefault((String) m.get("channel"), -1L);
                if (status >= 0 && status >= 2 * round) {
                    problem("sample of round " + round + " after the status '" + lastMessage.get((String) m.get("channel")) + "'");
                }
            }
        }

        private void problem(String p) {
            if (problems.size() < 10) {
                problems.add(p);
            }
        }
    }

    /**
     * A sensor flapping between error and ok thousands of times while a monitor reads nothing: the
     * statuses it has not read are replaced by the newest one of their channel, so its queue holds
     * at most one per channel (and one partly written) past the cap that bounds its samples; the
     * replacements are counted, and when it reads, each channel's states come in order, newest last,
     * never ahead of the samples queued before them. A monitor that reads sees the same order.
     */
    @Test
    void aFlappingSensorCostsAStuckMonitorOneStatusPerChannelAndEveryMonitorGetsTheNewestLast() throws Exception {
        String other = "slow.c1";
        int rounds = 5_000;
        try (TestServer server = TestServer.start(settings().build(), List.of())) {
            register(server);
            Hub hub = server.service().hub();
            EventLoop loop = server.service().loop();
            server.onLoop(() -> {
                hub.register(new ChannelInfo(other, "slow test 2", ""));
                return null;
            });
            StateOrder readerSaw = new StateOrder();
            MultiMonitorReader reader = MultiMonitorReader.connect(server.port(), "/ws", 1, (m, opcode, b, off, len) ->
                    readerSaw.accept(new String(b, off, len, StandardCharsets.UTF_8)));
            Stuck stuck = new Stuck(server.port());
            try {
                await("both monitors joined", () -> onLoopBool(server, () -> hub.monitorCount() == 2));
                Connection conn = monitorAt(server, stuck.localPort()).connection();

                // Fill the stuck monitor's socket until the server holds a backlog over the cap.
                long seq = 0;
                while (!onLoopBool(server, () -> conn.droppedFrames() > 0)) {
                    long first = seq + 1;
                    server.onLoop(() -> {
                        for (long s = first; s < first + 100; s++) {
                            hub.onSample(new Sample(CHANNEL, s, System.currentTimeMillis() * 1000, 1));
                        }
                        return null;
                    });
                    seq += 100;
                    assertTrue(seq < 1_000_000, "the stuck monitor's socket never filled");
                }
                long base = seq;
                readerSaw.base = base;

                // Each round, one loop iteration: a sample, then c0 goes error and back, c1 errs anew.
                long maxQueued = 0;
                for (int k = 0; k < rounds; k++) {
                    int round = k;
                    long queued = server.onLoop(() -> {
                        long t = System.currentTimeMillis() * 1000;
                        hub.onSample(new Sample(CHANNEL, base + 1 + round, t, 2));
                        hub.onStatus(new StatusChange(CHANNEL, ChannelState.ERROR, "flap " + round));
                        hub.onStatus(new StatusChange(CHANNEL, ChannelState.OK, "up " + round));
                        hub.onStatus(new StatusChange(other, ChannelState.ERROR, "flap " + round));
                        return conn.queuedBytes(); // before this iteration's flush: everything just queued
                    });
                    maxQueued = Math.max(maxQueued, queued);
                }
                long lastQueued = server.onLoop(() -> {
                    hub.onStatus(new StatusChange(CHANNEL, ChannelState.ERROR, "final"));
                    hub.onStatus(new StatusChange(other, ChannelState.OK, "final"));
                    return conn.queuedBytes();
                });
                maxQueued = Math.max(maxQueued, lastQueued);
                int statuses = 3 * rounds + 2;
                assertTrue(maxQueued <= CAP + NOTICE_MAX + 3 * STATUS_MAX,
                        "queued for the stuck monitor: " + maxQueued + " bytes after " + statuses + " statuses");

                long replacedOnStuck = server.onLoop(conn::replacedFrames);
                long replacedInAll = server.onLoop(loop.stats()::replacedFrames);
                // Most found an older one of their channel waiting (not all: the kernel may grow the
                // socket's send buffer meanwhile and take a few).
                assertTrue(replacedOnStuck >= statuses / 2, replacedOnStuck + " of " + statuses + " statuses replaced");
                // The reading monitor's "flap k" is replaced by "up k" of the same iteration, before its flush.
                assertTrue(replacedInAll >= replacedOnStuck + rounds, replacedInAll + " replaced in all, "
                        + replacedOnStuck + " on the stuck monitor");
                String metrics = RawHttp.get(server.port(), "/metrics").text();
                java.util.regex.Matcher line = java.util.regex.Pattern
                        .compile("(?m)^sensorcast_state_frames_replaced_total (\\d+)$").matcher(metrics);
                assertTrue(line.find(), metrics);
                assertTrue(Long.parseLong(line.group(1)) >= replacedInAll, line.group());

                long lastSample = base + rounds;
                await("the reading monitor got both final states", () -> readerSaw.finals == 2 && readerSaw.lastSeq == lastSample);
                reader.close();
                assertNull(reader.failure(), "reader failed");
                assertEquals(List.of(), readerSaw.problems, "the reading monitor");

                // Now the stuck monitor reads: everything in order, the final states last. (The newest
                // sample is never dropped: reading up to it shows what came after the final states.)
                StateOrder stuckSaw = new StateOrder();
                stuckSaw.base = base;
                int frames = 0;
                while ((stuckSaw.finals < 2 || stuckSaw.lastSeq != lastSample) && frames++ < 1_000_000) {
                    Frame f = stuck.read();
                    assertEquals(1, f.opcode(), "a text frame");
                    stuckSaw.accept(f.text());
                }
                assertEquals(List.of(), stuckSaw.problems, "the stuck monitor");
                assertEquals(2, stuckSaw.finals);
                System.out.printf("flapping: %d statuses, at most %d bytes queued for the stuck monitor, %d replaced there, %d in all%n",
                        statuses, maxQueued, replacedOnStuck, replacedInAll);
            } finally {
                reader.close();
                stuck.close();
            }
        }
    }

    /**
     * Messages the server pushes that nothing can replace (the hello, alerts) are bounded too: a
     * monitor that leaves more than the cap of them unread has lost what they said, and is closed
     * with 1008 behind them, logged once.
     */
    @Test
    void aMonitorThatLeavesMoreThanTheCapOfPushedMessagesUnreadIsClosedWith1008() throws Exception {
        long mark = LogCapture.mark();
        Settings s = settings().closeLinger(Duration.ofSeconds(20)).build(); // time to read up to the close frame
        try (TestServer server = TestServer.start(s, List.of())) {
            register(server);
            Hub hub = server.service().hub();
            Stuck stuck = new Stuck(server.port());
            try {
                await("the monitor joined", () -> onLoopBool(server, () -> hub.monitorCount() == 1));
                WebSocket ws = monitorAt(server, stuck.localPort());
                Connection conn = ws.connection();
                long seq = 0;
                while (!onLoopBool(server, () -> conn.droppedFrames() > 0)) {
                    long first = seq + 1;
                    server.onLoop(() -> {
                        for (long q = first; q < first + 100; q++) {
                            hub.onSample(new Sample(CHANNEL, q, System.currentTimeMillis() * 1000, 1));
                        }
                        return null;
                    });
                    seq += 100;
                    assertTrue(seq < 1_000_000, "the stuck monitor's socket never filled");
                }
                byte[] alert = FrameEncoder.text(("{\"type\":\"alert\",\"pad\":\"" + "x".repeat(1000) + "\"}")
                        .getBytes(StandardCharsets.UTF_8));
                int accepted = server.onLoop(() -> {
                    int n = 0;
                    for (int i = 0; i < 10_000 && ws.isOpen(); i++) {
                        if (ws.send(OutboundFrame.pushed(alert))) {
                            n++;
                        }
                    }
                    return n;
                });
                assertTrue(accepted >= CAP / alert.length - 1 && accepted <= CAP / alert.length + 1,
                        accepted + " alerts of " + alert.length + " bytes queued under a cap of " + CAP);
                assertTrue(onLoopBool(server, conn::isClosing), "closing");

                Frame f;
                int frames = 0;
                int alerts = 0;
                do {
                    f = stuck.read();
                    if (f.opcode() == 1 && f.text().startsWith("{\"type\":\"alert\"")) {
                        alerts++;
                    }
                } while (f.opcode() != 0x8 && ++frames < 1_000_000);
                assertEquals(0x8, f.opcode());
                assertEquals(1008, f.closeCode(), "policy violation; reason: " + f.closeReason());
                assertEquals(accepted, alerts, "every alert queued was sent before the close");
                assertTrue(stuck.readToEnd(), "the server ends the TCP connection after the close frame");
                await("the server forgot the monitor", () -> onLoopBool(server, () -> hub.monitorCount() == 0));
            } finally {
                stuck.close();
            }
        }
        if (LogCapture.installed()) {
            assertEquals(1, LogCapture.count(mark, "messages left unread (ws.outbound_cap)"), String.join("\n", LogCapture.since(mark)));
        }
    }
}

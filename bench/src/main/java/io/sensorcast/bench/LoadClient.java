package io.sensorcast.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Holds N WebSocket monitors on loopback with one or two threads, each running its own
 * {@link Selector} over its share of the connections: never a thread per connection, so the
 * client costs the same whatever N is, and what is measured is the server.
 *
 * <p>It only reads: it speaks the HTTP upgrade itself, parses the server's frames (which are
 * unmasked), answers pings with masked pongs, and for each sample frame records the latency
 * from its "t" to arrival and any gap in its "seq".
 */
final class LoadClient {

    /** Connects in flight at once: 1,000 monitors arrive in batches, never as one SYN flood. */
    private static final int CONNECT_BATCH = 64;
    /** A frame bigger than this is a broken server, not a sample. */
    private static final int MAX_FRAME = 16 << 20;
    private static final int READ_BUFFER = 256 << 10;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final InetSocketAddress address;
    private final String path;
    private final int monitors;
    private final int minLifeMillis;
    private final int maxLifeMillis;
    private final List<Worker> workers = new ArrayList<>();

    /**
     * 0 warming up, 1 measuring, 2 finished. Workers record in 0 as well and start afresh when they
     * see 1: the warm-up runs the very code the window does, so it is compiled by then. Recording
     * only from the window's start left HdrHistogram and the time scan to the interpreter in the
     * window's first few hundred milliseconds: at millions of frames a second the client fell
     * behind there, and its backlog read as 100 ms of server latency.
     */
    private volatile int phase;
    private volatile boolean stopping;

    /** A client that keeps its monitors connected. */
    LoadClient(InetSocketAddress address, int monitors, int threads) {
        this(address, monitors, threads, 0, 0);
    }

    /**
     * A client whose monitors each live a random time in [minLifeMillis, maxLifeMillis] and are then
     * replaced by a new one (churn); 0, 0 keeps them.
     */
    LoadClient(InetSocketAddress address, int monitors, int threads, int minLifeMillis, int maxLifeMillis) {
        this.address = address;
        this.path = "/ws";
        this.monitors = monitors;
        this.minLifeMillis = minLifeMillis;
        this.maxLifeMillis = maxLifeMillis;
        int n = Math.max(1, Math.min(threads, monitors));
        for (int i = 0; i < n; i++) {
            int share = monitors / n + (i < monitors % n ? 1 : 0);
            workers.add(new Worker(i, share));
        }
    }

    void start() throws IOException {
        for (Worker w : workers) {
            w.selector = Selector.open();
            w.thread.start();
        }
    }

    /** Monitors whose upgrade completed and that are open now. */
    int connected() {
        int n = 0;
        for (Worker w : workers) {
            n += w.open;
        }
        return n;
    }

    /** Waits until every monitor is connected or the bound passes; true if they all are. */
    boolean awaitConnected(long timeoutMillis) throws InterruptedException {
        long end = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (System.nanoTime() < end) {
            if (connected() >= monitors) {
                return true;
            }
            if (!anyAlive()) {
                return false;
            }
            Thread.sleep(20);
        }
        return connected() >= monitors;
    }

    void beginMeasuring() {
        phase = 1;
    }

    /**
     * Ends the window now: what the caller does next (reading /proc, scraping the server's
     * metrics, on this client's core) must not be counted as the server's latency.
     */
    void endMeasuring() {
        if (phase == 1) {
            phase = 2;
        }
    }

    /**
     * Sample frames counted so far (read from other threads: approximate); in the warm-up, those of
     * the warm-up, until the window starts them afresh.
     */
    long samplesSoFar() {
        long n = 0;
        for (Worker w : workers) {
            n += w.publishedSamples;
        }
        return n;
    }

    /** Upgrades completed so far, since the start (with churn, far more than the monitors). */
    long upgradesSoFar() {
        long n = 0;
        for (Worker w : workers) {
            n += w.upgrades;
        }
        return n;
    }

    /** Status messages with state error counted so far, as {@link #samplesSoFar}. */
    long statusErrorsSoFar() {
        long n = 0;
        for (Worker w : workers) {
            n += w.publishedErrors;
        }
        return n;
    }

    /** Ends the window, closes every monitor, and returns what was counted in the window. */
    Result stop() throws InterruptedException {
        endMeasuring();
        phase = 2;
        stopping = true;
        ClientStats all = new ClientStats();
        long windowNanos = 0;
        int windows = 0;
        for (Worker w : workers) {
            w.selector.wakeup();
            w.thread.join(5_000);
            if (w.thread.isAlive()) {
                w.thread.interrupt();
                w.thread.join(1_000);
            }
            // Only a worker that had a window counted in one: the others' counts are the warm-up's
            // (a server that died before the window, a worker that failed).
            if (w.windowOver) {
                all.add(w.stats);
                windowNanos += w.windowNanos;
                windows++;
            }
        }
        // The counts are the workers', so the window is theirs too: the caller's, shifted by up to
        // one batch of reads at each end (a batch is tens of thousands of frames at the ceiling).
        double seconds = windows > 0 ? windowNanos / 1e9 / windows : 0;
        String failure = null;
        long cpuNanos = 0;
        for (Worker w : workers) {
            cpuNanos += w.cpuInWindow;
            if (w.failure != null) {
                failure = w.failure;
            }
        }
        double cpuPercent = seconds > 0 ? cpuNanos / 1e9 / seconds * 100 : 0;
        return new Result(all, seconds, cpuPercent, failure);
    }

    private boolean anyAlive() {
        for (Worker w : workers) {
            if (w.thread.isAlive()) {
                return true;
            }
        }
        return false;
    }

    /**
     * What the client measured: the merged counts, the window's length, the client threads' own
     * CPU in it (near 100 % of a core per thread means the client, not the server, was the limit),
     * and a failure of the client itself.
     */
    record Result(ClientStats stats, double seconds, double clientCpuPercent, String failure) {}

    /** One selector thread and the monitors it owns. */
    private final class Worker implements Runnable {
        final Thread thread;
        final int target;
        final ClientStats stats = new ClientStats();
        final Set<Monitor> all = new HashSet<>();
        final byte[] buffer = new byte[READ_BUFFER];
        Selector selector;
        volatile int open;
        volatile long publishedSamples;
        volatile long publishedErrors;
        volatile long upgrades;
        int pending;
        long pauseUntil;
        /** This worker's window, a little after the caller's: when it reset its counts and when it stopped. */
        boolean inWindow;
        volatile boolean windowOver;
        long windowStart;
        volatile long windowNanos;
        long cpuAtStart;
        volatile long cpuInWindow;
        String failure;

        Worker(int index, int target) {
            this.target = target;
            this.thread = new Thread(this, "load-client-" + index);
            this.thread.setDaemon(true);
        }

        @Override
        public void run() {
            try {
                while (!stopping) {
                    long now = System.nanoTime();
                    openMore(now);
                    selector.select(50);
                    int p = phase;
                    if (p >= 1 && !inWindow && !windowOver) {
                        stats.reset(); // the warm-up's counts were for the compiler only
                        windowStart = System.nanoTime();
                        cpuAtStart = THREADS.getCurrentThreadCpuTime();
                        inWindow = true;
                    }
                    if (p == 2 && inWindow) {
                        closeWindow();
                    }
                    boolean counting = !windowOver; // warm-up and window alike
                    for (SelectionKey k : selector.selectedKeys()) {
                        handle((Monitor) k.attachment(), k, counting);
                    }
                    selector.selectedKeys().clear();
                    if (maxLifeMillis > 0) {
                        retireExpired(System.nanoTime());
                    }
                    publishedSamples = stats.samples;
                    publishedErrors = stats.statusErrors;
                }
            } catch (IOException | RuntimeException e) {
                failure = "load client: " + e;
            } finally {
                if (inWindow) {
                    closeWindow();
                }
                for (Monitor m : all) {
                    closeQuietly(m);
                }
                all.clear();
                open = 0;
                try {
                    selector.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }

        private void openMore(long now) {
            if (now < pauseUntil) {
                return;
            }
            while (pending < CONNECT_BATCH && all.size() < target) {
                SocketChannel s = null;
                Monitor m = null;
                try {
                    s = SocketChannel.open();
                    s.configureBlocking(false);
                    s.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    long leaveAt = maxLifeMillis > 0
                            ? now + ThreadLocalRandom.current().nextLong(minLifeMillis, maxLifeMillis + 1) * 1_000_000L
                            : Long.MAX_VALUE;
                    m = new Monitor(s, leaveAt);
                    all.add(m);
                    pending++;
                    if (s.connect(address)) {
                        m.key = s.register(selector, 0, m);
                        sendUpgrade(m);
                    } else {
                        m.key = s.register(selector, SelectionKey.OP_CONNECT, m);
                    }
                } catch (IOException e) {
                    // Refused, or out of ports or fds: back off instead of spinning.
                    if (m != null) {
                        forget(m);
                    } else if (s != null) {
                        try {
                            s.close();
                        } catch (IOException ignored) {
                            // giving up on it anyway
                        }
                    }
                    stats.connectFailures++;
                    pauseUntil = now + 100_000_000L;
                    return;
                }
            }
        }

        private void closeWindow() {
            cpuInWindow = THREADS.getCurrentThreadCpuTime() - cpuAtStart;
            windowNanos = System.nanoTime() - windowStart;
            inWindow = false;
            windowOver = true;
        }

        private void handle(Monitor m, SelectionKey k, boolean measuring) {
            try {
                if (!k.isValid()) {
                    return;
                }
                if (k.isConnectable()) {
                    m.socket.finishConnect();
                    sendUpgrade(m);
                    return;
                }
                if (k.isReadable()) {
                    read(m, measuring);
                }
            } catch (IOException e) {
                drop(m, measuring);
            }
        }

        private void sendUpgrade(Monitor m) throws IOException {
            byte[] nonce = new byte[16];
            ThreadLocalRandom.current().nextBytes(nonce);
            String request = "GET " + path + " HTTP/1.1\r\n"
                    + "Host: " + address.getHostString() + ":" + address.getPort() + "\r\n"
                    + "Upgrade: websocket\r\n"
                    + "Connection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n";
            writeFully(m, ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
            m.state = Monitor.State.UPGRADING;
            m.key.interestOps(SelectionKey.OP_READ);
        }

        private void read(Monitor m, boolean measuring) throws IOException {
            byte[] b = buffer;
            int carried = m.carryLength;
            System.arraycopy(m.carry, 0, b, 0, carried);
            m.carryLength = 0;
            int n = m.socket.read(ByteBuffer.wrap(b, carried, b.length - carried));
            if (n < 0) {
                if (m.state == Monitor.State.OPEN && measuring) {
                    stats.closedByServer++;
                }
                drop(m, measuring);
                return;
            }
            if (measuring) {
                stats.bytes += n;
            }
            int end = carried + n;
            int pos = 0;
            if (m.state == Monitor.State.UPGRADING) {
                int headerEnd = headerEnd(b, end);
                if (headerEnd < 0) {
                    if (end > 16 << 10) {
                        throw new IOException("no end of the HTTP response in 16 KiB");
                    }
                    m.keep(b, 0, end);
                    return;
                }
                if (!new String(b, 0, Math.min(12, end), StandardCharsets.US_ASCII).equals("HTTP/1.1 101")) {
                    throw new IOException("upgrade refused: " + new String(b, 0, Math.min(80, end), StandardCharsets.US_ASCII));
                }
                m.state = Monitor.State.OPEN;
                pending--;
                open++;
                upgrades++;
                pos = headerEnd;
            }
            long arrival = measuring ? nowMicros() : 0;
            pos = frames(m, b, pos, end, measuring, arrival);
            if (pos < end) {
                if (end - pos > MAX_FRAME) {
                    throw new IOException("frame over " + MAX_FRAME + " bytes");
                }
                m.keep(b, pos, end);
            }
        }

        /** Handles each complete frame in b[pos, end); returns where the first incomplete one starts. */
        private int frames(Monitor m, byte[] b, int pos, int end, boolean measuring, long arrival) throws IOException {
            while (end - pos >= 2) {
                int opcode = b[pos] & 0x0f;
                boolean masked = (b[pos + 1] & 0x80) != 0;
                long length = b[pos + 1] & 0x7f;
                int header = 2;
                if (length == 126) {
                    if (end - pos < 4) {
                        break;
                    }
                    length = ((b[pos + 2] & 0xff) << 8) | (b[pos + 3] & 0xff);
                    header = 4;
                } else if (length == 127) {
                    if (end - pos < 10) {
                        break;
                    }
                    length = 0;
                    for (int i = 2; i < 10; i++) {
                        length = (length << 8) | (b[pos + i] & 0xff);
                    }
                    header = 10;
                }
                if (masked) {
                    header += 4; // a server must not mask (RFC 6455 5.1); tolerated, never seen
                }
                if (length > MAX_FRAME) {
                    throw new IOException("frame of " + length + " bytes");
                }
                if (end - pos < header + length) {
                    // Grow the read buffer's worth of carry: the frame is completed by later reads.
                    if (header + length > buffer.length) {
                        throw new IOException("frame larger than the read buffer");
                    }
                    break;
                }
                int from = pos + header;
                int to = from + (int) length;
                switch (opcode) {
                    case 0x1 -> text(m, b, from, to, measuring, arrival);
                    case 0x8 -> throw new IOException("closed by the server");
                    case 0x9 -> pong(m, b, from, to);
                    default -> {
                        // binary, continuation, pong: not part of the monitor protocol we count
                    }
                }
                pos = to;
            }
            return pos;
        }

        private void text(Monitor m, byte[] b, int from, int to, boolean measuring, long arrival) {
            switch (MessageScan.kind(b, from, to)) {
                case SAMPLE -> {
                    long seq = MessageScan.seq(b, from, to);
                    int cs = MessageScan.channelStart(b, from, to);
                    int ce = cs < 0 ? -1 : MessageScan.channelEnd(b, cs, to);
                    if (seq < 0 || ce < 0) {
                        return;
                    }
                    long missing = m.advance(b, cs, ce, seq);
                    if (!measuring) {
                        return;
                    }
                    stats.samples++;
                    if (missing > 0) {
                        stats.lost += missing;
                    } else if (missing < 0) {
                        stats.reordered++;
                    }
                    long t = MessageScan.timeMicros(b, from, to);
                    if (t > 0) {
                        stats.recordLatency(arrival - t);
                    }
                }
                case DROPPED -> {
                    if (measuring) {
                        stats.droppedReported += Math.max(0, MessageScan.count(b, from, to));
                    }
                }
                case STATUS -> {
                    if (measuring && MessageScan.isErrorState(b, from, to)) {
                        stats.statusErrors++;
                    }
                }
                case OTHER -> {
                    if (measuring) {
                        stats.otherMessages++;
                    }
                }
            }
        }

        /** Answers a ping with a pong carrying its payload, masked as a client must (RFC 6455 5.3). */
        private void pong(Monitor m, byte[] b, int from, int to) throws IOException {
            int n = to - from;
            if (n > 125) {
                throw new IOException("ping payload over 125 bytes");
            }
            byte[] mask = new byte[4];
            ThreadLocalRandom.current().nextBytes(mask);
            ByteBuffer out = ByteBuffer.allocate(6 + n);
            out.put((byte) 0x8A).put((byte) (0x80 | n)).put(mask);
            for (int i = 0; i < n; i++) {
                out.put((byte) (b[from + i] ^ mask[i & 3]));
            }
            out.flip();
            writeFully(m, out);
        }

        private void writeFully(Monitor m, ByteBuffer out) throws IOException {
            // Tiny writes on loopback: a few tries are plenty; a socket that takes none is broken.
            for (int tries = 0; out.hasRemaining() && tries < 100; tries++) {
                m.socket.write(out);
            }
            if (out.hasRemaining()) {
                throw new IOException("could not write " + out.remaining() + " bytes");
            }
        }

        private void retireExpired(long now) {
            List<Monitor> due = null;
            for (Monitor m : all) {
                if (m.leaveAt <= now) {
                    (due == null ? due = new ArrayList<>() : due).add(m);
                }
            }
            if (due != null) {
                for (Monitor m : due) {
                    forget(m);
                }
            }
        }

        /** A monitor the server closed or broke: counted, and replaced by the next openMore. */
        private void drop(Monitor m, boolean measuring) {
            if (m.state != Monitor.State.OPEN && measuring) {
                stats.connectFailures++;
            }
            if (m.state != Monitor.State.OPEN) {
                pauseUntil = System.nanoTime() + 20_000_000L;
            }
            forget(m);
        }

        private void forget(Monitor m) {
            if (!all.remove(m)) {
                return;
            }
            if (m.state == Monitor.State.OPEN) {
                open--;
            } else {
                pending--;
            }
            closeQuietly(m);
        }

        private void closeQuietly(Monitor m) {
            try {
                m.socket.close();
            } catch (IOException ignored) {
                // nothing more to do for a socket we give up on
            }
        }
    }

    /** Wall-clock now in epoch microseconds, the resolution of the "t" the servers stamp. */
    private static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    private static int headerEnd(byte[] b, int end) {
        for (int i = 3; i < end; i++) {
            if (b[i] == '\n' && b[i - 1] == '\r' && b[i - 2] == '\n' && b[i - 3] == '\r') {
                return i + 1;
            }
        }
        return -1;
    }
}

package io.sensorcast.testing;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Many WebSocket monitors read by one client thread: a Selector over all their sockets, each with
 * its own buffer and frame parser (server frames: unmasked, 7/16/64-bit lengths). One thread and a
 * small buffer per monitor, instead of a thread and a stream each, so fifty monitors fit the test
 * heap next to the server. Independent of the server's codec, like {@link WsTestClient}.
 *
 * <p>Frames go to a {@link Listener} on the reader thread. Counters ({@link #frames}, {@link
 * #closeCode}, {@link #isClosed}) may be read from any thread while it runs; whatever the listener
 * collected is safe to read after {@link #close()}, which joins the thread.
 */
public final class MultiMonitorReader implements AutoCloseable {

    /** Called on the reader thread for each frame; {@code buf} is reused: copy what you keep. */
    @FunctionalInterface
    public interface Listener {
        void onFrame(int monitor, int opcode, byte[] buf, int offset, int length);
    }

    private static final int INITIAL_BUFFER = 32 * 1024;
    private static final long MAX_FRAME = 16L << 20;

    private final Selector selector;
    private final SocketChannel[] channels;
    private final ByteBuffer[] buffers;
    private final Listener listener;
    private final AtomicLongArray frames;
    private final AtomicIntegerArray closeCodes; // 0: no close frame yet
    private final AtomicIntegerArray closed;     // 1: EOF or reset
    private final Thread thread;
    private volatile boolean stopping;
    private volatile Throwable failure;

    private MultiMonitorReader(int count, Listener listener) throws IOException {
        this.selector = Selector.open();
        this.channels = new SocketChannel[count];
        this.buffers = new ByteBuffer[count];
        this.listener = listener;
        this.frames = new AtomicLongArray(count);
        this.closeCodes = new AtomicIntegerArray(count);
        this.closed = new AtomicIntegerArray(count);
        this.thread = new Thread(this::run, "multi-monitor-reader");
        this.thread.setDaemon(true);
    }

    /** Connects {@code count} monitors to {@code path} on 127.0.0.1:{@code port}, handshakes each, starts reading. */
    public static MultiMonitorReader connect(int port, String path, int count, Listener listener) throws IOException {
        return connect(port, path, count, null, listener);
    }

    /**
     * As {@link #connect(int, String, int, Listener)}, and each monitor sends {@code firstText} (a
     * subscribe message, say) as a masked text frame right after its handshake; null sends nothing.
     */
    public static MultiMonitorReader connect(int port, String path, int count, String firstText, Listener listener)
            throws IOException {
        MultiMonitorReader r = new MultiMonitorReader(count, listener);
        try {
            for (int i = 0; i < count; i++) {
                r.open(i, port, path);
                if (firstText != null) {
                    r.sendText(i, firstText);
                }
            }
        } catch (IOException | RuntimeException e) {
            r.closeChannels();
            throw e;
        }
        r.thread.start();
        return r;
    }

    private void open(int i, int port, String path) throws IOException {
        SocketChannel ch = SocketChannel.open();
        channels[i] = ch;
        ch.socket().setSoTimeout(10_000);
        ch.connect(new InetSocketAddress("127.0.0.1", port));
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String req = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
        ByteBuffer out = ByteBuffer.wrap(req.getBytes(StandardCharsets.ISO_8859_1));
        while (out.hasRemaining()) {
            ch.write(out);
        }
        // Read the response head; whatever follows it (the hello) stays in the buffer.
        ByteBuffer buf = ByteBuffer.allocate(INITIAL_BUFFER);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int end;
        while ((end = headEnd(buf)) < 0) {
            if (System.nanoTime() - deadline > 0 || !buf.hasRemaining()) {
                throw new IOException("no complete handshake response for monitor " + i);
            }
            if (ch.read(buf) < 0) {
                throw new EOFException("connection closed during the handshake of monitor " + i);
            }
        }
        String head = new String(buf.array(), 0, end, StandardCharsets.ISO_8859_1);
        if (!head.startsWith("HTTP/1.1 101")) {
            throw new IOException("handshake refused for monitor " + i + ": " + head);
        }
        buf.flip().position(end);
        buf.compact(); // write mode again, holding the bytes after the head
        buffers[i] = buf;
        ch.configureBlocking(false);
        ch.register(selector, SelectionKey.OP_READ, i);
    }

    /** A short masked text frame (at most 125 bytes). */
    private void sendText(int i, String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        if (payload.length > 125) {
            throw new IllegalArgumentException("a first message of at most 125 bytes: " + text);
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        ByteBuffer out = ByteBuffer.allocate(6 + payload.length);
        out.put((byte) 0x81).put((byte) (0x80 | payload.length)).put(mask);
        for (int k = 0; k < payload.length; k++) {
            out.put((byte) (payload[k] ^ mask[k & 3]));
        }
        out.flip();
        // Non-blocking (the channel is registered already); a fresh socket takes a few bytes at once.
        for (int tries = 0; out.hasRemaining(); tries++) {
            if (tries == 1000) {
                throw new IOException("monitor " + i + " could not send its first message");
            }
            channels[i].write(out);
        }
    }

    /** Index just past "\r\n\r\n" in buf[0, position), or -1. */
    private static int headEnd(ByteBuffer buf) {
        byte[] a = buf.array();
        for (int i = 3; i < buf.position(); i++) {
            if (a[i - 3] == '\r' && a[i - 2] == '\n' && a[i - 1] == '\r' && a[i] == '\n') {
                return i + 1;
            }
        }
        return -1;
    }

    public int count() {
        return channels.length;
    }

    /** Frames received by monitor {@code i} so far (any opcode). */
    public long frames(int i) {
        return frames.get(i);
    }

    /** The fewest frames any monitor has received. */
    public long minFrames() {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < channels.length; i++) {
            min = Math.min(min, frames.get(i));
        }
        return min;
    }

    /** The close code monitor {@code i} received, or 0 if no close frame came. */
    public int closeCode(int i) {
        return closeCodes.get(i);
    }

    /** True once the server ended monitor {@code i}'s TCP connection. */
    public boolean isClosed(int i) {
        return closed.get(i) == 1;
    }

    /** What went wrong on the reader thread (a malformed frame, a listener that threw), or null. */
    public Throwable failure() {
        return failure;
    }

    /** The local port of monitor {@code i}'s socket: how the server names it as a peer. */
    public int localPort(int i) {
        return channels[i].socket().getLocalPort();
    }

    private void run() {
        try {
            // What came with the handshake response (the hello, often) is already buffered.
            for (int i = 0; i < buffers.length; i++) {
                buffers[i].flip();
                parse(i, buffers[i]);
                buffers[i].compact();
            }
            while (!stopping) {
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.isValid() && key.isReadable()) {
                        readFrom((Integer) key.attachment(), key);
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    private void readFrom(int i, SelectionKey key) throws IOException {
        ByteBuffer buf = buffers[i];
        int n;
        try {
            n = channels[i].read(buf);
        } catch (IOException reset) {
            n = -1;
        }
        if (n < 0) {
            closed.set(i, 1);
            key.cancel();
        }
        buf.flip();
        long needed = parse(i, buf);
        if (needed > buf.capacity()) {
            // The next frame is larger than the buffer: grow it (bounded by MAX_FRAME).
            ByteBuffer bigger = ByteBuffer.allocate((int) needed);
            bigger.put(buf);
            buffers[i] = bigger;
        } else {
            buf.compact();
        }
    }

    /**
     * Delivers every complete frame in buf (read mode), leaving position at the first incomplete
     * one; returns the size of that incomplete frame (header included) if known, else 0.
     */
    private long parse(int i, ByteBuffer buf) throws IOException {
        byte[] a = buf.array();
        while (buf.remaining() >= 2) {
            int p = buf.position();
            int b0 = a[p] & 0xFF;
            int b1 = a[p + 1] & 0xFF;
            if ((b1 & 0x80) != 0) {
                throw new IOException("monitor " + i + ": server frames must not be masked (RFC 6455 5.1)");
            }
            long len = b1 & 0x7F;
            int header = 2;
            if (len == 126) {
                if (buf.remaining() < 4) {
                    return 0;
                }
                len = ((a[p + 2] & 0xFF) << 8) | (a[p + 3] & 0xFF);
                header = 4;
            } else if (len == 127) {
                if (buf.remaining() < 10) {
                    return 0;
                }
                len = 0;
                for (int k = 0; k < 8; k++) {
                    len = (len << 8) | (a[p + 2 + k] & 0xFF);
                }
                header = 10;
            }
            if (len > MAX_FRAME) {
                throw new IOException("monitor " + i + ": frame of " + len + " bytes is beyond what a test expects");
            }
            if (buf.remaining() < header + len) {
                return header + len;
            }
            int opcode = b0 & 0x0F;
            int off = p + header;
            if (opcode == 0x8) {
                int code = len >= 2 ? ((a[off] & 0xFF) << 8) | (a[off + 1] & 0xFF) : 1005;
                closeCodes.set(i, code);
            }
            listener.onFrame(i, opcode, a, off, (int) len);
            frames.incrementAndGet(i);
            buf.position(off + (int) len);
        }
        return 0;
    }

    /** Waits (at most {@code timeoutMillis}) until every monitor has at least {@code n} frames; false on timeout. */
    public boolean awaitFrames(long n, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (minFrames() < n) {
            if (failure != null || System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /** Stops the reader thread and closes every socket. */
    @Override
    public void close() throws InterruptedException {
        stopping = true;
        selector.wakeup();
        thread.join(TimeUnit.SECONDS.toMillis(10));
        closeChannels();
    }

    private void closeChannels() {
        for (SocketChannel ch : channels) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // a test client going away; nothing to do
                }
            }
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // same
        }
    }
}

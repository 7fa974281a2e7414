package io.sensorcast.loop;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A listening socket of the loop and what speaks on the connections it accepts. When accept fails
 * (EMFILE: out of file descriptors) the pending connection stays in the backlog and the selector
 * would report it again at once, so it stops asking for OP_ACCEPT for a while, doubling up to a
 * second, instead of spinning. Loop thread only.
 */
final class Acceptor {

    private static final int ACCEPTS_PER_ITERATION = 64;
    private static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final EventLoop loop;
    private final ServerSocketChannel server;
    final Function<Connection, Protocol> protocols;
    private final SelectionKey key;
    private final InetSocketAddress address;
    private long backoffNanos = MIN_BACKOFF_NANOS;
    private boolean failing;

    /** Binds {@code address} (port 0: any free port) and registers it with the loop's selector. */
    static Acceptor open(EventLoop loop, Selector selector, InetSocketAddress address,
            Function<Connection, Protocol> protocols) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(address, 512);
            server.configureBlocking(false);
            return new Acceptor(loop, server, server.register(selector, SelectionKey.OP_ACCEPT), protocols);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private Acceptor(EventLoop loop, ServerSocketChannel server, SelectionKey key, Function<Connection, Protocol> protocols)
            throws IOException {
        this.loop = loop;
        this.server = server;
        this.key = key;
        this.protocols = protocols;
        this.address = (InetSocketAddress) server.getLocalAddress();
        key.attach(this);
    }

    InetSocketAddress address() {
        return address;
    }

    /** Accepts what is waiting, at most {@value #ACCEPTS_PER_ITERATION} per iteration, and hands each to the loop. */
    void acceptReady() {
        for (int i = 0; i < ACCEPTS_PER_ITERATION; i++) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                backOff(e);
                return;
            }
            if (ch == null) {
                return;
            }
            if (failing) {
                failing = false;
                loop.infoLimited("accept-again", "accepting connections again");
            }
            backoffNanos = MIN_BACKOFF_NANOS;
            loop.admit(ch, this);
        }
    }

    private void backOff(IOException e) {
        if (!failing) {
            // Rate-limited too: at the fd limit every closing peer frees one descriptor, so failing
            // and recovering can alternate many times a second under churn.
            loop.warnLimited("accept-failed", "accept failed (" + e.getMessage() + "); backing off and retrying");
            failing = true;
        }
        key.interestOps(0);
        long delay = backoffNanos;
        backoffNanos = Math.min(MAX_BACKOFF_NANOS, delay * 2);
        loop.schedule(delay, () -> {
            if (key.isValid()) {
                key.interestOps(SelectionKey.OP_ACCEPT);
            }
        });
    }

    /** Stops listening; connections accepted here stay open. */
    void close() {
        key.cancel();
        try {
            server.close();
        } catch (IOException e) {
            // A listening socket we are discarding: nothing to do about a failed close.
        }
    }
}

package io.sensorcast.loop;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * The loop's open connections: admitted under http.max_connections, swept once a second for
 * their timeouts, told to say goodbye at shutdown. Removal is O(1): the last connection takes the
 * place of the one that leaves, so walks go backwards. Loop thread only.
 */
final class Connections {

    private final TaggedLogger log = Logger.tag("loop");
    private final EventLoop loop;
    private final ArrayList<Connection> open = new ArrayList<>();

    Connections(EventLoop loop) {
        this.loop = loop;
    }

    int size() {
        return open.size();
    }

    /** An accepted socket becomes a connection speaking {@code protocols}' protocol, or is closed at once. */
    void admit(SocketChannel ch, Selector selector, Function<Connection, Protocol> protocols, boolean refuse) {
        int max = loop.settings().maxConnections;
        if (refuse || open.size() >= max) {
            loop.stats().rejectedConnections++;
            loop.warnLimited("max-connections", "refusing a connection: " + max
                    + " connections are open (http.max_connections)");
            closeQuietly(ch);
            return;
        }
        Connection c = null;
        try {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            c = new Connection(loop, ch, loop.settings().outboundCapBytes);
            SelectionKey key = ch.register(selector, SelectionKey.OP_READ, c);
            c.index = open.size();
            open.add(c);
            c.attach(key, protocols.apply(c));
            loop.stats().accepted++;
        } catch (IOException | RuntimeException e) {
            loop.warnLimited("register", "could not set up an accepted connection: " + e);
            if (c != null) {
                closed(c);
            }
            closeQuietly(ch);
        }
    }

    /**
     * An outbound connection to {@code address}, speaking {@code protocol}: the connect is started
     * without blocking and finished on OP_CONNECT. It does not count against http.max_connections,
     * which bounds what peers open to us.
     */
    Connection connect(InetSocketAddress address, String peer, Selector selector, Protocol protocol, boolean refuse)
            throws IOException {
        if (refuse) {
            throw new IOException("the event loop is stopping");
        }
        if (address.isUnresolved()) {
            throw new UnknownHostException(address.getHostString());
        }
        SocketChannel ch = SocketChannel.open();
        Connection c = null;
        try {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            boolean done = ch.connect(address);
            c = new Connection(loop, ch, loop.settings().outboundCapBytes, peer);
            c.connecting();
            SelectionKey key = ch.register(selector, done ? 0 : SelectionKey.OP_CONNECT, c);
            c.index = open.size();
            open.add(c);
            c.attach(key, protocol);
            if (done) {
                // Loopback may connect at once: finish it from a timer, after the caller has its connection.
                Connection now = c;
                loop.schedule(0, () -> {
                    try {
                        now.onConnectable();
                    } catch (Exception | Error e) {
                        fail(now, e);
                    }
                });
            }
            return c;
        } catch (IOException | RuntimeException e) {
            if (c != null) {
                closed(c);
            }
            closeQuietly(ch);
            throw e;
        }
    }

    /** {@code c} closed: it leaves the table (a second call does nothing). */
    void closed(Connection c) {
        int i = c.index;
        if (i < 0) {
            return;
        }
        Connection last = open.remove(open.size() - 1);
        if (last != c) {
            open.set(i, last);
            last.index = i;
        }
        c.index = -1;
    }

    /** One connection failed: close it, say why once, and go on with the others. */
    void fail(Connection c, Throwable e) {
        EventLoop.rethrowIfFatal(e);
        if (e instanceof IOException) {
            log.debug("{}: {}", c.peer(), e.toString()); // resets and broken pipes are how peers leave
        } else {
            loop.warnLimited("connection:" + e.getClass().getName(), c.peer() + ": closing after an internal error: " + e);
            log.debug(e, "{}: stack", c.peer());
        }
        try {
            c.protocol().onError(c, e);
        } catch (RuntimeException protocolFailure) {
            log.debug(protocolFailure, "{}: the protocol failed on an error", c.peer());
        }
        try {
            c.close();
        } catch (RuntimeException closeFailure) {
            log.debug(closeFailure, "closing {} after a failure failed too", c.peer());
        }
    }

    /** Runs {@code action} on every connection; one that throws goes to {@code failed} and the walk goes on. */
    void forEach(ConnectionAction action, BiConsumer<Connection, Throwable> failed) {
        for (int i = open.size() - 1; i >= 0; i--) {
            if (i >= open.size()) {
                continue; // an earlier action closed more than its own connection
            }
            Connection c = open.get(i);
            try {
                action.apply(c);
            } catch (Exception | Error e) {
                failed.accept(c, e);
            }
        }
    }

    /** Something done to one connection that may fail. */
    @FunctionalInterface
    interface ConnectionAction {
        void apply(Connection c) throws Exception;
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // A socket we never used: nothing to release.
        }
    }
}

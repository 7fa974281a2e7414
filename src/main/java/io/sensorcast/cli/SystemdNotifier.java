package io.sensorcast.cli;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * Tells systemd how the service is (sd_notify(3)): {@code READY=1}, {@code WATCHDOG=1},
 * {@code RELOADING=1}, {@code STOPPING=1}, {@code STATUS=…}, one datagram each on the AF_UNIX
 * socket that {@code NOTIFY_SOCKET} names. Without {@code NOTIFY_SOCKET} (a terminal, a test)
 * every send does nothing and no native code is loaded.
 *
 * <p>Any thread. A send never blocks: a full socket drops the message, which is counted and
 * logged once, like any other failure.
 */
public final class SystemdNotifier implements AutoCloseable {

    /** Not under systemd: sends nothing. */
    public static final SystemdNotifier NONE = new SystemdNotifier(null, 0, "");

    private static final TaggedLogger LOG = Logger.tag("main");
    /** sockaddr_un: a 2-byte family, then sun_path[108]. */
    private static final int SUN_PATH_BYTES = 108;
    private static final short AF_UNIX = 1;

    /** The socket, as its native side sees it: returns 0 or the errno of a failed send. */
    interface Socket {
        int send(byte[] message);

        void close();
    }

    private final Socket socket;
    private final long watchdogNanos;
    private final String address;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicBoolean failureLogged = new AtomicBoolean();

    SystemdNotifier(Socket socket, long watchdogNanos, String address) {
        this.socket = socket;
        this.watchdogNanos = watchdogNanos;
        this.address = address;
    }

    /**
     * What systemd asked this process for: {@code NOTIFY_SOCKET} (a path, or an abstract name
     * written with a leading {@code @}), and {@code WATCHDOG_USEC} with {@code WATCHDOG_PID} as
     * sd_watchdog_enabled(3) reads them (a watchdog meant for another PID is not ours). Opens the
     * socket here, on the caller's thread, so that the loop only ever sends.
     *
     * @throws IllegalArgumentException or {@link IllegalStateException} when systemd waits for
     *     READY=1 on a socket this process cannot use: the start fails at once with the reason,
     *     instead of serving until systemd's start timeout kills it, again every 90 s without end
     */
    public static SystemdNotifier fromEnvironment(Map<String, String> env, long pid) {
        String where = env.get("NOTIFY_SOCKET");
        if (where == null || where.isEmpty()) {
            return NONE;
        }
        byte[] sockaddr = sockaddr(where);
        try {
            return new SystemdNotifier(UnixDatagramSocket.open(sockaddr), watchdogNanos(env, pid), where);
        } catch (Exception | LinkageError e) {
            throw new IllegalStateException("cannot open systemd's notification socket " + where + " ("
                    + e + "), so systemd would never hear READY=1", e);
        }
    }

    /** Half of WATCHDOG_USEC (sd_watchdog_enabled(3): ping at half the interval); 0 if none is ours. */
    static long watchdogNanos(Map<String, String> env, long pid) {
        String usec = env.get("WATCHDOG_USEC");
        if (usec == null || usec.isEmpty()) {
            return 0;
        }
        String forPid = env.get("WATCHDOG_PID");
        try {
            if (forPid != null && !forPid.isEmpty() && Long.parseLong(forPid) != pid) {
                return 0;
            }
            long micros = Long.parseLong(usec);
            if (micros <= 0) {
                throw new NumberFormatException(usec);
            }
            return TimeUnit.MICROSECONDS.toNanos(micros) / 2;
        } catch (NumberFormatException e) {
            LOG.warn("ignoring systemd's watchdog: WATCHDOG_USEC={} WATCHDOG_PID={} is not a positive number", usec, forPid);
            return 0;
        }
    }

    /**
     * The sockaddr_un for {@code NOTIFY_SOCKET}: family AF_UNIX in the machine's byte order, then
     * a path with its NUL, or for {@code @name} a NUL and the name (an abstract name has no
     * terminator: its length is the address length).
     */
    static byte[] sockaddr(String notifySocket) {
        boolean path = notifySocket.startsWith("/");
        if (!path && !notifySocket.startsWith("@")) {
            throw new IllegalArgumentException("NOTIFY_SOCKET=" + notifySocket
                    + " is neither a path nor an abstract name (@…)");
        }
        byte[] name = notifySocket.getBytes(StandardCharsets.UTF_8);
        int max = path ? SUN_PATH_BYTES - 1 : SUN_PATH_BYTES; // a path needs room for its NUL
        if (name.length > max) {
            throw new IllegalArgumentException("NOTIFY_SOCKET=" + notifySocket + " is longer than " + max + " bytes");
        }
        ByteBuffer b = ByteBuffer.allocate(2 + name.length + (path ? 1 : 0)).order(ByteOrder.nativeOrder());
        b.putShort(AF_UNIX);
        if (path) {
            b.put(name).put((byte) 0);
        } else {
            b.put((byte) 0).put(name, 1, name.length - 1);
        }
        return b.array();
    }

    boolean enabled() {
        return socket != null;
    }

    /** How often to send WATCHDOG=1: half of WatchdogSec=; 0 when systemd watches nothing. */
    public long watchdogPeriodNanos() {
        return watchdogNanos;
    }

    /** Messages systemd did not get (a full or missing socket), for tests. */
    long failures() {
        return failures.get();
    }

    /** Sends {@code state} ("READY=1", "STATUS=…", several separated by newlines). */
    public void send(String state) {
        if (socket == null) {
            return;
        }
        int errno = socket.send(state.getBytes(StandardCharsets.UTF_8));
        if (errno != 0) {
            failures.incrementAndGet();
            if (failureLogged.compareAndSet(false, true)) {
                // Once: a socket that is full now is full at every ping, and the journal would fill with it.
                LOG.warn("systemd did not get \"{}\" on {}: errno {}{}; later failures are not logged",
                        state.replace('\n', ' '), address, errno, errno == 11 ? " (its socket is full)" : "");
            }
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.close();
        }
    }
}

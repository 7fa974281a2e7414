package io.sensorcast.testing;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The receiving end of sd_notify(3), as systemd has it: an AF_UNIX datagram socket bound to a
 * path or to an abstract name ({@code @name}), whose datagrams a test reads with a deadline. Its
 * own address code, not the server's, so that the two cannot share a mistake (and
 * SystemdNotifierTest checks it against systemd's own systemd-notify).
 */
public final class NotifySocket implements AutoCloseable {

    private interface LibC extends Library {
        int socket(int domain, int type, int protocol);

        int bind(int fd, byte[] addr, int addrLen);

        NativeLong recv(int fd, byte[] buf, NativeLong len, int flags);

        int close(int fd);
    }

    private static final LibC C = Native.load(Platform.C_LIBRARY_NAME, LibC.class);
    private static final int MSG_DONTWAIT = 0x40;
    private static final int EAGAIN = 11;

    private final String name;
    private final byte[] buffer = new byte[4096];
    private int fd;

    private NotifySocket(String name, int fd) {
        this.name = name;
        this.fd = fd;
    }

    /** Binds {@code name}: an absolute path, or {@code @} and an abstract name. */
    public static NotifySocket bind(String name) {
        byte[] text = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer addr = ByteBuffer.allocate(110).order(ByteOrder.nativeOrder());
        addr.putShort((short) 1); // AF_UNIX
        int length;
        if (name.startsWith("@")) {
            addr.put((byte) 0).put(text, 1, text.length - 1);
            length = 2 + text.length; // no terminator: the length delimits an abstract name
        } else {
            addr.put(text).put((byte) 0);
            length = 2 + text.length + 1;
        }
        int fd = C.socket(1, 2 | 0x80000, 0); // AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC
        if (fd < 0) {
            throw new IllegalStateException("socket: errno " + Native.getLastError());
        }
        if (C.bind(fd, addr.array(), length) != 0) {
            int errno = Native.getLastError();
            C.close(fd);
            throw new IllegalStateException("bind " + name + ": errno " + errno);
        }
        return new NotifySocket(name, fd);
    }

    /** What NOTIFY_SOCKET says for this socket. */
    public String name() {
        return name;
    }

    /** The next datagram, or null if none came within {@code timeoutMillis}. */
    public synchronized String receive(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (true) {
            long n = C.recv(fd, buffer, new NativeLong(buffer.length), MSG_DONTWAIT).longValue();
            if (n >= 0) {
                return new String(buffer, 0, (int) n, StandardCharsets.UTF_8);
            }
            int errno = Native.getLastError();
            if (errno != EAGAIN) {
                throw new IllegalStateException("recv: errno " + errno);
            }
            if (System.nanoTime() - deadline >= 0) {
                return null;
            }
            Thread.sleep(5);
        }
    }

    /** Datagrams until one contains {@code text} (that one last); fails after {@code timeoutMillis}. */
    public List<String> awaitContaining(String text, long timeoutMillis) throws InterruptedException {
        List<String> got = new ArrayList<>();
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (System.nanoTime() - deadline < 0) {
            String m = receive(Math.max(1, (deadline - System.nanoTime()) / 1_000_000L));
            if (m == null) {
                break;
            }
            got.add(m);
            if (m.contains(text)) {
                return got;
            }
        }
        throw new AssertionError("no \"" + text + "\" on " + name + " within " + timeoutMillis + " ms; got " + got);
    }

    /** Whatever has arrived and not been read, without waiting. */
    public List<String> drain() throws InterruptedException {
        List<String> got = new ArrayList<>();
        for (String m; got.size() < 10_000 && (m = receive(0)) != null; ) {
            got.add(m);
        }
        return got;
    }

    @Override
    public synchronized void close() {
        if (fd >= 0) {
            C.close(fd);
            fd = -1;
        }
    }
}

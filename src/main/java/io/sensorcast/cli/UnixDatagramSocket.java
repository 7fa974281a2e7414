package io.sensorcast.cli;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import java.io.IOException;

/**
 * An AF_UNIX datagram socket that sends to one address, through libc with JNA: Java 17's
 * DatagramChannel has no AF_UNIX. Loaded only when systemd gave a NOTIFY_SOCKET.
 * Linux values; the same on arm, aarch64 and x86-64.
 */
final class UnixDatagramSocket implements SystemdNotifier.Socket {

    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    /** Per call rather than O_NONBLOCK on the socket: never block, and no SIGPIPE. */
    private static final int MSG_DONTWAIT = 0x40;
    private static final int MSG_NOSIGNAL = 0x4000;

    interface LibC extends Library {
        int socket(int domain, int type, int protocol);

        NativeLong sendto(int fd, byte[] buf, NativeLong len, int flags, byte[] addr, int addrLen);

        int close(int fd);
    }

    private static final LibC C = Native.load(Platform.C_LIBRARY_NAME, LibC.class);

    private final byte[] address;
    private int fd;

    private UnixDatagramSocket(int fd, byte[] address) {
        this.fd = fd;
        this.address = address;
    }

    /** @param sockaddr a sockaddr_un with its exact length (see {@link SystemdNotifier#sockaddr}) */
    static UnixDatagramSocket open(byte[] sockaddr) throws IOException {
        int fd = C.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new IOException("socket(AF_UNIX, SOCK_DGRAM): errno " + Native.getLastError());
        }
        return new UnixDatagramSocket(fd, sockaddr.clone());
    }

    // Synchronized with close() only: a send is one non-blocking system call, so a waiter waits microseconds.
    @Override
    public synchronized int send(byte[] message) {
        if (fd < 0) {
            return 9; // EBADF: closed
        }
        long sent = C.sendto(fd, message, new NativeLong(message.length), MSG_DONTWAIT | MSG_NOSIGNAL,
                address, address.length).longValue();
        return sent < 0 ? Native.getLastError() : 0;
    }

    @Override
    public synchronized void close() {
        if (fd >= 0) {
            C.close(fd);
            fd = -1;
        }
    }
}

package io.sensorcast.testing;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The receiving end of sd_notify(3), as systemd has it: an AF_UNIX datagram socket bound to a
 * path or to an abstract name ({@code @name}), whose datagrams a test reads with a deadline. Its
 * own address code, not the server's, so that the two cannot share a mistake (and
 * SystemdNotifierTest checks it against systemd's own systemd-notify). Like systemd, it has the
 * kernel attach each sender's credentials (SO_PASSCRED), so a test can check which process sent a
 * datagram: with NotifyAccess=main, systemd takes them from the main PID only.
 */
public final class NotifySocket implements AutoCloseable {

    private interface LibC extends Library {
        int socket(int domain, int type, int protocol);

        int bind(int fd, byte[] addr, int addrLen);

        int setsockopt(int fd, int level, int name, int[] value, int length);

        NativeLong recvmsg(int fd, MsgHdr msg, int flags);

        int close(int fd);
    }

    /** struct msghdr (recvmsg(2)); size_t is a C long on Linux. */
    @Structure.FieldOrder({"name", "nameLength", "iov", "iovLength", "control", "controlLength", "flags"})
    public static final class MsgHdr extends Structure {
        public Pointer name;
        public int nameLength;
        public Pointer iov;
        public NativeLong iovLength;
        public Pointer control;
        public NativeLong controlLength;
        public int flags;
    }

    private static final LibC C = Native.load(Platform.C_LIBRARY_NAME, LibC.class);
    private static final int MSG_DONTWAIT = 0x40;
    private static final int EAGAIN = 11;
    private static final int SOL_SOCKET = 1;
    private static final int SO_PASSCRED = 16;
    private static final int SCM_CREDENTIALS = 2;
    private static final int BUFFER_BYTES = 4096;
    /** Where a control message's data starts: the cmsghdr (size_t, int, int) aligned to a size_t. */
    private static final int CMSG_DATA = (Native.SIZE_T_SIZE + 8 + Native.SIZE_T_SIZE - 1) & -Native.SIZE_T_SIZE;

    private final String name;
    private final Memory buffer = new Memory(BUFFER_BYTES);
    private final Memory iov = new Memory(2L * Native.POINTER_SIZE);
    private final Memory control = new Memory(64);
    private long lastSender = -1;
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
        if (C.setsockopt(fd, SOL_SOCKET, SO_PASSCRED, new int[] {1}, 4) != 0
                || C.bind(fd, addr.array(), length) != 0) {
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
            iov.setPointer(0, buffer);
            iov.setNativeLong(Native.POINTER_SIZE, new NativeLong(BUFFER_BYTES));
            control.clear();
            MsgHdr msg = new MsgHdr();
            msg.iov = iov;
            msg.iovLength = new NativeLong(1);
            msg.control = control;
            msg.controlLength = new NativeLong(control.size());
            long n = C.recvmsg(fd, msg, MSG_DONTWAIT).longValue();
            if (n >= 0) {
                msg.read();
                lastSender = senderPid(msg);
                return new String(buffer.getByteArray(0, (int) n), StandardCharsets.UTF_8);
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

    /** The first control message's struct ucred: its pid (-1 if none came). */
    private long senderPid(MsgHdr msg) {
        long length = msg.controlLength.longValue();
        if (length < CMSG_DATA + 12) {
            return -1;
        }
        int level = control.getInt(Native.SIZE_T_SIZE);
        int type = control.getInt(Native.SIZE_T_SIZE + 4);
        return level == SOL_SOCKET && type == SCM_CREDENTIALS ? control.getInt(CMSG_DATA) : -1;
    }

    /** The PID of the process that sent the datagram {@link #receive} returned last, as the kernel says. */
    public synchronized long lastSender() {
        return lastSender;
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

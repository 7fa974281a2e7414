package io.sensorcast.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.testing.LogCapture;
import io.sensorcast.testing.NotifySocket;
import io.sensorcast.testing.Requires;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** sd_notify(3) from the JVM, received on a real AF_UNIX datagram socket the test binds as systemd does. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SystemdNotifierTest {

    private static final long PID = ProcessHandle.current().pid();

    @TempDir
    Path dir;

    private static String abstractName() {
        return "@sensorcast-test-" + PID + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    }

    @Test
    void withoutNotifySocketNothingIsOpenedAndSendsDoNothing() {
        SystemdNotifier n = SystemdNotifier.fromEnvironment(Map.of("WATCHDOG_USEC", "30000000"), PID);
        assertSame(SystemdNotifier.NONE, n);
        assertFalse(n.enabled());
        assertEquals(0, n.watchdogPeriodNanos(), "no socket, no watchdog");
        n.send("READY=1");
        assertEquals(0, n.failures());
    }

    @Test
    void aPathSocketGetsEachMessageAsOneDatagram() throws Exception {
        String path = dir.resolve("notify").toString();
        try (NotifySocket systemd = NotifySocket.bind(path);
                SystemdNotifier n = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", path), PID)) {
            assertTrue(n.enabled());
            n.send("READY=1\nSTATUS=listening");
            n.send("WATCHDOG=1");
            assertEquals("READY=1\nSTATUS=listening", systemd.receive(5000));
            assertEquals(PID, systemd.lastSender(), "the kernel names this process as the sender");
            assertEquals("WATCHDOG=1", systemd.receive(5000));
            assertEquals(0, n.failures());
        }
    }

    @Test
    void anAbstractNameIsReachedThroughItsLeadingAt() throws Exception {
        String name = abstractName();
        try (NotifySocket systemd = NotifySocket.bind(name);
                SystemdNotifier n = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", name), PID)) {
            n.send("STOPPING=1");
            assertEquals("STOPPING=1", systemd.receive(5000));
        }
        assertFalse(Files.exists(Path.of(name)), "an abstract name is no file");
    }

    /** The test's listener reads what systemd's own client sends: it is a fair stand-in for systemd. */
    @Test
    void theListenerHearsSystemdsOwnSystemdNotify() throws Exception {
        Path tool = Path.of("/usr/bin/systemd-notify");
        Requires.component(Files.isExecutable(tool), tool + " is missing (apt-get install systemd): the listener is not checked against it");
        for (String name : List.of(abstractName(), dir.resolve("tool").toString())) {
            try (NotifySocket systemd = NotifySocket.bind(name)) {
                ProcessBuilder pb = new ProcessBuilder(tool.toString(), "--no-block", "--status=from the tool")
                        .redirectErrorStream(true);
                pb.environment().put("NOTIFY_SOCKET", name);
                Process p = pb.start();
                try {
                    assertTrue(p.waitFor(10, TimeUnit.SECONDS), "systemd-notify returns");
                    String got = systemd.receive(5000);
                    assertTrue(got != null && got.contains("STATUS=from the tool"), name + ": " + got);
                    // systemd-notify names its parent (this JVM) where it may, as root; else itself.
                    assertTrue(List.of(p.pid(), PID).contains(systemd.lastSender()), "sender " + systemd.lastSender());
                } finally {
                    p.destroyForcibly();
                }
            }
        }
    }

    @Test
    void sockaddrIsAPathWithItsNulOrANulAndTheName() {
        ByteBuffer path = ByteBuffer.wrap(SystemdNotifier.sockaddr("/run/systemd/notify")).order(ByteOrder.nativeOrder());
        assertEquals(2 + 19 + 1, path.capacity());
        assertEquals(1, path.getShort(0), "AF_UNIX in the machine's byte order");
        assertEquals('/', path.get(2));
        assertEquals(0, path.get(path.capacity() - 1));

        byte[] abs = SystemdNotifier.sockaddr("@x/y");
        ByteBuffer b = ByteBuffer.allocate(2).order(ByteOrder.nativeOrder()).putShort((short) 1);
        assertArrayEquals(new byte[] {b.get(0), b.get(1), 0, 'x', '/', 'y'}, abs, "no terminator");

        assertThrows(IllegalArgumentException.class, () -> SystemdNotifier.sockaddr("relative/notify"));
        assertThrows(IllegalArgumentException.class, () -> SystemdNotifier.sockaddr("vsock:2:1234"));
        assertThrows(IllegalArgumentException.class, () -> SystemdNotifier.sockaddr("/" + "a".repeat(107)));
        assertEquals(2 + 107 + 1, SystemdNotifier.sockaddr("/" + "a".repeat(106)).length);
    }

    @Test
    void theWatchdogIsPingedAtHalfItsIntervalAndOnlyIfItIsOurs() {
        assertEquals(TimeUnit.SECONDS.toNanos(15), SystemdNotifier.watchdogNanos(Map.of("WATCHDOG_USEC", "30000000"), PID));
        assertEquals(TimeUnit.SECONDS.toNanos(15), SystemdNotifier.watchdogNanos(
                Map.of("WATCHDOG_USEC", "30000000", "WATCHDOG_PID", String.valueOf(PID)), PID));
        assertEquals(0, SystemdNotifier.watchdogNanos(
                Map.of("WATCHDOG_USEC", "30000000", "WATCHDOG_PID", String.valueOf(PID + 1)), PID), "another process's");
        assertEquals(0, SystemdNotifier.watchdogNanos(Map.of(), PID));
        assertEquals(0, SystemdNotifier.watchdogNanos(Map.of("WATCHDOG_USEC", "0"), PID));
        assertEquals(0, SystemdNotifier.watchdogNanos(Map.of("WATCHDOG_USEC", "30s"), PID));
        assertEquals(0, SystemdNotifier.watchdogNanos(Map.of("WATCHDOG_USEC", "1000", "WATCHDOG_PID", "x"), PID));
    }

    /**
     * A socket nobody reads fills up; the sends go on returning at once, the drops are counted
     * and the log says so once. (A blocking send would hang here until the test's timeout.)
     */
    @Test
    void aFullSocketDropsWithoutBlockingAndIsLoggedOnce() throws Exception {
        String name = abstractName();
        long mark = LogCapture.mark();
        try (NotifySocket systemd = NotifySocket.bind(name);
                SystemdNotifier n = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", name), PID)) {
            int sent = 0;
            while (n.failures() < 3 && sent < 100_000) {
                n.send("WATCHDOG=1");
                sent++;
            }
            assertEquals(3, n.failures(), "after " + sent + " sends");
            assertTrue(systemd.drain().size() > 0, "the first ones arrived");
            n.send("WATCHDOG=1");
            assertEquals("WATCHDOG=1", systemd.receive(5000), "room again: delivered");
        }
        if (LogCapture.installed()) {
            assertEquals(1, LogCapture.count(mark, "systemd did not get \"WATCHDOG=1\""), LogCapture.since(mark).toString());
            assertEquals(1, LogCapture.count(mark, "its socket is full"));
        }
    }

    @Test
    void aSocketThatWentAwayIsCountedNotThrown() throws Exception {
        String name = abstractName();
        NotifySocket systemd = NotifySocket.bind(name);
        try (SystemdNotifier n = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", name), PID)) {
            systemd.close();
            n.send("WATCHDOG=1");
            assertEquals(1, n.failures());
        }
    }

    @Test
    void aNotifySocketThatCannotBeUsedFailsTheStartWithTheReason() {
        IllegalArgumentException relative = assertThrows(IllegalArgumentException.class,
                () -> SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", "run/notify"), PID));
        assertTrue(relative.getMessage().contains("NOTIFY_SOCKET=run/notify"), relative.getMessage());
        String tooLong = "/" + "x".repeat(200);
        assertThrows(IllegalArgumentException.class, () -> SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", tooLong), PID));
    }

    @Test
    void afterCloseSendsAreDropped() throws Exception {
        String name = abstractName();
        try (NotifySocket systemd = NotifySocket.bind(name)) {
            SystemdNotifier n = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", name), PID);
            n.close();
            n.send("WATCHDOG=1");
            assertEquals(List.of(), systemd.drain(), "a send is done when it returns: nothing came");
        }
    }
}

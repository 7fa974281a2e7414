package io.sensorcast.loop;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Why the loop has no "epoll spin" work-around (Netty's selector rebuild after many early, empty
 * selects). The spin came from a peer that hung up or reset while its key had no interest ops (a
 * connection that stopped reading): epoll reports EPOLLHUP/EPOLLERR whatever the interest, so the
 * old selector returned at once with nothing selected, forever. Since JDK 11 the epoll selector
 * removes a descriptor from epoll while its key has no interest, so nothing is reported. These
 * tests pin that behaviour of the JDK the server runs on: if a JDK ever spins again, they fail.
 */
class SelectorHangupTest {

    private static final long SELECT_MILLIS = 200;
    private static final int SELECTS = 5;

    @Test
    void aResetPeerOnAKeyWithNoInterestDoesNotWakeSelect() throws Exception {
        assertSelectSleeps(0); // a connection that stopped reading and has nothing to write
    }

    /**
     * A peer connects, sends a little, and resets; our side's key keeps {@code interest} and is never
     * serviced. Select must then sleep its timeout: at most one early return in {@value #SELECTS}.
     */
    private static void assertSelectSleeps(int interest) throws Exception {
        try (Selector selector = Selector.open();
                ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            SocketChannel ours;
            try (Socket peer = new Socket()) {
                peer.connect(server.getLocalAddress(), 5000);
                ours = server.accept();
                ours.configureBlocking(false);
                ours.register(selector, interest);
                peer.getOutputStream().write(new byte[] {1, 2, 3}); // unread input: close makes an RST
                peer.setSoLinger(true, 0);
            }
            try (SocketChannel ignored = ours) {
                Thread.sleep(50); // the reset reaches our socket
                int early = 0;
                for (int i = 0; i < SELECTS; i++) {
                    long start = System.nanoTime();
                    selector.select(SELECT_MILLIS);
                    boolean returnedEarly = System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(SELECT_MILLIS / 2);
                    if (returnedEarly) {
                        early++;
                    }
                    selector.selectedKeys().clear(); // never serviced, as a stalled connection is not
                }
                assertTrue(early <= 1, "select returned early " + early + " times in " + SELECTS
                        + " with a reset peer on a key with interest " + interest + ": the selector spins");
            }
        }
    }
}

package io.sensorcast.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.testing.RawHttp;
import io.sensorcast.testing.TestServer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Peers that pipeline requests and never read the answers: each stops being read once its answers
 * fill its cap, keeping what its last read brought. Summed over every connection, that input stays
 * within the loop's budget (4 MiB, then 2 KiB reads), instead of one 64 KiB read per peer.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StashBudgetTest {

    private static final int PEERS = 80;
    private static final int PIPELINED = 64 * 1024;
    private static final long BUDGET = 4L << 20;

    @Test
    void inputHeldBackFromPeersThatDoNotReadStaysWithinTheLoopsBudget() throws Exception {
        byte[] requests = pipeline();
        List<Socket> peers = new ArrayList<>();
        try (TestServer server = TestServer.start(
                TestServer.settings().outboundCapBytes(1024).maxConnections(PEERS + 10).build(), List.of())) {
            EventLoop loop = server.service().loop();
            try {
                for (int i = 0; i < PEERS; i++) {
                    Socket s = new Socket();
                    peers.add(s);
                    s.setReceiveBufferSize(1024); // reads nothing: the answers back up at once
                    s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
                    s.getOutputStream().write(requests);
                }
                // Until nothing more is held back for half a second (at most 20 s).
                long held = -1;
                long now = server.onLoop(loop.budgets()::stashedBytes);
                for (int i = 0; i < 40 && now != held; i++) {
                    held = now;
                    Thread.sleep(500);
                    now = server.onLoop(loop.budgets()::stashedBytes);
                }
                long bound = BUDGET + 64 * 1024 + PEERS * 2 * 1024L;
                System.out.printf("held back: %d bytes from %d peers (bound %d, %d without the budget)%n",
                        now, PEERS, bound, PEERS * 64L * 1024);
                assertTrue(now > BUDGET / 2, "the test reaches the budget: " + now);
                assertTrue(now <= bound, "held back " + now + " bytes, over " + bound);
            } finally {
                for (Socket s : peers) {
                    s.close();
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server.onLoop(loop::connectionCount) != 0) {
                assertTrue(System.nanoTime() < deadline, "the peers' connections were not closed");
                Thread.sleep(20);
            }
            assertEquals(0L, (long) server.onLoop(loop.budgets()::stashedBytes), "freed with the connections");
            assertEquals(200, RawHttp.get(server.port(), "/healthz").status());
        }
    }

    /** Requests for the page's script (24 KB: the kernel's socket buffers soon fill), back to back. */
    private static byte[] pipeline() {
        byte[] one = "GET /app.js HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[PIPELINED - PIPELINED % one.length];
        for (int i = 0; i < all.length; i += one.length) {
            System.arraycopy(one, 0, all, i, one.length);
        }
        return all;
    }
}

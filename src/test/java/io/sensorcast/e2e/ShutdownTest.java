package io.sensorcast.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sensorcast.testing.Json;
import io.sensorcast.testing.RawHttp;
import io.sensorcast.testing.TestSensors;
import io.sensorcast.testing.TestServer;
import io.sensorcast.testing.WsTestClient;
import io.sensorcast.testing.WsTestClient.Frame;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Service.stop() with monitors connected: each gets close 1001, TCP ends, stop returns within 2 s. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ShutdownTest {

    private static final long STOP_BUDGET_MS = 2000;

    @Test
    void stopSendsClose1001ToEveryMonitorAndEndsTheirConnections() throws Exception {
        List<WsTestClient> monitors = new ArrayList<>();
        try (TestServer server = TestServer.start(List.of(TestSensors.sine("sim", "Sine", "", 200)));
                JdkWebSocketClient jdk = new JdkWebSocketClient(server.port(), "/ws")) {
            for (int i = 0; i < 3; i++) {
                WsTestClient m = WsTestClient.connect(server.port(), "/ws");
                monitors.add(m);
                assertEquals("hello", Json.object(m.readText()).get("type"));
                m.setReadTimeout(3000);
            }
            assertEquals("hello", Json.object(jdk.nextText(5000)).get("type"));

            long start = System.nanoTime();
            CompletableFuture<Void> stop = CompletableFuture.runAsync(() -> {
                try {
                    server.service().stop();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });

            for (WsTestClient m : monitors) {
                Frame close = m.readUntilClose(); // samples may come first
                long closeAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(closeAfter < 500, "the goodbye goes out at once, not after " + closeAfter + " ms");
                assertEquals(1001, close.closeCode(), close.closeReason());
                m.sendClose(1001, ""); // the answer a client gives (RFC 6455 5.5.1)
                assertTrue(m.awaitEof(), "the TCP connection ends");
                m.close(); // as a client does once the server has closed
            }
            assertEquals(1001, jdk.closed().get(3, TimeUnit.SECONDS).code(), "the JDK client got 1001 too");
            stop.get(5, TimeUnit.SECONDS);
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            // Every monitor answered: no need to wait out the grace period for anyone.
            assertTrue(took < 800, "stop took " + took + " ms although every monitor answered");
            assertFalse(server.service().sensors().threads().get(0).isAlive(), "sensor thread ended");
        } finally {
            for (WsTestClient m : monitors) {
                m.close();
            }
        }
    }

    @Test
    void stopReturnsWithin2sEvenIfMonitorsNeverAnswerTheClose() throws Exception {
        List<WsTestClient> monitors = new ArrayList<>();
        try (TestServer server = TestServer.start(List.of(TestSensors.sine("sim", "Sine", "", 50)))) {
            for (int i = 0; i < 3; i++) {
                WsTestClient m = WsTestClient.connect(server.port(), "/ws");
                monitors.add(m);
                m.readText();
            }
            long start = System.nanoTime();
            server.service().stop(); // nobody reads or answers meanwhile
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(took < STOP_BUDGET_MS, "stop took " + took + " ms");

            for (WsTestClient m : monitors) {
                m.setReadTimeout(3000);
                assertEquals(1001, m.readUntilClose().closeCode());
                assertTrue(m.awaitEof(), "the TCP connection ends");
            }
        } finally {
            for (WsTestClient m : monitors) {
                m.close();
            }
        }
    }

    @Test
    void loopSleepsRatherThanSpinsWhileWaitingForMonitorsToAnswerTheClose() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled());
        try (TestServer server = TestServer.start(List.of());
                WsTestClient silent = WsTestClient.connect(server.port(), "/ws")) {
            silent.readText(); // hello; from now on it reads and answers nothing
            long loopThread = server.onLoop(() -> Thread.currentThread().getId());

            CompletableFuture<Void> stop = CompletableFuture.runAsync(() -> {
                try {
                    server.service().stop();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Thread.sleep(100); // the close 1001 is out; the loop waits for an answer (1 s grace)
            long cpuBefore = threads.getThreadCpuTime(loopThread);
            Thread.sleep(600);
            long cpuAfter = threads.getThreadCpuTime(loopThread);
            stop.get(5, TimeUnit.SECONDS);

            assertTrue(cpuBefore >= 0 && cpuAfter >= 0, "the loop ended before the grace period did");
            long busyMs = TimeUnit.NANOSECONDS.toMillis(cpuAfter - cpuBefore);
            assertTrue(busyMs < 200, "the loop burned " + busyMs + " ms of CPU in 600 ms of waiting");
            assertEquals(1001, silent.readUntilClose().closeCode());
        }
    }

    @Test
    void afterStopThePortRefusesConnections() throws Exception {
        int port;
        try (TestServer server = TestServer.start(List.of())) {
            port = server.port();
            assertEquals(200, RawHttp.get(port, "/healthz").status());
            server.service().stop();
        }
        assertThrows(IOException.class, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            }
        });
    }

    @Test
    void stopClosesIdleHttpKeepAliveConnections() throws Exception {
        try (TestServer server = TestServer.start(List.of());
                RawHttp http = RawHttp.connect(server.port())) {
            http.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(200, http.read().status());

            long start = System.nanoTime();
            server.service().stop();
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < STOP_BUDGET_MS);
            http.setReadTimeout(3000);
            assertTrue(http.isClosedByServer());
        }
    }
}

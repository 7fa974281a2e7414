package io.sensorcast.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.loop.EventLoop;
import io.sensorcast.loop.OutboundFrame;
import io.sensorcast.testing.TestServer;
import io.sensorcast.testing.WsTestClient;
import io.sensorcast.ws.FrameEncoder;
import io.sensorcast.ws.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The thread rule, enforced: the loop owns every socket, connection and the hub. Called from any
 * other thread, their entry points fail at once, naming the offending thread; the same call handed
 * to the loop through execute() works.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OwnershipTest {

    private static final String ROGUE = "sensor-rogue";

    private TestServer server;
    private EventLoop loop;
    private Hub hub;
    private WsTestClient monitor;
    private WebSocket ws;
    private Subscriber subscriber;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(List.of());
        loop = server.service().loop();
        hub = server.service().hub();
        server.onLoop(() -> {
            hub.register(new ChannelInfo("own.c0", "ownership", ""));
            return null;
        });
        monitor = WsTestClient.connect(server.port(), "/ws");
        assertTrue(monitor.readText().contains("\"type\":\"hello\""));
        subscriber = server.onLoop(() -> hub.monitors().get(0));
        ws = ((MonitorEndpoint.Monitor) subscriber).socket();
    }

    @AfterEach
    void stop() throws Exception {
        if (monitor != null) {
            monitor.close();
        }
        server.close();
    }

    /** Runs {@code call} on a fresh thread named like a sensor thread; returns what it threw, or null. */
    private static Throwable fromAnotherThread(Runnable call) throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                call.run();
            } catch (Throwable e) {
                thrown.set(e);
            }
        }, ROGUE);
        t.start();
        t.join(10_000);
        return thrown.get();
    }

    /**
     * The call failed with the owner check, naming both threads, and the check fired at the entry
     * point {@code entry} ("Class.method") itself, not somewhere deeper that happened to check.
     */
    private static void assertOwnerCheck(Throwable thrown, String entry) {
        assertNotNull(thrown, entry + " went through from a foreign thread");
        assertInstanceOf(IllegalStateException.class, thrown);
        assertTrue(thrown.getMessage().contains("'" + ROGUE + "'"), "names the caller: " + thrown.getMessage());
        assertTrue(thrown.getMessage().contains("sensorcast-loop"), "names the owner: " + thrown.getMessage());
        StackTraceElement[] stack = thrown.getStackTrace();
        int i = 0;
        while (i < stack.length && stack[i].getClassName().equals("io.sensorcast.loop.OwnerThread")) {
            i++;
        }
        assertTrue(i > 0 && i < stack.length, "thrown by OwnerThread.check");
        String caller = stack[i].getClassName().substring(stack[i].getClassName().lastIndexOf('.') + 1) + "." + stack[i].getMethodName();
        assertEquals(entry, caller, "where the check fired");
    }

    private void onLoop(Runnable task) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                task.run();
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        done.get(10, TimeUnit.SECONDS);
    }

    private static OutboundFrame text(String s) {
        return OutboundFrame.answer(FrameEncoder.text(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void connectionSendFromAnotherThreadThrowsAndViaTheLoopArrives() throws Exception {
        assertOwnerCheck(fromAnotherThread(() -> ws.connection().send(text("{\"from\":\"rogue\"}"))), "Connection.send");
        assertOwnerCheck(fromAnotherThread(() -> ws.send(text("{\"from\":\"rogue\"}"))), "Connection.send");

        onLoop(() -> ws.connection().send(text("{\"from\":\"loop\"}")));
        assertEquals("{\"from\":\"loop\"}", monitor.readText(), "the loop's frame, and nothing the rogue tried before it");
    }

    @Test
    void hubOnSampleFromAnotherThreadThrowsAndViaTheLoopReachesTheMonitor() throws Exception {
        assertOwnerCheck(fromAnotherThread(() -> hub.onSample(new Sample("own.c0", 1, 1_000_000, 1.5))), "Hub.onSample");
        assertNull(server.onLoop(() -> hub.channel("own.c0").latest()), "the refused call changed nothing");

        onLoop(() -> hub.onSample(new Sample("own.c0", 2, 1_000_000, 2.5)));
        String frame = monitor.readText();
        assertTrue(frame.contains("\"seq\":2"), frame);
        assertEquals(2, (long) server.onLoop(() -> hub.channel("own.c0").latest().seq()));
    }

    @Test
    void hubRegisterFromAnotherThreadThrowsAndViaTheLoopRegisters() throws Exception {
        assertOwnerCheck(fromAnotherThread(() -> hub.register(new ChannelInfo("own.c1", "", ""))), "Hub.register");
        assertNull(server.onLoop(() -> hub.channel("own.c1")), "not registered by the refused call");

        onLoop(() -> hub.register(new ChannelInfo("own.c1", "", "")));
        assertNotNull(server.onLoop(() -> hub.channel("own.c1")));
    }

    @Test
    void hubAddMonitorFromAnotherThreadThrowsAndViaTheLoopAdds() throws Exception {
        onLoop(() -> hub.removeMonitor(subscriber));
        assertOwnerCheck(fromAnotherThread(() -> hub.addMonitor(subscriber)), "Hub.addMonitor");
        assertEquals(0, (int) server.onLoop(hub::monitorCount), "not added by the refused call");

        onLoop(() -> hub.addMonitor(subscriber));
        assertEquals(1, (int) server.onLoop(hub::monitorCount));
        assertTrue(monitor.readText().contains("\"type\":\"hello\""), "a monitor added gets its hello");
    }

    @Test
    void everyLoopOwnedEntryPointChecksItsCaller() throws Exception {
        Map<String, Runnable> calls = new LinkedHashMap<>();
        calls.put("Connection.close", () -> ws.connection().close());
        calls.put("Connection.closeAfterFlush", () -> ws.connection().closeAfterFlush(0));
        calls.put("Connection.switchProtocol", () -> ws.connection().switchProtocol(ws));
        calls.put("Connection.queuedBytes", () -> ws.connection().queuedBytes());
        calls.put("Hub.removeMonitor", () -> hub.removeMonitor(subscriber));
        calls.put("Hub.onStatus", () -> hub.onStatus(new StatusChange("own.c0", ChannelState.ERROR, "rogue")));
        calls.put("Hub.channels", () -> hub.channels());
        calls.put("Hub.monitors", () -> hub.monitors());
        calls.put("EventLoop.schedule", () -> loop.schedule(1, () -> { }));
        calls.put("EventLoop.connectionCount", () -> loop.connectionCount());
        for (Map.Entry<String, Runnable> call : calls.entrySet()) {
            assertOwnerCheck(fromAnotherThread(call.getValue()), call.getKey());
        }
        // None of them did anything: the monitor is still there and still served.
        assertEquals(1, (int) server.onLoop(hub::monitorCount));
        assertEquals(ChannelState.OK, server.onLoop(() -> hub.channel("own.c0").state()));
        onLoop(() -> hub.onSample(new Sample("own.c0", 7, 1_000_000, 7)));
        assertTrue(monitor.readText().contains("\"seq\":7"));
    }
}

package io.sensorcast.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.config.Settings;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A connection's outbound queue on a real socket pair (one write per iteration, a capped queue), with a protocol of
 * the test's own: frames are [length][kind][id][pattern], so the client can tell every frame apart
 * and would notice a frame cut in half or spliced into another.
 *
 * <p>Frames sent inside one loop task are all queued before the loop flushes (it writes at the end
 * of the iteration), which makes the drop order exact without having to stall the socket.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionOutboundTest {

    private static final int CAP = 4096;

    private EventLoop loop;
    private final BlockingQueue<Connection> accepted = new LinkedBlockingQueue<>();
    private final List<Socket> sockets = new ArrayList<>();
    private InetSocketAddress address;
    private volatile Protocol protocol; // the last accepted connection's

    @AfterEach
    void stop() throws Exception {
        for (Socket s : sockets) {
            s.close();
        }
        if (loop != null) {
            loop.shutdown();
            assertTrue(loop.awaitTermination(5, TimeUnit.SECONDS));
        }
    }

    private void startLoop(int cap, java.util.function.Supplier<Protocol> protocols) throws Exception {
        Settings settings = Settings.builder().bind("127.0.0.1").port(0).deviceName("test").outboundCapBytes(cap).build();
        loop = new EventLoop(settings);
        loop.start();
        address = loop.listen(new InetSocketAddress("127.0.0.1", 0), c -> {
            accepted.add(c);
            Protocol p = protocols.get();
            if (p instanceof TestProtocol tp) {
                tp.connection = c;
            }
            protocol = p;
            return p;
        }).get(10, TimeUnit.SECONDS);
    }

    private void startLoop(int cap) throws Exception {
        startLoop(cap, TestProtocol::new);
    }

    private <T> T onLoop(Callable<T> task) throws Exception {
        return loop.submit(task).get(10, TimeUnit.SECONDS);
    }

    /** A client socket; {@code receiveBuffer} > 0 shrinks its receive buffer (set before connecting). */
    private Client connect(int receiveBuffer) throws Exception {
        Socket s = new Socket();
        sockets.add(s);
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer);
        }
        s.connect(new InetSocketAddress("127.0.0.1", address.getPort()), 5000);
        s.setSoTimeout(10_000);
        Connection c = accepted.poll(10, TimeUnit.SECONDS);
        if (c == null) {
            throw new AssertionError("the loop did not accept the connection");
        }
        return new Client(s, c);
    }

    // ---- the wire format ------------------------------------------------------------------------

    static final char SAMPLE = 'S';
    static final char CONTROL = 'C';
    static final char NOTICE = 'N';
    static final char PUSHED = 'P';

    static byte[] bytes(char kind, int id, int size) {
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putInt(size).put((byte) kind).putInt(id);
        for (int i = 9; i < size; i++) {
            b.put((byte) (id * 31 + i));
        }
        return b.array();
    }

    static OutboundFrame sample(int id, int size) {
        return OutboundFrame.sample(bytes(SAMPLE, id, size));
    }

    static OutboundFrame control(int id, int size) {
        return OutboundFrame.answer(bytes(CONTROL, id, size));
    }

    static OutboundFrame pushed(int id, int size) {
        return OutboundFrame.pushed(bytes(PUSHED, id, size));
    }

    /** A state of {@code key}; on the wire it is a pushed frame, "P" + id. */
    static OutboundFrame state(String key, int id, int size) {
        return OutboundFrame.state(key, bytes(PUSHED, id, size));
    }

    /** What the client read: kind and id; for a notice, id is the count and total the total. */
    record Wire(char kind, int id, long total) {
        @Override
        public String toString() {
            return kind == NOTICE ? "N(" + id + "," + total + ")" : kind + "" + id;
        }
    }

    /**
     * Ignores input; its drop notices say "dropped N, total M". It also checks, each time the
     * connection asks for a notice, that the previous notice has left the queue: the loop has
     * written bytes up to that notice's end (it was queued last, so it ended at bytes written so
     * far plus bytes queued). The test has one connection, so the loop's byte count is its own.
     */
    static class TestProtocol implements Protocol {
        Connection connection;
        private long previousNoticeEnd = -1;
        volatile int noticesCreated;
        volatile int createdWhileOneWasQueued;
        volatile int pushedOverflows;

        @Override
        public void onData(Connection connection, ByteBuffer in) throws Exception {
            in.position(in.limit()); // input is not used by the drop tests
        }

        @Override
        public OutboundFrame dropNotice(long dropped, long total) {
            EventLoop loop = connection.loop();
            if (previousNoticeEnd >= 0 && loop.stats().bytesOut() < previousNoticeEnd) {
                createdWhileOneWasQueued++;
            }
            previousNoticeEnd = loop.stats().bytesOut() + connection.queuedBytes() + 17;
            noticesCreated++;
            ByteBuffer b = ByteBuffer.allocate(17);
            b.putInt(17).put((byte) NOTICE).putInt((int) dropped).putLong(total);
            return new OutboundFrame(b.array(), OutboundFrame.Kind.DROP_NOTICE);
        }

        @Override
        public void onPushedOverflow(Connection connection) {
            pushedOverflows++;
            Protocol.super.onPushedOverflow(connection);
        }
    }

    static final class Client {
        final Socket socket;
        final Connection connection;
        final DataInputStream in;

        Client(Socket socket, Connection connection) throws IOException {
            this.socket = socket;
            this.connection = connection;
            this.in = new DataInputStream(socket.getInputStream());
        }

        Wire read() throws IOException {
            int size = in.readInt();
            if (size < 9 || size > 1 << 20) {
                throw new AssertionError("corrupt stream: frame length " + size);
            }
            char kind = (char) in.readUnsignedByte();
            int id = in.readInt();
            if (kind == NOTICE) {
                return new Wire(kind, id, in.readLong());
            }
            if (kind != SAMPLE && kind != CONTROL && kind != PUSHED) {
                throw new AssertionError("corrupt stream: kind " + (int) kind);
            }
            byte[] rest = new byte[size - 9];
            in.readFully(rest);
            for (int i = 0; i < rest.length; i++) {
                if (rest[i] != (byte) (id * 31 + i + 9)) {
                    throw new AssertionError("corrupt frame " + kind + id + " at byte " + (i + 9));
                }
            }
            return new Wire(kind, id, 0);
        }

        List<String> read(int frames) throws IOException {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < frames; i++) {
                out.add(read().toString());
            }
            return out;
        }
    }

    // ---- the drop policy, exactly -----------------------------------------------------------------

    @Test
    void overTheCapTheOldestSamplesAreDroppedFirstAndThePeerIsTold() throws Exception {
        startLoop(CAP);
        Client client = connect(0);
        List<Boolean> queued = onLoop(() -> {
            List<Boolean> r = new ArrayList<>();
            for (int id = 1; id <= 6; id++) {
                r.add(client.connection.send(sample(id, 1000))); // 4 fit under 4096; 5 and 6 push out 1 and 2
            }
            return r;
        });
        assertEquals(List.of(true, true, true, true, true, true), queued, "the newest sample always gets in");
        assertEquals(List.of("S3", "S4", "S5", "S6", "N(2,2)"), client.read(5));
        assertEquals(2L, onLoop(client.connection::droppedFrames));
        assertEquals(2L, onLoop(loop.stats()::droppedFrames));
    }

    @Test
    void controlFramesAreNeverDroppedOnlySamplesAroundThem() throws Exception {
        startLoop(CAP);
        Client client = connect(0);
        onLoop(() -> {
            Connection c = client.connection;
            c.send(control(1, 1000));
            c.send(sample(1, 1000));
            c.send(sample(2, 1000));
            c.send(sample(3, 1000));
            c.send(control(2, 1000)); // over the cap now (5000): control frames go in anyway
            c.send(sample(4, 1000));  // frees 1904 bytes: samples 1 and 2, not control 1
            c.send(sample(5, 1000));  // frees 904: sample 3
            return null;
        });
        assertEquals(List.of("C1", "C2", "S4", "S5", "N(3,3)"), client.read(5));
    }

    @Test
    void aSampleIsRefusedAndCountedWhenOnlyControlFramesFillTheQueue() throws Exception {
        startLoop(CAP);
        Client client = connect(0);
        boolean queued = onLoop(() -> {
            for (int id = 1; id <= 5; id++) {
                client.connection.send(control(id, 1000));
            }
            return client.connection.send(sample(1, 1000));
        });
        assertFalse(queued);
        assertEquals(List.of("C1", "C2", "C3", "C4", "C5", "N(1,1)"), client.read(6));
        assertEquals(1L, onLoop(client.connection::droppedFrames));
    }

    @Test
    void noNoticeWhenNothingWasDropped() throws Exception {
        startLoop(CAP);
        Client client = connect(0);
        onLoop(() -> {
            for (int id = 1; id <= 4; id++) {
                client.connection.send(sample(id, 1000)); // exactly up to 4000 of 4096
            }
            client.connection.send(control(9, 10));
            return null;
        });
        assertEquals(List.of("S1", "S2", "S3", "S4", "C9"), client.read(5));
        assertEquals(0L, onLoop(client.connection::droppedFrames));
    }

    // ---- merged samples (a dashboard's "batch") ----------------------------------------------------

    /** The id of a frame of the test's wire format. */
    private static int idOf(OutboundFrame f) {
        return ((f.byteAt(5) & 0xff) << 24) | ((f.byteAt(6) & 0xff) << 16) | ((f.byteAt(7) & 0xff) << 8) | (f.byteAt(8) & 0xff);
    }

    /** A test merger: one sample frame whose id is 100 x the first id + the number of frames merged. */
    private static OutboundFrame mergeIds(OutboundFrame[] frames, int count) {
        int first = idOf(frames[0]);
        int samples = 0;
        for (int i = 0; i < count; i++) {
            samples += frames[i].samples();
        }
        return OutboundFrame.samples(bytes(SAMPLE, first * 100 + count, 50), samples);
    }

    @Test
    void withAMergerEachRunOfQueuedSamplesGoesAsOneFrameInItsPlace() throws Exception {
        startLoop(CAP);
        Client client = connect(0);
        List<OutboundFrame> shared = new ArrayList<>();
        onLoop(() -> {
            Connection c = client.connection;
            c.mergeSamples(ConnectionOutboundTest::mergeIds);
            c.send(control(1, 100));
            for (int id : new int[] {1, 2, 3}) {
                OutboundFrame f = sample(id, 100);
                shared.add(f);
                c.send(f);
            }
            c.send(pushed(1, 100));
            c.send(sample(4, 100)); // alone between two other frames: as it is
            c.send(control(2, 100));
            c.send(sample(5, 100));
            c.send(sample(6, 100));
            return null;
        });
        assertEquals(List.of("C1", "S103", "P1", "S4", "C2", "S502"), client.read(6));
        assertEquals(6L, onLoop(loop.stats()::sampleFramesSent), "counted as the samples they carry");
        for (int i = 0; i < 3; i++) {
            assertEquals("S" + (i + 1), new Wire(SAMPLE, shared.get(i).byteAt(8), 0).toString(), "the shared frames are untouched");
            assertEquals(100, shared.get(i).length());
        }
        onLoop(() -> {
            client.connection.mergeSamples(null);
            client.connection.send(sample(7, 100));
            client.connection.send(sample(8, 100));
            return null;
        });
        assertEquals(List.of("S7", "S8"), client.read(2), "merging off again");
    }

    @Test
    void aPeerThatReadsLateGetsEverySampleOnceAndNoMergedFrameIsMergedAgain() throws Exception {
        startLoop(1 << 20);
        Client client = connect(4096); // a small window, so that the queue fills soon
        List<Integer> mergedSizes = new java.util.concurrent.CopyOnWriteArrayList<>();
        onLoop(() -> {
            client.connection.mergeSamples((frames, count) -> {
                int samples = 0;
                int length = 0;
                for (int i = 0; i < count; i++) {
                    mergedSizes.add(frames[i].samples()); // 1 each, or a merged frame went in again
                    samples += frames[i].samples();
                    length += frames[i].length();
                }
                // On the wire: minus (the first id x 1000 + the samples merged), as long as the frames
                // it merged; a single sample keeps its id.
                return OutboundFrame.samples(bytes(SAMPLE, -(idOf(frames[0]) * 1000 + samples), length), samples);
            });
            return null;
        });
        // Rounds of 20 samples, one loop iteration (one write) each, until the socket's buffers are
        // full and 30 rounds found what earlier writes left in the queue.
        int sent = 0;
        int backlogged = 0;
        for (int round = 0; round < 5_000 && backlogged < 30; round++) {
            final int first = sent + 1;
            long queued = onLoop(() -> {
                for (int k = 0; k < 20; k++) {
                    client.connection.send(sample(first + k, 500));
                }
                return client.connection.queuedBytes();
            });
            sent += 20;
            if (queued > 20 * 500) {
                backlogged++;
            }
        }
        assertEquals(30, backlogged, "the peer's buffers never filled");
        int samples = 0;
        for (int frames = 0; frames < sent && samples < sent; frames++) {
            Wire w = client.read();
            assertEquals(SAMPLE, w.kind());
            int first = w.id() < 0 ? -w.id() / 1000 : w.id();
            assertEquals(samples + 1, first, "in order, none lost or twice: " + w);
            samples += w.id() < 0 ? -w.id() % 1000 : 1;
        }
        assertEquals(sent, samples);
        assertTrue(mergedSizes.stream().allMatch(n -> n == 1), "only single samples were merged: " + mergedSizes);
        assertEquals(0L, onLoop(client.connection::droppedFrames));
    }

    // ---- what the server pushes: states replaced, the rest bounded --------------------------------

    @Test
    void aStateTakesThePlaceOfTheQueuedOneOfItsKeyAtTheTail() throws Exception {
        startLoop(CAP);
        Client client = connect(0);
        onLoop(() -> {
            Connection c = client.connection;
            c.send(control(1, 100));
            c.send(sample(1, 100));
            c.send(state("A", 1, 100));
            c.send(sample(2, 100));
            c.send(state("B", 2, 100));
            c.send(state("A", 3, 100)); // after sample 2, which was queued before it: never ahead of it
            c.send(pushed(4, 100));
            return null;
        });
        assertEquals(List.of("C1", "S1", "S2", "P2", "P3", "P4"), client.read(6));
        assertEquals(1L, onLoop(client.connection::replacedFrames));
        assertEquals(1L, onLoop(loop.stats()::replacedFrames));
    }

    @Test
    void pushedFramesPastTheCapCloseTheConnectionAndStatesThatReplaceDoNotCount() throws Exception {
        startLoop(CAP);
        Client client = connect(0);
        List<Boolean> queued = onLoop(() -> {
            Connection c = client.connection;
            List<Boolean> r = new ArrayList<>();
            for (int id = 1; id <= 4; id++) {
                r.add(c.send(pushed(id, 1000)));
            }
            r.add(c.send(state("A", 5, 90)));  // 4090 of 4096
            r.add(c.send(state("A", 6, 96)));  // replaces 5: 4096
            r.add(c.isBacklogged());           // pushed frames are not answers: input is still read
            r.add(c.send(pushed(7, 9)));       // 9 bytes too many
            r.add(c.isOpen());
            return r;
        });
        assertEquals(List.of(true, true, true, true, true, true, false, false, false), queued);
        assertEquals(1, ((TestProtocol) protocol).pushedOverflows);
        assertEquals(-1, client.socket.getInputStream().read(), "closed, its queue dropped");
    }

    @Test
    void aPushedFrameLargerThanTheCapGoesInWhenNoneIsQueued() throws Exception {
        startLoop(CAP);
        Client client = connect(0);
        assertTrue(onLoop(() -> client.connection.send(pushed(1, CAP + 1))));
        assertEquals(List.of("P1"), client.read(1));
        assertEquals(0, ((TestProtocol) protocol).pushedOverflows);
    }

    /**
     * A peer that reads nothing while one state changes every iteration: once its socket is full,
     * the state partly on the wire stays (replacing it would splice two frames, which the client
     * would see), and one newer state waits behind it, replaced again and again. Read at last, the
     * states come whole, in order, the newest last.
     */
    @Test
    void aStatePartlyOnTheWireStaysAndOneNewerWaitsBehindIt() throws Exception {
        int size = 10_001; // odd, so that the socket buffer's edge falls inside a frame
        startLoop(64 * 1024); // room for two states, the one on the wire and the newest
        Client client = connect(4096);
        int sent = 0;
        long maxQueued = 0;
        long replaced = 0;
        for (int round = 0; round < 20_000 && replaced < 100; round++) {
            int id = ++sent;
            long[] state = onLoop(() -> {
                client.connection.send(state("A", id, size));
                return new long[] {client.connection.queuedBytes(), client.connection.replacedFrames()};
            });
            maxQueued = Math.max(maxQueued, state[0]);
            replaced = state[1];
        }
        assertTrue(replaced >= 100, "the peer's buffers never filled: " + replaced + " replaced of " + sent);
        assertTrue(maxQueued <= 2L * size, "queued " + maxQueued + " bytes: more than one state behind the one on the wire");
        int last = 0;
        while (last < sent) {
            Wire w = client.read(); // a spliced frame fails here
            assertEquals(PUSHED, w.kind());
            assertTrue(w.id() > last, "state " + w.id() + " after " + last);
            last = w.id();
        }
    }

    // ---- a peer that does not read ----------------------------------------------------------------

    /**
     * A peer that reads nothing while samples keep coming, one small batch per loop iteration: the
     * socket fills, the head frame ends up partly written, and from then on every batch drops. The
     * head must never be dropped (the peer would get half a frame spliced to another), only one
     * notice may wait in the queue at a time, and the queue stays within the cap.
     */
    @Test
    void aPeerThatDoesNotReadLosesOldSamplesButNeverHalfAFrame() throws Exception {
        int cap = 16 * 1024;
        int size = 3001; // odd, so that the socket buffer's edge falls inside a frame
        startLoop(cap);
        Client client = connect(4096);
        int sent = 0;
        long maxQueued = 0;
        long dropped = 0;
        for (int round = 0; round < 20_000 && dropped < 300; round++) {
            int first = sent + 1;
            long[] state = onLoop(() -> {
                for (int id = first; id < first + 3; id++) {
                    client.connection.send(sample(id, size));
                }
                return new long[] {client.connection.queuedBytes(), client.connection.droppedFrames()};
            });
            sent += 3;
            // The state the previous iteration's flush left, plus this batch (not yet flushed).
            maxQueued = Math.max(maxQueued, state[0]);
            dropped = state[1];
        }
        assertTrue(dropped >= 300, "the peer's buffers never filled: " + dropped + " dropped of " + sent);
        // Samples are dropped to make room, so only non-droppable frames (here one notice of 17
        // bytes) can take the queue past the cap.
        assertTrue(maxQueued <= cap + 17, "queued " + maxQueued + " bytes over a cap of " + cap);

        // Now read everything: whole frames only, in order, with the drops told once.
        int received = 0;
        int lastId = 0;
        List<Wire> notices = new ArrayList<>();
        while (lastId < sent) {
            Wire w = client.read();
            if (w.kind() == NOTICE) {
                notices.add(w);
                continue;
            }
            assertTrue(w.id() > lastId, "sample " + w.id() + " after " + lastId);
            lastId = w.id();
            received++;
        }
        long droppedTotal = onLoop(client.connection::droppedFrames);
        assertEquals(sent, received + droppedTotal, "every sample was either delivered or counted as dropped");
        TestProtocol p = (TestProtocol) protocol;
        assertTrue(p.noticesCreated >= 1);
        assertEquals(0, p.createdWhileOneWasQueued, "notices queued while another still waited; on the wire: " + notices);
        // Usually one (the socket stays full), a few if the kernel grew its send buffer meanwhile.
        assertTrue(notices.size() <= p.noticesCreated, notices.toString());
        long toldSoFar = 0;
        for (Wire n : notices) {
            toldSoFar += n.id();
            assertEquals(toldSoFar, n.total(), "notices add up: " + notices);
        }

        // The drops after the last notice was queued are told in the next one.
        if (droppedTotal > toldSoFar) {
            onLoop(() -> client.connection.send(control(0, 10)));
            Wire next;
            do {
                next = client.read();
            } while (next.kind() != NOTICE);
            assertEquals(droppedTotal - toldSoFar, next.id(), "the second notice counts the rest");
            assertEquals(droppedTotal, next.total());
        }
    }

    /**
     * OP_WRITE is wanted only while a backlog exists: left on after the backlog drained, the
     * selector would report the socket writable on every select and the idle loop would spin.
     */
    @Test
    void onceTheBacklogDrainsTheLoopGoesBackToSleep() throws Exception {
        startLoop(64 * 1024);
        Client client = connect(4096);
        int frames = 0;
        long queued = 0;
        for (int round = 0; round < 2_000 && queued == 0; round++) {
            int first = frames;
            queued = onLoop(() -> {
                for (int i = 0; i < 10; i++) {
                    client.connection.send(control(first + i, 10_000));
                }
                return 0L;
            });
            frames += 10;
            queued = onLoop(client.connection::queuedBytes); // after the flush of the iteration above
        }
        assertTrue(queued > 0, "the socket never filled");
        for (int i = 0; i < frames; i++) {
            assertEquals(i, client.read().id()); // the backlog drains: OP_WRITE did its job
        }
        assertEquals(0L, onLoop(client.connection::queuedBytes));

        long before = loop.stats().iterations();
        Thread.sleep(1000);
        long idle = loop.stats().iterations() - before;
        // The sweep runs once a second, so an idle loop wakes a handful of times; a loop that still
        // asks for OP_WRITE wakes on every select, tens of thousands of times a second.
        assertTrue(idle < 100, idle + " iterations in an idle second");
    }

    // ---- input held back while the output is backlogged --------------------------------------------

    /**
     * Answers every input byte with one 8000-byte frame, and stops consuming input while the
     * connection is backlogged, as HTTP does for pipelined requests.
     */
    static final class AnswerEachByte extends TestProtocol {
        private int next;

        @Override
        public void onData(Connection c, ByteBuffer in) {
            while (in.hasRemaining() && !c.isBacklogged()) {
                in.get();
                c.send(control(next++, 8000));
            }
        }
    }

    @Test
    void inputHeldBackByABacklogIsAnsweredInFullOnceThePeerReads() throws Exception {
        startLoop(CAP * 4, AnswerEachByte::new);
        Client client = connect(4096);
        int requests = 1000; // 8 MB of answers: far more than the socket buffers hold
        client.socket.getOutputStream().write(new byte[requests]);
        client.socket.getOutputStream().flush();
        // Wait until the loop has answered what fits and put the rest aside.
        for (int i = 0; i < 200 && onLoop(client.connection::queuedBytes) == 0; i++) {
            Thread.sleep(10);
        }
        Thread.sleep(200);
        for (int i = 0; i < requests; i++) {
            Wire w = client.read();
            assertEquals(i, w.id(), "answers in order, none lost");
        }
    }
}

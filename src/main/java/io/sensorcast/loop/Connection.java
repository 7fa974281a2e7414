package io.sensorcast.loop;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One socket, accepted or opened by {@link EventLoop#connect}, owned by the loop thread: its outbound queue of shared frames and the
 * {@link Protocol} that speaks on it. Every public method checks the owner thread.
 *
 * <p>Outbound bytes are never copied per connection: the queue holds the shared {@link OutboundFrame}s
 * and an offset into the first one. The loop writes each connection at most once per iteration
 * and asks for OP_WRITE only while something is left over.
 *
 * <p>A slow reader: when queued bytes would pass the outbound cap, the oldest sample frames
 * are dropped (never any other kind, never a frame already partly on the wire), the drop is counted,
 * and the protocol is asked for one notice frame that tells the peer. A connection that makes no
 * write progress for the stall timeout is closed.
 *
 * <p>What the server pushes on its own ({@link OutboundFrame.Kind#PUSHED}) is never dropped but
 * bounded: a state (a channel's status) replaces the queued one of its key, and past the cap of
 * pushed bytes the connection is closed.
 */
public final class Connection {

    private final EventLoop loop;
    private final LoopStats stats;
    private final ConnectionBudgets budgets;
    private final SocketChannel channel;
    private final String peer;
    private final long outboundCap;
    private SelectionKey key;
    private Protocol protocol;

    private final FrameQueue queue = new FrameQueue();
    private int headOffset;
    private long queuedBytes;
    /** Queued bytes of frames that are never dropped (counted whole until fully written). */
    private long answerBytes;
    /** Queued bytes of pushed frames (counted whole until fully written): at most the cap, or one frame. */
    private long pushedBytes;
    private long replacedTotal;
    private long lastWriteProgressNanos;

    private long droppedSinceNotice;
    private long droppedTotal;
    private boolean noticeQueued;
    /** Null unless the protocol asked for a run of queued samples to go as one frame. */
    private SampleMerger merger;
    private OutboundFrame[] run;

    /** Input the protocol left unconsumed because this connection's write backlog was full. */
    private ByteBuffer stash;
    private boolean flushPending;
    private boolean closing;
    private boolean outputShut;
    private boolean inputEnded;
    private long closeDeadlineNanos;
    private boolean closed;
    /** An outbound socket whose connect is in progress: nothing is written until it completes. */
    private boolean connecting;
    private long bytesOut;
    int index = -1; // position in the loop's connection list, for O(1) removal

    Connection(EventLoop loop, SocketChannel channel, long outboundCap) {
        this(loop, channel, outboundCap, describe(channel));
    }

    /** An outbound connection: {@code peer} names where it goes, since the socket has no peer yet. */
    Connection(EventLoop loop, SocketChannel channel, long outboundCap, String peer) {
        this.loop = loop;
        this.stats = loop.stats();
        this.budgets = loop.budgets();
        this.channel = channel;
        this.outboundCap = outboundCap;
        this.peer = peer;
        this.lastWriteProgressNanos = System.nanoTime();
    }

    void connecting() {
        connecting = true;
    }

    /** True until an outbound connect has completed. */
    public boolean isConnecting() {
        return connecting;
    }

    /**
     * OP_CONNECT fired (or a connect completed at once): finish it, start reading, and let the
     * protocol speak first. A refused connect throws here, and the loop fails the connection.
     */
    void onConnectable() throws Exception {
        if (closed || !connecting || !channel.finishConnect()) {
            return;
        }
        connecting = false;
        lastWriteProgressNanos = System.nanoTime();
        key.interestOps(SelectionKey.OP_READ);
        protocol.onConnected(this);
    }

    void attach(SelectionKey key, Protocol protocol) {
        this.key = key;
        this.protocol = protocol;
    }

    public EventLoop loop() {
        return loop;
    }

    /** "ip:port" of the peer, for logs. */
    public String peer() {
        return peer;
    }

    public InetSocketAddress localAddress() {
        loop.owner().check();
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }

    /** Hands the connection to another protocol (HTTP → WebSocket after the upgrade). */
    public void switchProtocol(Protocol next) {
        loop.owner().check();
        this.protocol = next;
    }

    public Protocol protocol() {
        return protocol;
    }

    /**
     * From now on, sample frames that wait whole in this connection's queue when it is written go as
     * one frame, made by {@code merger} (null: each as it is again). The shared frames stay as they
     * are; the merged one is this connection's copy. Connections that never ask pay nothing.
     */
    public void mergeSamples(SampleMerger merger) {
        loop.owner().check();
        this.merger = merger;
    }

    /**
     * Queues a frame for this connection. Returns false if it was not queued: the connection is
     * closing, or the frame is a sample and the queue is full of frames that cannot be dropped.
     */
    public boolean send(OutboundFrame frame) {
        loop.owner().check();
        if (closing || closed) {
            return false;
        }
        int len = frame.length();
        OutboundFrame.Kind kind = frame.kind();
        if (kind == OutboundFrame.Kind.SAMPLE) {
            if (queuedBytes + len > outboundCap) {
                dropOldestSamples(queuedBytes + len - outboundCap);
                if (queuedBytes + len > outboundCap) {
                    countDrop(1);
                    return false;
                }
            }
        } else if (kind == OutboundFrame.Kind.PUSHED) {
            return sendPushed(frame);
        }
        enqueue(frame);
        return true;
    }

    /**
     * A state replaces the queued one of its key and goes to the tail, so the peer never gets a
     * state older than one it saw, nor one ahead of the frames queued before it; the queue never
     * empties on the way, so the write-stall clock keeps running. A frame that adds to the pushed
     * bytes past the cap closes the connection instead: the peer has lost what it said.
     */
    private boolean sendPushed(OutboundFrame frame) {
        if (frame.key() != null && pushedBytes > 0) {
            // A frame partly on the wire stays: the peer has its first bytes and must get the rest.
            OutboundFrame old = queue.supersede(headOffset > 0 ? 1 : 0, frame);
            if (old != null) {
                long delta = frame.length() - old.length();
                queuedBytes += delta;
                pushedBytes += delta;
                replacedTotal++;
                stats.replacedFrames++;
                requestFlush();
                return true;
            }
        }
        if (pushedBytes > 0 && pushedBytes + frame.length() > outboundCap) {
            loop.warnLimited("pushed-cap", pushedCapWarning(protocol, peer, pushedBytes));
            protocol.onPushedOverflow(this);
            return false;
        }
        enqueue(frame);
        return true;
    }

    /** The log line when a peer leaves more than the cap of pushed frames unread: names the peer, its protocol and what it left. */
    static String pushedCapWarning(Protocol protocol, String peer, long bytes) {
        return "closing the " + protocol.name() + " connection to " + peer + ": " + bytes + " bytes of "
                + protocol.pushedName() + " left unread (ws.outbound_cap)";
    }

    private void enqueue(OutboundFrame frame) {
        if (queue.isEmpty()) {
            lastWriteProgressNanos = System.nanoTime(); // the stall clock starts when a backlog appears
        }
        queue.addLast(frame);
        queuedBytes += frame.length();
        if (frame.kind() != OutboundFrame.Kind.SAMPLE) {
            if (frame.kind() == OutboundFrame.Kind.PUSHED) {
                pushedBytes += frame.length();
            } else {
                answerBytes += frame.length();
                budgets.addAnswerBytes(frame.length());
            }
        }
        requestFlush();
    }

    /** Drops sample frames, oldest first, until {@code needed} bytes are freed or none is left to drop. */
    private void dropOldestSamples(long needed) {
        // A frame partly on the wire stays: the peer has its first bytes and must get the rest.
        long freed = queue.removeOldestSamples(headOffset > 0 ? 1 : 0, needed);
        queuedBytes -= freed;
        int dropped = queue.removedSamples();
        if (dropped > 0) {
            countDrop(dropped);
        }
    }

    private void countDrop(int n) {
        if (droppedTotal == 0) {
            loop.warnLimited("outbound-cap", peer + ": reads too slowly, dropping its oldest samples (ws.outbound_cap)");
        }
        droppedSinceNotice += n;
        droppedTotal += n;
        stats.droppedFrames += n;
        requestFlush(); // the notice goes out with the next flush
    }

    /** Sample frames dropped for this connection since it opened. */
    public long droppedFrames() {
        loop.owner().check();
        return droppedTotal;
    }

    /** Pushed frames replaced, before they were sent, by a newer state of the same key. */
    public long replacedFrames() {
        loop.owner().check();
        return replacedTotal;
    }

    public long queuedBytes() {
        loop.owner().check();
        return queuedBytes;
    }

    /**
     * True while the frames that cannot be dropped (answers: HTTP responses, pongs, replies to
     * commands) fill the outbound cap: protocols stop consuming input then, so a peer that sends
     * requests without reading the answers is held back instead of growing our memory. Sample
     * frames do not count: they are dropped instead, and a slow monitor must still be heard; nor
     * do pushed frames, which no input asked for and which are bounded on their own. Over
     * the loop-wide budget, every connection with unread answers waits: many peers each under
     * their own cap must not add up to more than a small heap.
     */
    public boolean isBacklogged() {
        return answerBytes >= outboundCap || answerBytes > 0 && budgets.answersOverBudget();
    }

    /** Sends what is queued, then closes; gives up and closes anyway after {@code lingerNanos}. */
    public void closeAfterFlush(long lingerNanos) {
        loop.owner().check();
        if (closed || closing) {
            return;
        }
        closing = true;
        closeDeadlineNanos = System.nanoTime() + lingerNanos;
        requestFlush();
    }

    public boolean isClosing() {
        return closing || closed;
    }

    public boolean isOpen() {
        return !closed;
    }

    /** Closes the socket now, dropping whatever is queued. Safe to call twice. */
    public void close() {
        loop.owner().check();
        if (closed) {
            return;
        }
        closed = true;
        queue.clear();
        queuedBytes = 0;
        budgets.addAnswerBytes(-answerBytes);
        answerBytes = 0;
        pushedBytes = 0;
        if (stash != null) {
            budgets.addStashedBytes(-stash.capacity());
            stash = null;
        }
        key.cancel();
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing a socket that the peer already reset: nothing left to release.
        }
        loop.connectionClosed(this);
        Protocol p = protocol;
        if (p != null) {
            p.onClosed(this);
        }
    }

    /** The socket became writable again: write the rest this iteration. */
    void scheduleWrite() {
        requestFlush();
    }

    private void requestFlush() {
        if (!flushPending) {
            flushPending = true;
            loop.scheduleFlush(this);
        }
    }

    // ---- called by the loop -------------------------------------------------------------------

    void onReadable(ByteBuffer readBuffer) throws Exception {
        readBuffer.clear();
        readBuffer.limit(budgets.readLimit()); // smaller while held-back input is over the loop's budget
        int n = channel.read(readBuffer);
        if (n < 0) {
            // The peer will send no more. If it half-closed after its last requests, it still reads:
            // answer what is queued, then close. Stop reading, or EOF would be reported forever.
            inputEnded = true;
            key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
            if (queue.isEmpty() || outputShut) {
                close();
            } else {
                closeAfterFlush(loop.settings().closeLinger.toNanos());
            }
            return;
        }
        readBuffer.flip();
        deliver(readBuffer);
    }

    private void deliver(ByteBuffer in) throws Exception {
        if (outputShut) {
            return; // lingering close: input is read only to be discarded
        }
        protocol.onData(this, in);
        if (in.hasRemaining() && !closed && !closing) {
            // The protocol stopped because our write backlog is full: keep the rest and stop reading
            // until the peer drains what it asked for (HTTP pipelining without reading responses).
            ByteBuffer rest = ByteBuffer.allocate(in.remaining());
            rest.put(in).flip();
            stash = rest;
            budgets.addStashedBytes(rest.capacity());
            key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
        }
    }

    /**
     * Writes as much of the queue as the socket takes, in one write(2) through the loop's
     * {@link WriteStaging}. Copying into it ourselves is what the JDK would do for heap buffers
     * anyway, and it keeps the write free of per-frame allocation and of a per-connection direct
     * buffer.
     */
    void flush(WriteStaging staging) throws IOException {
        // flushPending stays set until the end, so frames queued meanwhile ride on this write.
        try {
            if (!closed && !connecting) {
                OutboundFrame notice = takeDropNotice();
                if (notice != null) {
                    enqueue(notice);
                    noticeQueued = true;
                }
                if (merger != null) {
                    mergeQueuedSamples();
                }
                write(staging);
            }
        } finally {
            flushPending = false;
        }
    }

    /**
     * Each run of two or more whole single-sample frames queued since the last merged one becomes
     * the merger's one frame. What a slow peer left unread was walked at an earlier write: the
     * walk starts after the newest merged frame, so a backlog is not walked again at every write,
     * and a merged frame is never merged into another.
     */
    private void mergeQueuedSamples() {
        int from = headOffset > 0 ? 1 : 0; // a frame partly on the wire stays as it is
        int i = queue.size();
        while (i > from && queue.get(i - 1).samples() <= 1) {
            i--;
        }
        while (i < queue.size()) {
            int n = 0;
            while (i + n < queue.size() && queue.get(i + n).samples() == 1) {
                n++;
            }
            if (n >= 2) {
                if (run == null || run.length < n) {
                    run = new OutboundFrame[Math.max(n, 32)];
                }
                long before = 0;
                for (int k = 0; k < n; k++) {
                    run[k] = queue.get(i + k);
                    before += run[k].length();
                }
                OutboundFrame merged = merger.merge(run, n);
                java.util.Arrays.fill(run, 0, n, null);
                queue.replaceRun(i, n, merged);
                queuedBytes += merged.length() - before;
            }
            i += (n >= 2 ? 1 : n) + 1; // past the run (now one frame) and the frame that ended it
        }
    }

    private void write(WriteStaging staging) throws IOException {
        if (!queue.isEmpty()) {
            byte[] out = staging.bytes();
            int room = staging.capacity();
            int filled = 0;
            int offset = headOffset;
            for (int i = 0, size = queue.size(); i < size && filled < room; i++) {
                OutboundFrame f = queue.get(i);
                int n = Math.min(f.length() - offset, room - filled);
                System.arraycopy(f.bytes(), offset, out, filled, n);
                filled += n;
                offset = 0;
            }
            int written = channel.write(staging.load(filled));
            if (written > 0) {
                consume(written);
                lastWriteProgressNanos = System.nanoTime();
            }
        }
        if (queue.isEmpty()) {
            setWriteInterest(false);
            if (closing) {
                finishClosing();
                return;
            }
            drained();
            if (!queue.isEmpty()) {
                setWriteInterest(true); // queued during this flush: no flush of its own, OP_WRITE sends it
            } else if (stash != null && !isBacklogged()) {
                resumeInput();
                // Answers to the held-back input were queued while flushPending was set, so they
                // scheduled no flush of their own: OP_WRITE sends them next iteration.
                if (!queue.isEmpty() || closing) {
                    setWriteInterest(true);
                }
            }
        } else {
            setWriteInterest(true);
        }
        if (!noticeQueued && droppedSinceNotice > 0) {
            // Drops that happened while the previous notice waited: tell them in the next iteration
            // rather than with whatever frame this monitor gets next (maybe none for a long time).
            setWriteInterest(true);
        }
    }

    /**
     * Everything is written: send FIN, but keep reading (and discarding) until the peer closes too
     * or the linger runs out. Closing at once with unread input would make the kernel answer with
     * RST, which can destroy our last frames (the WebSocket close, an HTTP error) before the peer
     * reads them: the "lingering close" every HTTP server does.
     */
    private void finishClosing() throws IOException {
        if (inputEnded) {
            close(); // both directions are done: nothing to linger for
            return;
        }
        if (!outputShut) {
            outputShut = true;
            channel.shutdownOutput();
        }
    }

    private void consume(int written) {
        bytesOut += written;
        stats.bytesOut += written;
        long left = written;
        int samplesSent = 0;
        while (left > 0) {
            OutboundFrame head = queue.get(0);
            int rest = head.length() - headOffset;
            if (left < rest) {
                headOffset += (int) left;
                break;
            }
            queue.pollFirst();
            left -= rest;
            headOffset = 0;
            if (head.kind() == OutboundFrame.Kind.SAMPLE) {
                samplesSent += head.samples();
            } else if (head.kind() == OutboundFrame.Kind.PUSHED) {
                pushedBytes -= head.length();
            } else {
                answerBytes -= head.length();
                budgets.addAnswerBytes(-head.length());
                if (head.kind() == OutboundFrame.Kind.DROP_NOTICE) {
                    noticeQueued = false;
                }
            }
        }
        stats.sampleFramesSent += samplesSent;
        queuedBytes -= written;
    }

    private void drained() throws IOException {
        try {
            protocol.onDrained(this);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private void resumeInput() throws IOException {
        ByteBuffer in = stash;
        stash = null;
        budgets.addStashedBytes(-in.capacity());
        key.interestOps(key.interestOps() | SelectionKey.OP_READ);
        try {
            deliver(in);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private void setWriteInterest(boolean on) {
        if (!key.isValid()) {
            return;
        }
        int ops = key.interestOps();
        int wanted = on ? ops | SelectionKey.OP_WRITE : ops & ~SelectionKey.OP_WRITE;
        if (wanted != ops) {
            key.interestOps(wanted);
        }
    }

    /** The drop notice to send with this flush, if one is due and none is still queued. */
    private OutboundFrame takeDropNotice() {
        if (droppedSinceNotice == 0 || noticeQueued || closing || closed) {
            return null;
        }
        OutboundFrame notice = protocol.dropNotice(droppedSinceNotice, droppedTotal);
        droppedSinceNotice = 0;
        return notice;
    }

    /** Housekeeping, about once a second: write stall, close linger, then the protocol's timers. */
    void tick(long now, long writeStallNanos) {
        if (closed) {
            return;
        }
        if (closing) {
            if (now - closeDeadlineNanos >= 0) {
                close();
            }
            return;
        }
        if (!queue.isEmpty() && now - lastWriteProgressNanos > writeStallNanos) {
            // Rate-limited: many monitors of one stuck client (a sleeping laptop) stall together.
            loop.warnLimited("write-stall", "closing the " + protocol.name() + " connection to " + peer + ": it read nothing for "
                    + writeStallNanos / 1_000_000_000L + " s while " + queuedBytes + " bytes waited (ws.write_stall_timeout)");
            protocol.onWriteStalled(this);
            return;
        }
        protocol.onTick(this, now);
    }

    void shutdown() {
        if (!closed && !closing) {
            protocol.onShutdown(this);
        }
    }

    private static String describe(SocketChannel channel) {
        try {
            SocketAddress a = channel.getRemoteAddress();
            if (a instanceof InetSocketAddress isa) {
                return isa.getAddress().getHostAddress() + ":" + isa.getPort();
            }
            return String.valueOf(a);
        } catch (IOException e) {
            return "unknown peer";
        }
    }
}

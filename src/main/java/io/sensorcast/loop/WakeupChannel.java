package io.sensorcast.loop;

import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The one door into the loop from other threads: Mongoose's {@code mg_wakeup()}, with two changes.
 *
 * <p>Wakeups are coalesced. The loop raises {@link #sleeping} just before it may block in
 * {@code select}; the first post that finds it raised swaps it back with compare-and-set and calls
 * {@link Selector#wakeup()}. A thousand posts while the loop sleeps cost one system call, and posts
 * while it runs cost none (the same flag idea as Netty's {@code NioEventLoop}).
 *
 * <p>The inbox is bounded. When it is full, {@link #offer} refuses the message and counts it
 * ({@link #refused()}): the sender is never blocked (a sensor thread must not stall because the loop
 * is slow) and memory never grows. Samples carry a per-channel sequence number from their producer,
 * so a refused sample shows up to every monitor as a gap, not as silence.
 */
public final class WakeupChannel {

    private final ArrayBlockingQueue<Message> inbox;
    /**
     * Status changes, which must never be refused like a sample may be: unbounded, but its senders
     * are rate-limited by nature (a channel changes state at most once per read, and failing reads
     * back off). Taken after the inbox and handed over before it, so a state is never behind the
     * samples that follow it: whatever status was posted before a sample the drain took is in hand.
     */
    private final ConcurrentLinkedQueue<Message> control = new ConcurrentLinkedQueue<>();
    private final ArrayList<Message> batch;
    private final AtomicBoolean sleeping = new AtomicBoolean();
    private final LongAdder refused = new LongAdder();
    private final LongAdder wakeups = new LongAdder();
    private final Selector selector;
    private volatile boolean closed;

    public WakeupChannel(Selector selector, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("inbox capacity must be at least 1, was " + capacity);
        }
        this.selector = selector;
        this.inbox = new ArrayBlockingQueue<>(capacity);
        this.batch = new ArrayList<>(Math.min(capacity, 4096));
    }

    /**
     * Any thread. Returns false when the inbox is full (and counts it) or the channel is closed.
     * Never blocks.
     */
    public boolean offer(Message message) {
        if (closed) {
            return false;
        }
        if (!inbox.offer(message)) {
            refused.increment();
            return false;
        }
        wakeIfSleeping();
        return accepted(message);
    }

    /**
     * Any thread: a message that is never refused while the channel is open (status changes).
     * Never blocks; returns false only once the channel is closed.
     */
    public boolean offerControl(Message message) {
        if (closed) {
            return false;
        }
        control.add(message);
        wakeIfSleeping();
        return accepted(message);
    }

    /**
     * An offer that raced with {@link #close()} takes its message back if the last drain missed it,
     * so that a message is either delivered or refused, never accepted and forgotten.
     */
    private boolean accepted(Message message) {
        return !closed || !withdraw(message);
    }

    /** The loop is going away: every offer from now on is refused; drain once more after this. */
    void close() {
        closed = true;
    }

    boolean isClosed() {
        return closed;
    }

    private void wakeIfSleeping() {
        if (sleeping.get() && sleeping.compareAndSet(true, false)) {
            wakeups.increment();
            selector.wakeup();
        }
    }

    /** Any thread: wakes the loop whether or not it sleeps (shutdown). */
    void wakeNow() {
        selector.wakeup();
    }

    /**
     * Loop thread, just before select. Returns true if the loop may block: nothing is waiting, and
     * any post from now on will wake it.
     */
    boolean prepareToSleep() {
        sleeping.set(true);
        if (!inbox.isEmpty() || !control.isEmpty()) {
            sleeping.set(false);
            return false;
        }
        return true;
    }

    /** Loop thread, after select returned: posts need not wake us until the next prepareToSleep. */
    void awake() {
        sleeping.set(false);
    }

    /**
     * Loop thread: hands up to {@code max} waiting messages to {@code sink}, oldest first, and returns
     * how many. One lock round trip for the whole batch.
     */
    int drain(Consumer<Message> sink, int max) {
        int n = inbox.drainTo(batch, max);
        try {
            Message c;
            while ((c = control.poll()) != null) {
                sink.accept(c);
            }
            for (int i = 0; i < n; i++) {
                sink.accept(batch.get(i));
            }
        } finally {
            batch.clear();
        }
        return n;
    }

    /** Takes a message back out if it has not been drained yet; true if it was. */
    boolean withdraw(Message message) {
        return inbox.remove(message) || control.remove(message);
    }

    public int depth() {
        return inbox.size();
    }

    public int capacity() {
        return inbox.size() + inbox.remainingCapacity();
    }

    /** Messages refused because the inbox was full, since start. */
    public long refused() {
        return refused.sum();
    }

    /** Selector wakeups actually issued, since start (far fewer than posts under load). */
    public long wakeups() {
        return wakeups.sum();
    }
}

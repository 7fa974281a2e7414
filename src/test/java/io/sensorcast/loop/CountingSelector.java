package io.sensorcast.loop;

import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.SelectorProvider;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in {@link Selector} for the wakeup channel's tests: it counts {@link #wakeup()} calls, and
 * {@link #select(long)} blocks until a wakeup (one issued before the select counts, as with a real
 * selector) or the timeout. It has no channels.
 */
final class CountingSelector extends Selector {

    private final AtomicInteger wakeups = new AtomicInteger();
    private final Semaphore pending = new Semaphore(0);
    private volatile boolean open = true;

    int wakeupCalls() {
        return wakeups.get();
    }

    @Override
    public Selector wakeup() {
        wakeups.incrementAndGet();
        pending.release();
        return this;
    }

    /** Returns 1 if a wakeup ended it (or was already pending), 0 on timeout. Pending wakeups are consumed. */
    @Override
    public int select(long timeoutMillis) {
        try {
            boolean woken = pending.tryAcquire(timeoutMillis == 0 ? Long.MAX_VALUE : timeoutMillis, TimeUnit.MILLISECONDS);
            pending.drainPermits(); // a real selector coalesces several wakeups into one return
            return woken ? 1 : 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    @Override
    public int select() {
        return select(0);
    }

    @Override
    public int selectNow() {
        return pending.drainPermits() > 0 ? 1 : 0;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public SelectorProvider provider() {
        return SelectorProvider.provider();
    }

    @Override
    public Set<SelectionKey> keys() {
        return Set.of();
    }

    @Override
    public Set<SelectionKey> selectedKeys() {
        return Set.of();
    }

    @Override
    public void close() {
        open = false;
    }
}

package io.sensorcast.loop;

/**
 * The ownership check behind the thread rule (only the loop touches sockets, connections and the hub): loop-owned objects (connections, the hub) call
 * {@link #check()} at their entry points, and a call from any other thread fails at once instead of
 * racing quietly. The check is one field read and one comparison.
 */
public final class OwnerThread {

    private volatile Thread owner;

    /** Binds to the calling thread (the loop, as it starts). */
    public void claim() {
        owner = Thread.currentThread();
    }

    public boolean isCurrent() {
        return Thread.currentThread() == owner;
    }

    /** Throws unless the caller is the owning thread. */
    public void check() {
        Thread current = Thread.currentThread();
        if (current != owner) {
            Thread o = owner;
            throw new IllegalStateException("loop-owned state touched from thread '" + current.getName()
                    + "' (owner: " + (o == null ? "none yet" : "'" + o.getName() + "'")
                    + "); other threads must go through EventLoop.post/execute");
        }
    }
}

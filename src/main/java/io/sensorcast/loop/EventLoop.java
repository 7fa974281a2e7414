package io.sensorcast.loop;

import io.sensorcast.config.Settings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * The one thread that owns every socket, every {@link Connection} and the hub. Each iteration:
 * select (until the next timer, or until a post wakes it), accept and read what is ready, drain
 * the inbox in one batch, run due timers, then write every connection that has something queued,
 * once (see docs/ARCHITECTURE.md).
 *
 * <p>Other threads reach it only through {@link #post}, {@link #postControl} and {@link #execute};
 * everything else is loop-thread only, and {@link #owner()} is the check that enforces it.
 */
public final class EventLoop implements Executor {

    private static final long SWEEP_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** The sweep rides on a sample's wakeup when one comes within this after its tick. */
    private static final long SWEEP_SLACK_NANOS = SWEEP_NANOS / 2;
    /**
     * The longest an idle loop sleeps: until the sweep's latest moment. A check outside the loop
     * takes an iteration older than this for a stuck loop (Service's 2 s).
     */
    private static final long MAX_SLEEP_NANOS = SWEEP_NANOS + SWEEP_SLACK_NANOS;
    /** Time monitors get to receive their close 1001 on shutdown; the whole stop must fit in 2 s. */
    private static final long SHUTDOWN_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(1000);
    private static final int STAGING_BYTES = 256 * 1024;

    /** Replaced by a reload; read where a connection is accepted and at each sweep. */
    private volatile Settings settings;
    private final TaggedLogger log = Logger.tag("loop");
    private final RateLimitedLog limitedLog = new RateLimitedLog(log, TimeUnit.SECONDS.toNanos(10));
    private final OwnerThread owner = new OwnerThread();
    private final LoopStats stats = new LoopStats(owner);
    private final ConnectionBudgets budgets = new ConnectionBudgets();
    private final Selector selector;
    private final WakeupChannel wakeup;
    private final TimerQueue timers = new TimerQueue();
    private final Thread thread;
    private final CountDownLatch terminated = new CountDownLatch(1);
    private volatile Consumer<Message> messageHandler = m -> {
        throw new IllegalStateException("no handler for " + m.getClass().getSimpleName());
    };

    private final ByteBuffer readBuffer = ByteBuffer.allocate(ConnectionBudgets.READ_BUFFER_BYTES);
    private final WriteStaging staging = new WriteStaging(STAGING_BYTES);
    // Made once: a method reference written inside iterate() would be a new object per iteration.
    private final Consumer<Message> dispatcher = this::dispatch;
    private final BiConsumer<Runnable, Throwable> timerFailed = (task, e) -> log.error(e, "timer task failed");
    private final Runnable sweep = this::sweep;
    private final Connections connections = new Connections(this);
    private final BiConsumer<Connection, Throwable> failed = connections::fail;
    /** Keys the last select found ready: a reused list, where the selector's own set costs a node per key. */
    private final ArrayList<SelectionKey> readyKeys = new ArrayList<>();
    private final Consumer<SelectionKey> collectReady = readyKeys::add;
    private final ArrayList<Connection> toFlush = new ArrayList<>();
    private final ArrayList<Acceptor> acceptors = new ArrayList<>();

    private volatile boolean shutdownRequested;
    private volatile Throwable failure;
    private boolean shuttingDown;
    private long shutdownDeadline;

    public EventLoop(Settings settings) throws IOException {
        this.settings = settings;
        this.selector = Selector.open();
        this.wakeup = new WakeupChannel(selector, settings.inboxCapacity);
        this.thread = new Thread(this::run, "sensorcast-loop");
    }

    /** Where posted messages that are not tasks go (the hub). Set before {@link #start()}. */
    public void setMessageHandler(Consumer<Message> handler) {
        this.messageHandler = handler;
    }

    public void start() {
        thread.start();
    }

    public OwnerThread owner() {
        return owner;
    }

    public Settings settings() {
        return settings;
    }

    /** Any thread: limits and timeouts for new connections and the next sweep; the inbox keeps its capacity. */
    public void updateSettings(Settings replacement) {
        this.settings = replacement;
    }

    public LoopStats stats() {
        return stats;
    }

    ConnectionBudgets budgets() {
        return budgets;
    }

    public WakeupChannel wakeupChannel() {
        return wakeup;
    }

    // ---- the door for other threads ------------------------------------------------------------

    /** Any thread: hands a message to the loop; false if the inbox is full (counted) or the loop stopped. */
    public boolean post(Message message) {
        return wakeup.offer(message);
    }

    /** Any thread: a message that must not be lost (a status): never refused while the loop runs. */
    public boolean postControl(Message message) {
        return wakeup.offerControl(message);
    }

    /** Any thread: runs the task on the loop, in order with posted messages. Throws if full or stopped. */
    @Override
    public void execute(Runnable task) {
        if (!post(new Task(task))) {
            throw new RejectedExecutionException(wakeup.isClosed()
                    ? "event loop has stopped" : "event loop inbox is full (" + wakeup.capacity() + " messages)");
        }
    }

    /** Any thread: runs {@code task} on the loop and completes with its result. */
    public <T> CompletableFuture<T> submit(Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        execute(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /**
     * Any thread: opens a listening socket on the loop and completes with its bound address
     * (port 0 picks a free port). Connections it accepts get {@code protocols.apply(connection)}.
     */
    public CompletableFuture<InetSocketAddress> listen(InetSocketAddress address, Function<Connection, Protocol> protocols) {
        return submit(() -> {
            Acceptor a = Acceptor.open(this, selector, address, protocols);
            acceptors.add(a);
            return a.address();
        });
    }

    /** Any thread: stops listening on {@code address}; connections accepted there stay open. */
    public CompletableFuture<Boolean> closeListener(InetSocketAddress address) {
        return submit(() -> {
            for (Acceptor a : acceptors) {
                if (a.address().equals(address)) {
                    a.close();
                    acceptors.remove(a);
                    return true;
                }
            }
            return false;
        });
    }

    /** Any thread: every connection gets its protocol's goodbye; the loop ends within a second. */
    public void shutdown() {
        shutdownRequested = true;
        wakeup.wakeNow();
    }

    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return terminated.await(timeout, unit);
    }

    /** Why the loop ended, if it ended by a failure rather than by {@link #shutdown()}. */
    public Throwable failure() {
        return failure;
    }

    // ---- loop-thread API --------------------------------------------------------------------------

    /** Loop thread: runs {@code task} after {@code delayNanos} on the monotonic clock. */
    public void schedule(long delayNanos, Runnable task) {
        owner.check();
        timers.schedule(System.nanoTime() + delayNanos, task);
    }

    /**
     * Loop thread: runs {@code task} every {@code periodNanos}, at the multiples of the period on the
     * monotonic clock, so periodic work of one period wakes an idle loop once for all of it. Periodic
     * work is housekeeping: each run may wait up to half a period for a wakeup the loop has anyway
     * (a sample), rather than cause one.
     */
    public void every(long periodNanos, Runnable task) {
        owner.check();
        timers.every(System.nanoTime(), periodNanos, periodNanos / 2, task);
    }

    /**
     * Loop thread: opens a connection to {@code address} without blocking; {@code protocol} gets
     * {@link Protocol#onConnected} once it is established, or {@link Protocol#onError} and
     * {@link Protocol#onClosed} if it fails. {@code peer} names it in logs. The address must be
     * resolved already (a name lookup would block the loop). Throws if the connect fails at once,
     * or while the loop is stopping.
     */
    public Connection connect(InetSocketAddress address, String peer, Protocol protocol) throws IOException {
        owner.check();
        return connections.connect(address, peer, selector, protocol, shuttingDown || shutdownRequested);
    }

    /** Loop thread: timers queued now (tests: one pending release per on-demand device, never more). */
    int timerCount() {
        owner.check();
        return timers.size();
    }

    public int connectionCount() {
        owner.check();
        return connections.size();
    }

    /** Loop thread: says {@code message} once per ten seconds per {@code reason}, with how many were suppressed. */
    public void warnLimited(String reason, String message) {
        owner.check();
        limitedLog.warn(reason, message);
    }

    /** Loop thread: like {@link #warnLimited}, at info level, for what happens in normal operation too. */
    public void infoLimited(String reason, String message) {
        owner.check();
        limitedLog.info(reason, message);
    }

    void scheduleFlush(Connection c) {
        toFlush.add(c);
    }

    /** An accepted socket: a connection of {@code from}'s protocol, unless at the limit or stopping. */
    void admit(SocketChannel ch, Acceptor from) {
        connections.admit(ch, selector, from.protocols, shuttingDown);
    }

    void connectionClosed(Connection c) {
        connections.closed(c);
    }

    // ---- the loop ---------------------------------------------------------------------------------

    private void run() {
        owner.claim();
        timers.schedule(TimerQueue.nextTick(System.nanoTime(), SWEEP_NANOS), SWEEP_SLACK_NANOS, sweep);
        try {
            while (!finished()) {
                iterate();
            }
        } catch (Throwable t) {
            // Only a bug in the loop itself lands here (a connection's or a message's failure is
            // caught where it happens); the caller exits non-zero so that systemd restarts us.
            failure = t;
            log.error(t, "event loop died");
        } finally {
            closeEverything();
            terminated.countDown();
        }
    }

    private boolean finished() {
        if (shutdownRequested && !shuttingDown) {
            beginShutdown();
        }
        return shuttingDown && (connections.size() == 0 || System.nanoTime() - shutdownDeadline >= 0);
    }

    private void iterate() throws IOException {
        long now = System.nanoTime();
        long timeout = timers.nanosUntilNext(now, MAX_SLEEP_NANOS);
        if (shuttingDown) {
            timeout = Math.min(timeout, shutdownDeadline - now); // sleep until a peer answers its close
        }
        // Never sleep with writes pending (the goodbyes are queued outside an iteration), nor with a
        // shutdown requested but not yet begun.
        if (timeout > 0 && toFlush.isEmpty() && (shuttingDown || !shutdownRequested) && wakeup.prepareToSleep()) {
            selector.select(collectReady, Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeout + 999_999)));
            wakeup.awake();
        } else {
            selector.selectNow(collectReady);
        }
        long start = System.nanoTime();

        processReadyKeys();
        wakeup.drain(dispatcher, wakeup.capacity());
        timers.runDue(System.nanoTime(), timerFailed);
        flushAll();

        stats.iterationDone(start, System.nanoTime());
    }

    private void processReadyKeys() {
        for (int i = 0; i < readyKeys.size(); i++) {
            SelectionKey key = readyKeys.get(i);
            if (!key.isValid()) {
                continue;
            }
            if (key.attachment() instanceof Connection c) {
                if (key.isConnectable()) {
                    try {
                        c.onConnectable();
                    } catch (Exception | Error e) {
                        rethrowIfFatal(e);
                        connections.fail(c, e);
                        continue;
                    }
                }
                if (key.isValid() && key.isReadable()) {
                    try {
                        c.onReadable(readBuffer);
                    } catch (Exception | Error e) {
                        rethrowIfFatal(e);
                        connections.fail(c, e);
                        continue;
                    }
                }
                if (key.isValid() && key.isWritable()) {
                    c.scheduleWrite();
                }
            } else if (key.attachment() instanceof Acceptor a && key.isAcceptable()) {
                a.acceptReady();
            }
        }
        readyKeys.clear();
    }

    private void dispatch(Message message) {
        try {
            if (message instanceof Task task) {
                task.action().run();
            } else {
                messageHandler.accept(message);
            }
        } catch (RuntimeException | Error e) {
            rethrowIfFatal(e);
            limitedLog.warn("message:" + message.getClass().getName(),
                    "handling " + message.getClass().getSimpleName() + " failed: " + e);
        }
    }

    private void flushAll() {
        // Index loop: a flush may close its connection, but never schedules another one.
        for (int i = 0; i < toFlush.size(); i++) {
            Connection c = toFlush.get(i);
            try {
                c.flush(staging);
            } catch (Exception | Error e) {
                connections.fail(c, e);
            }
        }
        toFlush.clear();
    }

    /**
     * One bad task, message or peer must not end the loop, and that includes Errors (an
     * AssertionError, a LinkageError from a handler, a StackOverflowError from one peer's input).
     * Only the JVM itself failing (OutOfMemoryError, InternalError) ends it, and systemd restarts us.
     */
    static void rethrowIfFatal(Throwable e) {
        if (e instanceof VirtualMachineError && !(e instanceof StackOverflowError)) {
            throw (VirtualMachineError) e;
        }
    }

    /** Once a second: per-connection timeouts, and the iteration-time window for /healthz. */
    private void sweep() {
        long now = System.nanoTime();
        long stall = settings.writeStallTimeout.toNanos();
        connections.forEach(c -> c.tick(now, stall), failed);
        stats.sweep();
        timers.schedule(TimerQueue.nextTick(now, SWEEP_NANOS), SWEEP_SLACK_NANOS, sweep);
    }

    private void beginShutdown() {
        shuttingDown = true;
        shutdownDeadline = System.nanoTime() + SHUTDOWN_GRACE_NANOS;
        acceptors.forEach(Acceptor::close);
        connections.forEach(Connection::shutdown, failed);
    }

    private void closeEverything() {
        connections.forEach(Connection::close, (c, e) -> log.debug(e, "close during shutdown failed"));
        acceptors.forEach(Acceptor::close);
        try {
            selector.close();
        } catch (IOException e) {
            log.debug(e, "closing the selector failed");
        }
        wakeup.close();
        // Tasks still in the inbox may hold futures that callers wait on: run them rather than leave them hanging.
        wakeup.drain(m -> {
            if (m instanceof Task task) {
                try {
                    task.action().run();
                } catch (RuntimeException e) {
                    log.debug(e, "task after shutdown failed");
                }
            }
        }, wakeup.capacity());
    }
}

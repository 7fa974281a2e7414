package io.sensorcast.loop;

import io.sensorcast.config.Settings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
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
 * The one thread that owns every socket (DESIGN.md). Each iteration: select (until the next timer,
 * or until a post wakes it), accept and read what is ready, drain the inbox in one batch, run due
 * timers, then write every connection that has something queued, once.
 *
 * <p>Other threads reach it only through {@link #post} and {@link #execute}. Everything else here is
 * loop-thread only; {@link #owner()} is the check that enforces it.
 */
public final class EventLoop implements Executor {

    private static final long SWEEP_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long MAX_SLEEP_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int ACCEPTS_PER_ITERATION = 64;
    /** Time monitors get to receive their close 1001 on shutdown; the whole stop must fit in 2 s. */
    private static final long SHUTDOWN_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(1000);
    private static final int READ_BUFFER_BYTES = 64 * 1024;
    private static final int STAGING_BYTES = 256 * 1024;
    /**
     * Outbound bytes that are not shared samples, summed over every connection: HTTP responses,
     * pongs, command replies, echoes. Each connection has its own cap; this keeps their sum within
     * a quarter of a 64 MiB heap. Over it, peers with unread answers are not read until they catch
     * up (the echo endpoint's 16 MiB messages count alone and still pass).
     */
    private static final long ANSWER_BUDGET_BYTES = 16L * 1024 * 1024;
    /**
     * Input held back, summed over every connection. A connection whose answers are not being read
     * stops reading, but keeps what its last read brought and the protocol did not take (up to one
     * read buffer, 64 KiB). 1024 such peers would hold 64 MiB, the whole heap: past this budget,
     * reads shrink to {@link #SMALL_READ_BYTES}, so the worst case is the budget plus
     * max_connections times 2 KiB (6 MiB at the default 1024), and a well-behaved peer only pays a
     * few more read calls while someone abuses the server.
     */
    private static final long STASH_BUDGET_BYTES = 4L * 1024 * 1024;
    private static final int SMALL_READ_BYTES = 2 * 1024;
    /** select() returning early, empty and unwoken this many times in a row: the epoll spin bug. */
    private static final int SPIN_REBUILD_THRESHOLD = 512;
    private static final long MIN_ACCEPT_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long MAX_ACCEPT_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** Replaced by a reload; read where a connection is accepted and at each sweep. */
    private volatile Settings settings;
    private final TaggedLogger log = Logger.tag("loop");
    private final RateLimitedLog limitedLog = new RateLimitedLog(log, TimeUnit.SECONDS.toNanos(10));
    private final OwnerThread owner = new OwnerThread();
    private final WakeupChannel wakeup;
    private final TimerQueue timers = new TimerQueue();
    private final Thread thread;
    private final CountDownLatch terminated = new CountDownLatch(1);
    private Selector selector;
    private volatile Consumer<Object> messageHandler = m -> {
        throw new IllegalStateException("no handler for " + m.getClass().getSimpleName());
    };

    private final ByteBuffer readBuffer = ByteBuffer.allocate(READ_BUFFER_BYTES);
    private final WriteStaging staging = new WriteStaging(STAGING_BYTES);
    // Made once: a method reference or capturing lambda written inside iterate() is a new object
    // on every iteration, and at high sample rates iterations are many.
    private final Consumer<Object> dispatcher = this::dispatch;
    private final BiConsumer<Runnable, Throwable> timerFailed =
            (task, e) -> log.error(e, "timer task failed");
    private final Runnable sweep = this::sweep;
    /** Keys the last select found ready, handled after it returns (see processReadyKeys). */
    private final ArrayList<SelectionKey> readyKeys = new ArrayList<>();
    private final Consumer<SelectionKey> collectReady = readyKeys::add;
    private final ArrayList<Connection> connections = new ArrayList<>();
    private final ArrayList<Connection> toFlush = new ArrayList<>();
    private final List<Acceptor> acceptors = new ArrayList<>();

    private volatile boolean shutdownRequested;
    private volatile Throwable failure;
    private boolean shuttingDown;
    private long shutdownDeadline;
    private int earlyEmptySelects;
    private int windowTicks;
    private int selectorRebuilds;

    // Counters: written on the loop thread, read by /healthz and /metrics on the loop thread too.
    private volatile long iterations;
    private volatile long iterationStartNanos = System.nanoTime();
    private long slowestIterationNanos;
    private long slowestInPreviousWindowNanos;
    private long droppedFrames;
    private long sampleFramesSent;
    /**
     * Upper bounds (inclusive) of the iteration-time histogram's buckets, in nanoseconds, and
     * how many iterations fell in each (not cumulative; the last slot is over the last bound).
     */
    private static final long[] ITERATION_BOUNDS_NANOS = {
        50_000L, 100_000L, 250_000L, 500_000L, 1_000_000L, 2_500_000L, 5_000_000L, 10_000_000L,
        25_000_000L, 50_000_000L, 100_000_000L, 250_000_000L, 1_000_000_000L, 5_000_000_000L};
    private final long[] iterationBuckets = new long[ITERATION_BOUNDS_NANOS.length + 1];
    private long iterationNanosSum;
    private long answerBytes;
    private long stashedBytes;
    private long bytesOut;
    private long accepted;
    private long rejectedConnections;

    /** A listening socket and what speaks on the connections it accepts. */
    private static final class Acceptor {
        final ServerSocketChannel server;
        final Function<Connection, Protocol> protocols;
        SelectionKey key;
        long backoffNanos = MIN_ACCEPT_BACKOFF_NANOS;
        boolean failing;

        Acceptor(ServerSocketChannel server, Function<Connection, Protocol> protocols) {
            this.server = server;
            this.protocols = protocols;
        }
    }

    public EventLoop(Settings settings) throws IOException {
        this.settings = settings;
        this.selector = Selector.open();
        this.wakeup = new WakeupChannel(selector, settings.inboxCapacity);
        this.thread = new Thread(this::run, "sensorcast-loop");
    }

    /** Where posted messages that are not tasks go (the hub). Set before {@link #start()}. */
    public void setMessageHandler(Consumer<Object> handler) {
        this.messageHandler = handler;
    }

    public void start() {
        thread.start();
    }

    public OwnerThread owner() {
        return owner;
    }

    public boolean inLoop() {
        return owner.isCurrent();
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Any thread: limits and timeouts for what comes next (new connections, the next sweep).
     * The inbox keeps the capacity it was made with.
     */
    public void updateSettings(Settings replacement) {
        this.settings = replacement;
    }

    /** Any thread: stops listening on {@code address}; connections accepted there stay open. */
    public CompletableFuture<Boolean> closeListener(InetSocketAddress address) {
        return submit(() -> {
            for (Acceptor a : acceptors) {
                if (a.server.getLocalAddress().equals(address)) {
                    a.key.cancel();
                    closeQuietly(a.server);
                    acceptors.remove(a);
                    return true;
                }
            }
            return false;
        });
    }

    TaggedLogger log() {
        return log;
    }

    // ---- the door for other threads ------------------------------------------------------------

    /**
     * Any thread: hands an immutable message to the loop. Returns false when the inbox is full
     * (counted in {@link WakeupChannel#refused()}) or the loop has stopped. Never blocks.
     */
    public boolean post(Object message) {
        return wakeup.post(message);
    }

    /**
     * Any thread: a message that must not be lost (a status change). Never refused while the loop
     * runs, never blocks; returns false only once the loop has stopped. Callers keep the rate low.
     */
    public boolean postControl(Object message) {
        return wakeup.postControl(message);
    }

    /** Any thread: runs the task on the loop. Throws {@link RejectedExecutionException} if full or stopped. */
    @Override
    public void execute(Runnable task) {
        if (!post(task)) {
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

    public WakeupChannel wakeupChannel() {
        return wakeup;
    }

    /**
     * Any thread: opens a listening socket on the loop and completes with its bound address
     * (port 0 picks a free port). Connections it accepts get {@code protocols.apply(connection)}.
     */
    public CompletableFuture<InetSocketAddress> listen(InetSocketAddress address, Function<Connection, Protocol> protocols) {
        return submit(() -> {
            ServerSocketChannel server = ServerSocketChannel.open();
            try {
                server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                server.bind(address, 512);
                server.configureBlocking(false);
                Acceptor a = new Acceptor(server, protocols);
                a.key = server.register(selector, SelectionKey.OP_ACCEPT, a);
                acceptors.add(a);
                return (InetSocketAddress) server.getLocalAddress();
            } catch (IOException | RuntimeException e) {
                server.close();
                throw e;
            }
        });
    }

    /** Any thread: every connection gets its protocol's goodbye; the loop ends within a second. */
    public void shutdown() {
        shutdownRequested = true;
        wakeup.wakeNow(); // through the channel: it always has the current selector, even after a rebuild
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
     * Loop thread: runs {@code task} every {@code periodNanos}, at the multiples of the period on
     * the monotonic clock (the first within one period). Periodic work of the same period therefore
     * falls due in the same iteration, and an idle loop wakes once per period for all of it, not
     * once for each. A run that comes late skips to the next multiple rather than catching up.
     */
    public void every(long periodNanos, Runnable task) {
        owner.check();
        timers.schedule(TimerQueue.nextTick(System.nanoTime(), periodNanos), new Runnable() {
            @Override
            public void run() {
                try {
                    task.run();
                } finally {
                    timers.schedule(TimerQueue.nextTick(System.nanoTime(), periodNanos), this);
                }
            }
        });
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

    public long iterations() {
        return iterations;
    }

    /** Age of the current iteration: large only if something on the loop is blocking it. */
    public long currentIterationAgeNanos() {
        return System.nanoTime() - iterationStartNanos;
    }

    /** The slowest iteration in this and the previous ten-second window. */
    public long slowestRecentIterationNanos() {
        owner.check();
        return Math.max(slowestIterationNanos, slowestInPreviousWindowNanos);
    }

    public long droppedFrames() {
        owner.check();
        return droppedFrames;
    }

    /** The iteration-time histogram's bucket bounds in nanoseconds (a copy). */
    public static long[] iterationBucketBoundsNanos() {
        return ITERATION_BOUNDS_NANOS.clone();
    }

    /**
     * Iterations whose work took at most bound {@code i} and more than bound {@code i - 1};
     * {@code i == bounds.length}: over the last bound. Not cumulative.
     */
    public long iterationBucket(int i) {
        owner.check();
        return iterationBuckets[i];
    }

    /** The work time of every iteration so far, summed (select's sleep excluded). */
    public long iterationNanosSum() {
        owner.check();
        return iterationNanosSum;
    }

    /** One bucket increment per iteration: no allocation, at most 14 comparisons. */
    private void recordIteration(long took) {
        int i = 0;
        while (i < ITERATION_BOUNDS_NANOS.length && took > ITERATION_BOUNDS_NANOS[i]) {
            i++;
        }
        iterationBuckets[i]++;
        iterationNanosSum += took;
    }

    /** Sample frames fully written to a socket, counted once per connection. */
    public long sampleFramesSent() {
        owner.check();
        return sampleFramesSent;
    }

    public long bytesOut() {
        owner.check();
        return bytesOut;
    }

    public long acceptedConnections() {
        owner.check();
        return accepted;
    }

    public long rejectedConnections() {
        owner.check();
        return rejectedConnections;
    }

    public int selectorRebuilds() {
        owner.check();
        return selectorRebuilds;
    }

    void scheduleFlush(Connection c) {
        toFlush.add(c);
    }

    void countAnswerBytes(long delta) {
        answerBytes += delta;
    }

    /** Unshared outbound bytes (responses, pongs, replies) of all connections over the budget? */
    boolean answersOverBudget() {
        return answerBytes >= ANSWER_BUDGET_BYTES;
    }

    void countStashedBytes(long delta) {
        stashedBytes += delta;
    }

    /** Input held back from backlogged peers, summed (for tests of its budget). */
    long stashedBytes() {
        owner.check();
        return stashedBytes;
    }

    /** How much one read may take: all of the read buffer, unless held-back input is over its budget. */
    int readLimit() {
        return stashedBytes < STASH_BUDGET_BYTES ? READ_BUFFER_BYTES : SMALL_READ_BYTES;
    }

    /**
     * Loop thread: a limit was crossed or a peer misbehaved. Says {@code message} once per ten
     * seconds per {@code reason}, with how many were suppressed meanwhile, never a flood: a hundred
     * peers over a limit cost one journal line.
     */
    public void warnLimited(String reason, String message) {
        owner.check();
        limitedLog.warn(reason, message);
    }

    /** Loop thread: like {@link #warnLimited}, at info level, for what happens in normal operation too. */
    public void infoLimited(String reason, String message) {
        owner.check();
        limitedLog.info(reason, message);
    }

    void countDroppedFrames(int n) {
        droppedFrames += n;
    }

    void countSampleFramesSent(int n) {
        sampleFramesSent += n;
    }

    void countBytesOut(int n) {
        bytesOut += n;
    }

    void connectionClosed(Connection c) {
        int i = c.index;
        if (i < 0) {
            return;
        }
        Connection last = connections.remove(connections.size() - 1);
        if (last != c) {
            connections.set(i, last);
            last.index = i;
        }
        c.index = -1;
    }

    // ---- the loop ---------------------------------------------------------------------------------

    private void run() {
        owner.claim();
        log.debug("event loop started");
        timers.schedule(TimerQueue.nextTick(System.nanoTime(), SWEEP_NANOS), sweep);
        try {
            while (!finished()) {
                iterate();
            }
        } catch (Throwable t) {
            // Only a bug in the loop itself lands here (per-connection and per-message failures are
            // caught where they happen). Say so loudly; the caller exits non-zero so that the
            // service manager restarts us.
            failure = t;
            log.error(t, "event loop died");
        } finally {
            closeEverything();
            terminated.countDown();
            log.debug("event loop stopped");
        }
    }

    private boolean finished() {
        if (shutdownRequested && !shuttingDown) {
            beginShutdown();
        }
        return shuttingDown && (connections.isEmpty() || System.nanoTime() - shutdownDeadline >= 0);
    }

    private void iterate() throws IOException {
        long now = System.nanoTime();
        long timeout = timers.nanosUntilNext(now, MAX_SLEEP_NANOS);
        if (shuttingDown) {
            // Waiting for the peers to answer their close: sleep until one does or the grace
            // period ends. Polling with selectNow() here burned a whole core for that second.
            timeout = Math.min(timeout, shutdownDeadline - now);
        }
        // Never sleep with writes pending (beginShutdown() queues the goodbyes outside an
        // iteration), nor with a shutdown requested but not yet begun: finished() begins it next.
        if (timeout > 0 && toFlush.isEmpty() && (shuttingDown || !shutdownRequested) && wakeup.prepareToSleep()) {
            long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeout + 999_999));
            int ready = selector.select(collectReady, millis);
            boolean unwoken = wakeup.awake();
            detectSpin(ready, unwoken, now, millis);
        } else {
            selector.selectNow(collectReady);
        }
        long start = System.nanoTime();
        iterationStartNanos = start;

        processReadyKeys();
        wakeup.drain(dispatcher, wakeup.capacity());
        timers.runDue(System.nanoTime(), timerFailed);
        flushAll();

        long took = System.nanoTime() - start;
        if (took > slowestIterationNanos) {
            slowestIterationNanos = took;
        }
        recordIteration(took);
        iterations++;
    }

    private void processReadyKeys() {
        // Index loop over a reused list: the selector's own selected-key set costs a hash node per
        // ready key and an iterator per iteration.
        for (int i = 0; i < readyKeys.size(); i++) {
            SelectionKey key = readyKeys.get(i);
            Object att = key.attachment();
            if (att instanceof Connection c) {
                if (!key.isValid()) {
                    continue;
                }
                if (key.isReadable()) {
                    try {
                        c.onReadable(readBuffer);
                    } catch (Exception | Error e) {
                        rethrowIfFatal(e);
                        fail(c, e);
                        continue;
                    }
                }
                if (key.isValid() && key.isWritable()) {
                    c.scheduleWrite();
                }
            } else if (att instanceof Acceptor a && key.isValid() && key.isAcceptable()) {
                accept(a);
            }
        }
        readyKeys.clear();
    }

    private void dispatch(Object message) {
        try {
            if (message instanceof Runnable task) {
                task.run();
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
                rethrowIfFatal(e);
                fail(c, e);
            }
        }
        toFlush.clear();
    }

    /**
     * Rule 8 says one bad task, message or peer must not end the loop, and that includes Errors:
     * an AssertionError (tests and -ea run with assertions on), a LinkageError from a handler, a
     * StackOverflowError from deep recursion on one peer's input. Catching only RuntimeException
     * let any of them kill the loop and every connection with it (and silently drop the rest of
     * the inbox batch). What is still fatal is the JVM itself failing (OutOfMemoryError,
     * InternalError): then the loop dies and the service manager restarts the process.
     */
    private static void rethrowIfFatal(Throwable e) {
        if (e instanceof VirtualMachineError && !(e instanceof StackOverflowError)) {
            throw (VirtualMachineError) e;
        }
    }

    /** One connection failed: close it, say why once, and go on with the others. */
    private void fail(Connection c, Throwable e) {
        if (e instanceof IOException) {
            // Resets and broken pipes are how peers leave; not worth a warning.
            log.debug("{}: {}", c.peer(), e.toString());
        } else {
            limitedLog.warn("connection:" + e.getClass().getName(),
                    c.peer() + ": closing after an internal error: " + e);
            log.debug(e, "{}: stack", c.peer());
        }
        try {
            c.close();
        } catch (RuntimeException closeFailure) {
            log.debug(closeFailure, "closing {} after a failure failed too", c.peer());
        }
    }

    private void accept(Acceptor a) {
        for (int i = 0; i < ACCEPTS_PER_ITERATION; i++) {
            SocketChannel ch;
            try {
                ch = a.server.accept();
            } catch (IOException e) {
                backOff(a, e);
                return;
            }
            if (ch == null) {
                break;
            }
            if (a.failing) {
                a.failing = false;
                limitedLog.info("accept-again", "accepting connections again");
            }
            a.backoffNanos = MIN_ACCEPT_BACKOFF_NANOS;
            if (connections.size() >= settings.maxConnections || shuttingDown) {
                rejectedConnections++;
                limitedLog.warn("max-connections", "refusing a connection: " + settings.maxConnections
                        + " connections are open (http.max_connections)");
                closeQuietly(ch);
                continue;
            }
            register(a, ch);
        }
    }

    private void register(Acceptor a, SocketChannel ch) {
        Connection c = null;
        try {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            c = new Connection(this, ch, settings.outboundCapBytes);
            SelectionKey key = ch.register(selector, SelectionKey.OP_READ, c);
            c.index = connections.size();
            connections.add(c);
            c.attach(key, a.protocols.apply(c));
            accepted++;
        } catch (IOException | RuntimeException e) {
            limitedLog.warn("register", "could not set up an accepted connection: " + e);
            if (c != null && c.index >= 0) {
                connectionClosed(c);
            }
            closeQuietly(ch);
        }
    }

    /**
     * accept() failed, typically EMFILE (too many open files). The pending connection stays in the
     * backlog and the selector would report it again at once, so stop asking for OP_ACCEPT for a
     * while instead of spinning (Netty does the same).
     */
    private void backOff(Acceptor a, IOException e) {
        if (!a.failing) {
            // Rate-limited too: at the fd limit every closing peer frees one descriptor, the next
            // accept takes it and the one after fails again, so failing/recovering can alternate
            // many times a second under churn.
            limitedLog.warn("accept-failed", "accept failed (" + e.getMessage() + "); backing off and retrying");
            a.failing = true;
        }
        a.key.interestOps(0);
        long delay = a.backoffNanos;
        a.backoffNanos = Math.min(MAX_ACCEPT_BACKOFF_NANOS, delay * 2);
        timers.schedule(System.nanoTime() + delay, () -> {
            if (a.key.isValid()) {
                a.key.interestOps(SelectionKey.OP_ACCEPT);
            }
        });
    }

    /** Once a second: per-connection timeouts, and the iteration-time window for /healthz. */
    private void sweep() {
        long now = System.nanoTime();
        long stall = settings.writeStallTimeout.toNanos();
        // Backwards: a connection that closes swaps the last one into its place, already visited.
        for (int i = connections.size() - 1; i >= 0; i--) {
            if (i >= connections.size()) {
                continue;
            }
            Connection c = connections.get(i);
            try {
                c.tick(now, stall);
            } catch (RuntimeException | Error e) {
                rethrowIfFatal(e);
                fail(c, e);
            }
        }
        // Two ten-second windows of the slowest iteration: "was the loop stuck recently" for /healthz.
        windowTicks++;
        if (windowTicks >= 10) {
            windowTicks = 0;
            slowestInPreviousWindowNanos = slowestIterationNanos;
            slowestIterationNanos = 0;
        }
        timers.schedule(TimerQueue.nextTick(now, SWEEP_NANOS), sweep);
    }

    private void detectSpin(int ready, boolean unwoken, long before, long millis) throws IOException {
        long elapsed = System.nanoTime() - before;
        if (ready == 0 && unwoken && !shutdownRequested && elapsed < TimeUnit.MILLISECONDS.toNanos(millis) / 2) {
            if (++earlyEmptySelects >= SPIN_REBUILD_THRESHOLD) {
                rebuildSelector();
                earlyEmptySelects = 0;
            }
        } else {
            earlyEmptySelects = 0;
        }
    }

    /** The epoll spin work-around: move every key to a fresh selector. */
    private void rebuildSelector() throws IOException {
        Selector fresh = Selector.open();
        for (SelectionKey old : selector.keys()) {
            if (!old.isValid()) {
                continue;
            }
            Object att = old.attachment();
            int ops = old.interestOps();
            old.cancel();
            try {
                SelectionKey k = old.channel().register(fresh, ops, att);
                if (att instanceof Connection c) {
                    c.rekey(k);
                } else if (att instanceof Acceptor a) {
                    a.key = k;
                }
            } catch (ClosedChannelException e) {
                // The channel closed meanwhile; its connection is cleaned up by its own close().
            }
        }
        Selector old = selector;
        selector = fresh;
        wakeup.replaceSelector(fresh);
        closeQuietly(old);
        selectorRebuilds++;
        log.warn("selector returned early and empty {} times in a row; rebuilt it", SPIN_REBUILD_THRESHOLD);
    }

    private void beginShutdown() {
        shuttingDown = true;
        shutdownDeadline = System.nanoTime() + SHUTDOWN_GRACE_NANOS;
        for (Acceptor a : acceptors) {
            a.key.cancel();
            closeQuietly(a.server);
        }
        for (int i = connections.size() - 1; i >= 0; i--) {
            if (i < connections.size()) {
                Connection c = connections.get(i);
                try {
                    c.shutdown();
                } catch (RuntimeException e) {
                    fail(c, e);
                }
            }
        }
    }

    private void closeEverything() {
        for (int i = connections.size() - 1; i >= 0; i--) {
            try {
                connections.get(i).close();
            } catch (RuntimeException e) {
                log.debug(e, "close during shutdown failed");
            }
        }
        for (Acceptor a : acceptors) {
            closeQuietly(a.server);
        }
        closeQuietly(selector);
        wakeup.close();
        // Anything still in the inbox was posted to a loop that is going away; tasks may hold
        // futures that callers wait on, so run them rather than leave them hanging.
        wakeup.drain(m -> {
            if (m instanceof Runnable r) {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    log.debug(e, "task after shutdown failed");
                }
            }
        }, wakeup.capacity());
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // Nothing useful to do about a failed close of something we are discarding.
        }
    }
}

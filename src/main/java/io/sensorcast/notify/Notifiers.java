package io.sensorcast.notify;

import io.sensorcast.alert.AlertEvent;
import io.sensorcast.alert.AlertSink;
import io.sensorcast.config.NotifySettings;
import io.sensorcast.loop.RateLimitedLog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * The outbound notifiers and the one thread that sends to them: the {@link AlertSink} the alert
 * rules hand their notifications to.
 *
 * <p>{@link #accept} runs on the loop: it puts the event in each notifier's bounded queue (when one
 * is full its oldest waiting event is dropped and counted) and returns; it never does I/O and the
 * lock it takes is never held across I/O. The worker ({@code sensorcast-notify}) starts with the
 * first event and never twice; it sends with the JDK's HttpClient, asynchronously, one request in
 * flight per notifier (so a notifier's firing goes before its resolved) and the notifiers
 * independent of each other (a hung one delays only itself). A failed attempt (no connection, no
 * answer within the timeout, a status other than 2xx) is retried after 1 s, then 2 s, 4 s, ...
 * {@code retries} times, then counted failed; each failure is logged, rate-limited. The HttpClients'
 * threads are an executor of this class: two daemon threads at most, ended by {@link #stop}.
 */
public final class Notifiers implements AlertSink {

    private static final TaggedLogger LOG = Logger.tag("notify");
    /** Events waiting per notifier; an alert storm beyond it drops the oldest. */
    public static final int QUEUE_CAPACITY = 32;
    private static final long LOG_WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** How much of an error answer's body the log shows (ntfy says why in JSON). */
    private static final int ERROR_BODY_BYTES = 200;

    /** Per notifier name; kept across reloads so that /metrics' counters only grow. Any thread. */
    public static final class Counters {
        final AtomicLong sent = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong dropped = new AtomicLong();
        final AtomicLong errors = new AtomicLong();

        /** Notifications the notifier accepted (2xx). */
        public long sent() {
            return sent.get();
        }

        /** Notifications given up after every retry failed. */
        public long failed() {
            return failed.get();
        }

        /** Notifications never tried: the queue was full, or the service stopped or the notifier went with a reload. */
        public long dropped() {
            return dropped.get();
        }

        /** Attempts that failed, retried ones included. */
        public long errors() {
            return errors.get();
        }
    }

    /** One notifier's client, queue and the event being sent; guarded by {@link #lock}. */
    private static final class Target {
        final Notifier notifier;
        final String token;
        final HttpClient client;
        final Counters counters;
        final ArrayDeque<AlertEvent> queue = new ArrayDeque<>();
        AlertEvent current;
        boolean inFlight;
        int attempt;
        long dueNanos;
        boolean retired;
        boolean failing;

        Target(Notifier notifier, String token, HttpClient client, Counters counters) {
            this.notifier = notifier;
            this.token = token;
            this.client = client;
            this.counters = counters;
        }
    }

    private final String userAgent;
    /** Null: the JDK's default context, which trusts the system's CAs (ntfy.sh). Tests give their own. */
    private final SSLContext ssl;
    private final long backoffNanos;
    private final ZoneId zone;
    private final ThreadPoolExecutor http;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final RateLimitedLog limited = new RateLimitedLog(LOG, LOG_WINDOW_NANOS);
    private Map<String, Target> targets = new LinkedHashMap<>();
    private final Map<String, Counters> counters = new ConcurrentHashMap<>();
    private volatile List<String> names = List.of();
    private Thread worker;
    private boolean stopped;

    /** @param userAgent the User-Agent of every request ("sensorcast/1.2.3") */
    public Notifiers(String userAgent) {
        this(userAgent, null, TimeUnit.SECONDS.toNanos(1), ZoneId.systemDefault());
    }

    /** For tests: their own CA, a shorter back-off, a fixed time zone. */
    Notifiers(String userAgent, SSLContext ssl, long backoffNanos, ZoneId zone) {
        this.userAgent = userAgent;
        this.ssl = ssl;
        this.backoffNanos = backoffNanos;
        this.zone = zone;
        AtomicInteger n = new AtomicInteger();
        this.http = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "sensorcast-notify-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.http.allowCoreThreadTimeOut(true);
    }

    /**
     * Main thread, at start and at each reload: the notifiers become {@code list}. Token files are
     * read here. A notifier whose settings and token did not change keeps its queue and the event it
     * is sending; a changed one takes over its predecessor's queue; a removed one's waiting events
     * are dropped (counted).
     */
    public void configure(List<NotifySettings> list) {
        boolean changed = false;
        Map<String, String> tokens = new LinkedHashMap<>();
        for (NotifySettings s : list) {
            try {
                tokens.put(s.name(), token(s));
            } catch (IOException e) {
                LOG.error("notifier {} is off until the configuration is fixed and reloaded: {}", s.name(), e.getMessage());
            }
        }
        lock.lock();
        try {
            Map<String, Target> next = new LinkedHashMap<>();
            for (NotifySettings s : list) {
                String token = tokens.get(s.name());
                if (token == null) {
                    continue;
                }
                Target old = targets.get(s.name());
                if (old != null && old.notifier.settings().equals(s) && old.token.equals(token)) {
                    next.put(s.name(), old);
                    continue;
                }
                changed = true;
                Target t = new Target(new Notifier(s, token, userAgent, zone), token, client(s),
                        counters.computeIfAbsent(s.name(), k -> new Counters()));
                if (old != null) {
                    t.queue.addAll(old.queue);
                    old.queue.clear();
                    if (old.current != null && !old.inFlight) {
                        t.queue.addFirst(old.current);
                        old.current = null;
                    }
                }
                next.put(s.name(), t);
            }
            for (Target old : targets.values()) {
                if (next.get(old.notifier.name()) != old) {
                    changed |= !next.containsKey(old.notifier.name());
                    old.retired = true;
                    drop(old);
                }
            }
            targets = next;
            names = List.copyOf(next.keySet());
            this.changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (changed) {
            LOG.info("notifiers: {}", list.isEmpty() ? "none"
                    : String.join(", ", list.stream().filter(s -> tokens.containsKey(s.name())).map(NotifySettings::toString).toList()));
        }
    }

    /** Loop thread (any thread): queues {@code event} for each notifier it goes to; never waits on I/O. */
    @Override
    public void accept(AlertEvent event) {
        lock.lock();
        try {
            boolean queued = false;
            for (Target t : targets.values()) {
                if (!t.notifier.wants(event)) {
                    continue;
                }
                if (stopped) {
                    t.counters.dropped.incrementAndGet();
                    continue;
                }
                if (t.queue.size() >= QUEUE_CAPACITY) {
                    AlertEvent lost = t.queue.pollFirst();
                    t.counters.dropped.incrementAndGet();
                    limited.warn("full:" + t.notifier.name(), "notifier " + t.notifier.name() + ": " + QUEUE_CAPACITY
                            + " notifications wait already; dropped the oldest (" + lost.rule() + " "
                            + lost.transition().wireName() + ")");
                }
                t.queue.addLast(event);
                queued = true;
            }
            if (queued) {
                if (worker == null) {
                    worker = new Thread(this::run, "sensorcast-notify");
                    worker.setDaemon(true);
                    worker.start();
                }
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the worker within {@code wait} and ends the HttpClients' threads; events still waiting
     * are dropped (counted). A request in flight is abandoned. Any thread; idempotent.
     */
    public void stop(Duration wait) throws InterruptedException {
        Thread w;
        lock.lock();
        try {
            stopped = true;
            targets.values().forEach(this::drop);
            changed.signalAll();
            w = worker;
        } finally {
            lock.unlock();
        }
        if (w != null) {
            w.join(Math.max(1, wait.toMillis()));
        }
        http.shutdownNow();
        http.awaitTermination(Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS);
    }

    /** The configured notifiers' names, in file order. Any thread. */
    public List<String> names() {
        return names;
    }

    /** A notifier's counters (zero for a name never configured). Any thread. */
    public Counters counters(String name) {
        Counters c = counters.get(name);
        return c == null ? new Counters() : c;
    }

    /** Events waiting for a notifier, the one being sent included. */
    public int queued(String name) {
        lock.lock();
        try {
            Target t = targets.get(name);
            return t == null ? 0 : t.queue.size() + (t.current == null ? 0 : 1);
        } finally {
            lock.unlock();
        }
    }

    /** The worker thread, once started (tests: it is one, and it ends). */
    Thread worker() {
        lock.lock();
        try {
            return worker;
        } finally {
            lock.unlock();
        }
    }

    /** Under lock: what waits is dropped, counted. */
    private void drop(Target t) {
        int n = t.queue.size() + (t.current != null && !t.inFlight ? 1 : 0);
        t.queue.clear();
        if (!t.inFlight) {
            t.current = null;
        }
        t.counters.dropped.addAndGet(n);
    }

    private void run() {
        List<Target> due = new ArrayList<>();
        List<AlertEvent> events = new ArrayList<>();
        while (true) {
            due.clear();
            events.clear();
            lock.lock();
            try {
                if (stopped) {
                    return;
                }
                long now = System.nanoTime();
                long wait = Long.MAX_VALUE;
                for (Target t : targets.values()) {
                    if (t.current == null && !t.queue.isEmpty()) {
                        t.current = t.queue.pollFirst();
                        t.attempt = 0;
                        t.dueNanos = now;
                    }
                    if (t.current == null || t.inFlight) {
                        continue;
                    }
                    if (t.dueNanos - now <= 0) {
                        t.inFlight = true;
                        due.add(t);
                        events.add(t.current);
                    } else {
                        wait = Math.min(wait, t.dueNanos - now);
                    }
                }
                if (due.isEmpty()) {
                    if (wait == Long.MAX_VALUE) {
                        changed.await();
                    } else {
                        changed.awaitNanos(wait);
                    }
                    continue;
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            for (int i = 0; i < due.size(); i++) {
                send(due.get(i), events.get(i));
            }
        }
    }

    /** Worker thread, no lock held: starts one attempt; its outcome comes to {@link #done}. */
    private void send(Target t, AlertEvent event) {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        HttpResponse.BodyHandler<Void> body = HttpResponse.BodyHandlers.ofByteArrayConsumer(chunk -> chunk.ifPresent(b -> {
            if (head.size() < ERROR_BODY_BYTES) {
                head.write(b, 0, Math.min(b.length, ERROR_BODY_BYTES - head.size()));
            }
        }));
        try {
            HttpRequest request = t.notifier.request(event);
            // The request's timeout covers the answer's head; the bound here also covers a body
            // that never ends, so that one notifier can never be stuck for good.
            long bound = t.notifier.settings().timeout().toMillis() * 2;
            t.client.sendAsync(request, body)
                    .orTimeout(bound, TimeUnit.MILLISECONDS)
                    .whenComplete((response, error) -> done(t, event, response == null ? 0 : response.statusCode(),
                            error, head));
        } catch (RuntimeException e) {
            done(t, event, 0, e, head);
        }
    }

    /** Any thread (the HttpClient's): the attempt ended. */
    private void done(Target t, AlertEvent event, int status, Throwable error, ByteArrayOutputStream head) {
        String name = t.notifier.name();
        lock.lock();
        try {
            t.inFlight = false;
            boolean ok = error == null && status / 100 == 2;
            if (ok) {
                t.counters.sent.incrementAndGet();
                t.current = null;
                if (t.failing) {
                    t.failing = false;
                    LOG.info("notifier {}: delivered again", name);
                }
            } else {
                t.counters.errors.incrementAndGet();
                t.failing = true;
                String why = error != null ? reason(error, t.notifier.settings().timeout())
                        : "HTTP " + status + answer(head);
                int retries = t.notifier.settings().retries();
                if (t.attempt < retries && !t.retired && !stopped) {
                    long delay = Math.min(MAX_BACKOFF_NANOS, backoffNanos << Math.min(20, t.attempt));
                    t.attempt++;
                    t.dueNanos = System.nanoTime() + delay;
                    limited.warn("attempt:" + name, "notifier " + t.notifier + ": " + event.rule() + " "
                            + event.transition().wireName() + ": attempt " + t.attempt + " of " + (retries + 1)
                            + " failed: " + why + "; trying again in " + millis(delay));
                } else {
                    t.counters.failed.incrementAndGet();
                    t.current = null;
                    limited.warn("failed:" + name, "notifier " + t.notifier + ": " + event.rule() + " "
                            + event.transition().wireName() + " not delivered after " + (t.attempt + 1)
                            + (t.attempt == 0 ? " attempt: " : " attempts: ") + why);
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private HttpClient client(NotifySettings s) {
        HttpClient.Builder b = HttpClient.newBuilder()
                .executor(http)
                .connectTimeout(s.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1);
        if (ssl != null) {
            b.sslContext(ssl);
        }
        return b.build();
    }

    /** The token, or the first line of token_file; empty for none. */
    static String token(NotifySettings s) throws IOException {
        if (s.tokenFile() == null) {
            return s.token();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(s.tokenFile(), StandardCharsets.UTF_8);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new IOException("cannot read notify." + s.name() + ".token_file " + s.tokenFile() + ": " + e.getMessage(), e);
        }
        String token = lines.isEmpty() ? "" : lines.get(0).strip();
        String problem = NotifySettings.tokenProblem(token);
        if (problem != null) {
            throw new IOException("notify." + s.name() + ".token_file " + s.tokenFile() + ": " + problem);
        }
        return token;
    }

    /** What went wrong, for a person. */
    static String reason(Throwable error, Duration timeout) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof java.util.concurrent.ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof HttpConnectTimeoutException) {
            return "no connection within " + io.sensorcast.config.Values.format(timeout);
        }
        if (e instanceof HttpTimeoutException || e instanceof java.util.concurrent.TimeoutException) {
            return "no answer within " + io.sensorcast.config.Values.format(timeout);
        }
        if (e instanceof ConnectException) {
            return "cannot connect" + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
        }
        if (e instanceof SSLException) {
            return "TLS: " + e.getMessage();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    static String answer(ByteArrayOutputStream head) {
        if (head.size() == 0) {
            return "";
        }
        String s = head.toString(StandardCharsets.UTF_8).replaceAll("[\\p{Cntrl}]+", " ").strip();
        return s.isEmpty() ? "" : " (" + s + ")";
    }

    private static String millis(long nanos) {
        long ms = TimeUnit.NANOSECONDS.toMillis(nanos);
        return ms >= 1000 && ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }
}

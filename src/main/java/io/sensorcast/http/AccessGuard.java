package io.sensorcast.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * The optional access token ({@code http.token}). When one is set, every request under a protected
 * path prefix ({@link #PROTECTED}: /ws, /api, /metrics) must carry it, as
 * {@code Authorization: Bearer <token>} or as the {@value #COOKIE} cookie that {@code POST /login}
 * sets; otherwise the answer is 401, before routing (so /ws is refused before the upgrade, and a
 * route added under a protected prefix later is covered without knowing about this class).
 *
 * <p>Open on purpose: the page and its static files (so that the login can be shown), /healthz
 * (systemd, load balancers and monitoring probe it without credentials; it tells nothing secret),
 * /login and /logout.
 *
 * <p>The comparison is constant time: {@link MessageDigest#isEqual} on the UTF-8 bytes, whose
 * running time depends on the length of the expected token only, never on where a guess differs.
 *
 * <p>Guessing is limited per remote address: after {@link #MAX_FAILURES} wrong tokens (login,
 * Bearer or cookie; a request with no token at all is not a guess) within {@link #WINDOW_NANOS},
 * that address gets 429 with Retry-After until the window ends, without its tokens being compared.
 * Sleeping is impossible on the event loop, hence refusal instead of delay. The table of
 * addresses is bounded ({@link #MAX_ADDRESSES}); when it is full the oldest entry is forgotten.
 *
 * <p>Loop thread only (one instance is shared by every connection of the loop).
 */
public final class AccessGuard {

    private static final TaggedLogger LOG = Logger.tag("http");

    /** Path prefixes that need the token: the path itself and everything below it. */
    public static final List<String> PROTECTED = List.of("/ws", "/api", "/metrics");
    public static final String COOKIE = "sensorcast_token";
    public static final String CHALLENGE = "Bearer realm=\"sensorcast\"";
    public static final int MAX_FAILURES = 10;
    public static final long WINDOW_NANOS = TimeUnit.MINUTES.toNanos(10);
    public static final int MAX_ADDRESSES = 1024;
    /** One year: a wall-mounted tablet should not ask again every week. */
    static final long COOKIE_MAX_AGE_SECONDS = 365L * 24 * 3600;

    private static final class Failures {
        final long windowStart;
        int count;

        Failures(long windowStart) {
            this.windowStart = windowStart;
        }
    }

    private final byte[] token;
    private final LongSupplier clock;
    /** Insertion order: the first entry is the oldest window. */
    private final Map<String, Failures> failures = new LinkedHashMap<>();

    /** @param token empty or null: no token, everything open */
    public AccessGuard(String token) {
        this(token, System::nanoTime);
    }

    AccessGuard(String token, LongSupplier clock) {
        this.token = token == null || token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
    }

    public boolean enabled() {
        return token != null;
    }

    /** Does {@code path} need the token (when one is set)? */
    public static boolean isProtected(String path) {
        for (String p : PROTECTED) {
            if (path.equals(p) || path.startsWith(p + "/")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Null when the request may go on to routing; else the answer: 401 (no or wrong token) or 429
     * (too many wrong tokens from {@code peer}, "ip:port").
     */
    public HttpResponse check(HttpRequest request, String peer) {
        if (token == null || !isProtected(request.path())) {
            return null;
        }
        String fromHeader = bearer(request.headers());
        String fromCookie = cookie(request.headers(), COOKIE);
        if (fromHeader == null && fromCookie == null) {
            return unauthorized("this server needs its access token: send Authorization: Bearer <token>,"
                    + " or log in on the dashboard page");
        }
        String address = address(peer);
        HttpResponse refused = refuseIfBlocked(address);
        if (refused != null) {
            return refused;
        }
        String presented = fromHeader != null ? fromHeader : fromCookie;
        if (matches(presented)) {
            return null;
        }
        recordFailure(address, peer);
        HttpResponse r = unauthorized("wrong access token");
        if (fromHeader == null) {
            r.header("Set-Cookie", clearCookie()); // a stale cookie is guessed with once, not on every reconnect
        }
        return r;
    }

    /** {@code POST /login} with the form body {@code token=…}: 303 to / with the cookie, 401, or 429. */
    public HttpResponse login(HttpRequest request, String peer) {
        if (token == null) {
            return HttpResponse.text(404, "no access token is configured (http.token); nothing to log in to");
        }
        String type = request.headers().get("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).strip().startsWith("application/x-www-form-urlencoded")) {
            return HttpResponse.text(415, "send the form field token=… as application/x-www-form-urlencoded");
        }
        String presented;
        try {
            presented = formField(new String(request.body(), StandardCharsets.UTF_8), "token");
        } catch (IllegalArgumentException e) {
            return HttpResponse.text(400, "malformed form body: " + e.getMessage());
        }
        if (presented == null || presented.isEmpty()) {
            return HttpResponse.text(400, "the form has no field 'token'");
        }
        String address = address(peer);
        HttpResponse refused = refuseIfBlocked(address);
        if (refused != null) {
            return refused;
        }
        if (!matches(presented)) {
            recordFailure(address, peer);
            return unauthorized("wrong access token");
        }
        failures.remove(address);
        return HttpResponse.of(303).header("Location", "/").header("Cache-Control", "no-store")
                .header("Set-Cookie", COOKIE + "=" + presented + "; Path=/; Max-Age=" + COOKIE_MAX_AGE_SECONDS
                        + "; HttpOnly; SameSite=Strict");
    }

    /** {@code POST /logout}: 303 to / with the cookie cleared. */
    public HttpResponse logout() {
        return HttpResponse.of(303).header("Location", "/").header("Cache-Control", "no-store")
                .header("Set-Cookie", clearCookie());
    }

    /** Addresses with failures on record (tests: the table stays bounded). */
    int trackedAddresses() {
        return failures.size();
    }

    /**
     * The token check itself: {@link MessageDigest#isEqual} runs in time that depends on the
     * length of its first argument (the expected token) only.
     */
    boolean matches(String presented) {
        return constantTimeEquals(token, presented.getBytes(StandardCharsets.UTF_8));
    }

    static boolean constantTimeEquals(byte[] expected, byte[] presented) {
        return MessageDigest.isEqual(expected, presented);
    }

    private static HttpResponse unauthorized(String reason) {
        return HttpResponse.text(401, reason).header("WWW-Authenticate", CHALLENGE).header("Cache-Control", "no-store");
    }

    private static String clearCookie() {
        return COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict";
    }

    private HttpResponse refuseIfBlocked(String address) {
        Failures f = failures.get(address);
        if (f == null) {
            return null;
        }
        long age = clock.getAsLong() - f.windowStart;
        if (age >= WINDOW_NANOS) {
            failures.remove(address);
            return null;
        }
        if (f.count < MAX_FAILURES) {
            return null;
        }
        long retry = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(WINDOW_NANOS - age) + 1);
        return HttpResponse.text(429, "too many wrong access tokens from " + address + "; try again in "
                        + retry + " s")
                .header("Retry-After", Long.toString(retry)).header("Cache-Control", "no-store");
    }

    private void recordFailure(String address, String peer) {
        long now = clock.getAsLong();
        Failures f = failures.get(address);
        if (f == null) {
            if (failures.size() >= MAX_ADDRESSES) {
                evict(now);
            }
            f = new Failures(now);
            failures.put(address, f);
        }
        f.count++;
        if (f.count == MAX_FAILURES) {
            LOG.warn("{}: {} wrong access tokens; refusing this address for up to {} min", peer, f.count,
                    TimeUnit.NANOSECONDS.toMinutes(WINDOW_NANOS));
        } else if (f.count < MAX_FAILURES) {
            LOG.info("{}: wrong access token", peer);
        }
    }

    /** Forgets expired windows; if none expired, the oldest one (the table must stay bounded). */
    private void evict(long now) {
        for (Iterator<Failures> it = failures.values().iterator(); it.hasNext(); ) {
            if (now - it.next().windowStart >= WINDOW_NANOS) {
                it.remove();
            }
        }
        if (failures.size() >= MAX_ADDRESSES) {
            Iterator<String> oldest = failures.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /** "ip:port" (as {@code Connection.peer()} gives it) to "ip". */
    static String address(String peer) {
        int colon = peer.lastIndexOf(':');
        return colon > 0 ? peer.substring(0, colon) : peer;
    }

    /** The credentials of {@code Authorization: Bearer <token>} (scheme case-insensitive, RFC 9110 11.1), or null. */
    static String bearer(HttpHeaders headers) {
        String value = headers.get("Authorization");
        if (value == null) {
            return null;
        }
        value = value.strip();
        if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String credentials = value.substring(7).strip();
        return credentials.isEmpty() ? null : credentials;
    }

    /** The value of the named cookie over every Cookie field (RFC 6265 5.4), quotes removed, or null. */
    static String cookie(HttpHeaders headers, String name) {
        for (String line : headers.getAll("Cookie")) {
            for (String pair : line.split(";")) {
                int eq = pair.indexOf('=');
                if (eq < 0 || !pair.substring(0, eq).strip().equals(name)) {
                    continue;
                }
                String value = pair.substring(eq + 1).strip();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                return value.isEmpty() ? null : value;
            }
        }
        return null;
    }

    /** The named field of an application/x-www-form-urlencoded body, decoded, or null. */
    static String formField(String body, String name) {
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (key.equals(name)) {
                return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}

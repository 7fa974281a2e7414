package io.sensorcast.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The token checker on its own: what it protects, how it reads credentials, how it compares and limits. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class AccessGuardTest {

    private static final String TOKEN = "s3cret-token-0123456789";
    private static final String PEER = "192.0.2.7:50000";

    private static HttpRequest request(String method, String path, String body, String... headers) {
        List<String> fields = new ArrayList<>(List.of(headers));
        return new HttpRequest(method, path, path, null, 1, new HttpHeaders(fields), body.getBytes(StandardCharsets.UTF_8));
    }

    private static HttpRequest get(String path, String... headers) {
        return request("GET", path, "", headers);
    }

    private static HttpRequest loginRequest(String token) {
        return request("POST", "/login", "token=" + java.net.URLEncoder.encode(token, StandardCharsets.UTF_8),
                "Content-Type", "application/x-www-form-urlencoded");
    }

    @Test
    void protectsWsApiAndMetricsWithEverythingBelowThemAndNothingElse() {
        for (String p : List.of("/ws", "/ws/echo", "/api", "/api/", "/api/channels", "/api/channels/x/history",
                "/metrics", "/metrics/anything")) {
            assertTrue(AccessGuard.isProtected(p), p);
        }
        for (String p : List.of("/", "/index.html", "/app.js", "/vendor/uPlot.min.css", "/healthz", "/login",
                "/logout", "/wsx", "/apis", "/metrics.txt", "/x/api")) {
            assertFalse(AccessGuard.isProtected(p), p);
        }
    }

    @Test
    void withoutATokenNothingIsChecked() {
        AccessGuard open = new AccessGuard("");
        assertFalse(open.enabled());
        assertNull(open.check(get("/api/channels"), PEER));
        assertNull(open.check(get("/metrics"), PEER));
        assertEquals(404, open.login(loginRequest(TOKEN), PEER).status());
    }

    @Test
    void missingWrongAndRightTokens() {
        AccessGuard g = new AccessGuard(TOKEN);
        HttpResponse none = g.check(get("/api/channels"), PEER);
        assertEquals(401, none.status());
        assertEquals("Bearer realm=\"sensorcast\"", none.header("WWW-Authenticate"));
        assertTrue(new String(none.body(), StandardCharsets.UTF_8).contains("Authorization: Bearer"));
        assertNull(g.check(get("/healthz"), PEER), "healthz stays open");
        assertNull(g.check(get("/"), PEER), "the page stays open");

        assertNull(g.check(get("/api/channels", "Authorization", "Bearer " + TOKEN), PEER));
        assertNull(g.check(get("/ws", "authorization", "bearer  " + TOKEN + " "), PEER), "scheme case-insensitive, OWS");
        assertNull(g.check(get("/metrics", "Cookie", "a=b; " + AccessGuard.COOKIE + "=" + TOKEN + "; c=d"), PEER));
        assertNull(g.check(get("/metrics", "Cookie", "a=b", "Cookie", AccessGuard.COOKIE + "=\"" + TOKEN + "\""), PEER));

        assertEquals(401, g.check(get("/api/channels", "Authorization", "Bearer " + TOKEN + "x"), PEER).status());
        assertEquals(401, g.check(get("/api/channels", "Authorization", "Bearer " + TOKEN.substring(1)), PEER).status());
        assertEquals(401, g.check(get("/api/channels", "Authorization", "Basic " + TOKEN), PEER).status());
        HttpResponse staleCookie = g.check(get("/ws", "Cookie", AccessGuard.COOKIE + "=" + TOKEN.toUpperCase()), PEER);
        assertEquals(401, staleCookie.status());
        assertTrue(staleCookie.header("Set-Cookie").contains("Max-Age=0"), "a wrong cookie is cleared: " + staleCookie.header("Set-Cookie"));
    }

    @Test
    void theComparisonIsMessageDigestIsEqualOnTheUtf8Bytes() throws Exception {
        AccessGuard g = new AccessGuard("ünïcode-token-ünïcode");
        assertTrue(g.matches("ünïcode-token-ünïcode"));
        assertFalse(g.matches("unicode-token-unicode"));
        Random random = new Random(5);
        for (int i = 0; i < 2000; i++) {
            byte[] a = new byte[16 + random.nextInt(3)];
            byte[] b = new byte[16 + random.nextInt(3)];
            random.nextBytes(a);
            if (random.nextBoolean()) {
                System.arraycopy(a, 0, b, 0, Math.min(a.length, b.length));
                b[random.nextInt(b.length)] ^= (byte) random.nextInt(2); // equal about a third of the time
            } else {
                random.nextBytes(b);
            }
            assertEquals(MessageDigest.isEqual(a, b), AccessGuard.constantTimeEquals(a, b));
        }
        // And the source says so, so that a later edit to String.equals or Arrays.equals (which stop at
        // the first differing byte) fails here.
        String source = Files.readString(Path.of("src/main/java/io/sensorcast/http/AccessGuard.java"));
        assertTrue(source.contains("return MessageDigest.isEqual(expected, presented);"));
        assertFalse(source.matches("(?s).*(Arrays\\.equals|\\.equals\\(presented|presented\\.equals).*"));
    }

    @Test
    void loginSetsAnHttpOnlyStrictCookieAndLogoutClearsIt() {
        AccessGuard g = new AccessGuard(TOKEN);
        HttpResponse ok = g.login(loginRequest(TOKEN), PEER);
        assertEquals(303, ok.status());
        assertEquals("/", ok.header("Location"));
        assertEquals(AccessGuard.COOKIE + "=" + TOKEN + "; Path=/; Max-Age=31536000; HttpOnly; SameSite=Strict",
                ok.header("Set-Cookie"));
        assertEquals(401, g.login(loginRequest("wrong-token-0123456789"), PEER).status());
        assertEquals(400, g.login(request("POST", "/login", "other=1", "Content-Type", "application/x-www-form-urlencoded"), PEER).status());
        assertEquals(400, g.login(request("POST", "/login", "token=%zz", "Content-Type", "application/x-www-form-urlencoded"), PEER).status());
        assertEquals(415, g.login(request("POST", "/login", "{\"token\":\"x\"}", "Content-Type", "application/json"), PEER).status());
        HttpResponse out = g.logout();
        assertEquals(303, out.status());
        assertEquals(AccessGuard.COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict", out.header("Set-Cookie"));
    }

    @Test
    void tooManyWrongTokensFromOneAddressGet429UntilTheWindowEnds() {
        AtomicLong now = new AtomicLong(1_000);
        AccessGuard g = new AccessGuard(TOKEN, now::get);
        for (int i = 0; i < AccessGuard.MAX_FAILURES; i++) {
            assertEquals(401, g.login(loginRequest("wrong-token-000000000" + i), PEER).status(), "failure " + i);
        }
        HttpResponse refused = g.login(loginRequest(TOKEN), PEER);
        assertEquals(429, refused.status(), "even the right token is not compared while refused");
        assertEquals(Long.toString(TimeUnit.NANOSECONDS.toSeconds(AccessGuard.WINDOW_NANOS) + 1), refused.header("Retry-After"));
        assertEquals(429, g.check(get("/api/channels", "Authorization", "Bearer " + TOKEN), "192.0.2.7:50001").status(),
                "the address counts, not the port");
        assertEquals(401, g.check(get("/api/channels"), PEER).status(), "no token: still 401, not a guess");
        assertNull(g.check(get("/api/channels", "Authorization", "Bearer " + TOKEN), "192.0.2.8:1"), "other addresses go on");

        now.addAndGet(AccessGuard.WINDOW_NANOS - TimeUnit.SECONDS.toNanos(30));
        assertEquals("31", g.login(loginRequest(TOKEN), PEER).header("Retry-After"));
        now.addAndGet(TimeUnit.SECONDS.toNanos(30));
        assertEquals(303, g.login(loginRequest(TOKEN), PEER).status(), "the window is over");
    }

    @Test
    void wrongBearerAndCookieTokensCountToo() {
        AccessGuard g = new AccessGuard(TOKEN, () -> 0L);
        for (int i = 0; i < AccessGuard.MAX_FAILURES; i++) {
            String wrong = "wrong-token-00000000" + i;
            HttpRequest r = i % 2 == 0 ? get("/ws", "Authorization", "Bearer " + wrong) : get("/ws", "Cookie", AccessGuard.COOKIE + "=" + wrong);
            assertEquals(401, g.check(r, PEER).status());
        }
        assertEquals(429, g.check(get("/ws", "Authorization", "Bearer " + TOKEN), PEER).status());
    }

    @Test
    void theTableOfAddressesStaysBounded() {
        AccessGuard g = new AccessGuard(TOKEN, () -> 0L);
        for (int i = 0; i < AccessGuard.MAX_ADDRESSES * 3; i++) {
            g.login(loginRequest("wrong-token-0123456789"), "10." + (i >> 16) + "." + (i >> 8 & 255) + "." + (i & 255) + ":1");
        }
        assertEquals(AccessGuard.MAX_ADDRESSES, g.trackedAddresses());
    }

    @Test
    void credentialParsing() {
        assertEquals("abc", AccessGuard.bearer(new HttpHeaders(List.of("Authorization", "Bearer abc"))));
        assertNull(AccessGuard.bearer(new HttpHeaders(List.of("Authorization", "Bearer "))));
        assertNull(AccessGuard.bearer(new HttpHeaders(List.of("Authorization", "Bearerabc"))));
        assertNull(AccessGuard.cookie(new HttpHeaders(List.of("Cookie", "xsensorcast_token=abc")), AccessGuard.COOKIE));
        assertNull(AccessGuard.cookie(new HttpHeaders(List.of("Cookie", AccessGuard.COOKIE + "=")), AccessGuard.COOKIE));
        assertEquals("a b+c", AccessGuard.formField("x=1&token=a+b%2Bc", "token"));
        assertEquals("10.0.0.1", AccessGuard.address("10.0.0.1:5"));
        assertEquals("0:0:0:0:0:0:0:1", AccessGuard.address("0:0:0:0:0:0:0:1:5"));
    }
}

package io.sensorcast.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.http.AccessGuard;
import io.sensorcast.testing.Json;
import io.sensorcast.testing.RawHttp;
import io.sensorcast.testing.RawHttp.Response;
import io.sensorcast.testing.TestSensors;
import io.sensorcast.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code http.token} end to end: a real server, raw sockets and the JDK's HttpClient and WebSocket. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AccessTokenTest {

    private static final String TOKEN = "e2e-token-4f1c9a7b3d2e8f60";
    private static final String UPGRADE = "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: x3JJHMbDL1EzLkh9GBhXDw==\r\nSec-WebSocket-Version: 13\r\n";

    private static TestServer server(String token) throws Exception {
        return TestServer.start(TestServer.settings().accessToken(token).build(),
                List.of(TestSensors.sine("wave", "Wave", "V", 10)));
    }

    private static Response request(TestServer s, String method, String target, String headers, String body)
            throws Exception {
        try (RawHttp http = RawHttp.connect(s.port())) {
            http.send(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + s.port() + "\r\n" + headers
                    + (body == null ? "" : "Content-Length: " + body.getBytes("UTF-8").length + "\r\n") + "\r\n"
                    + (body == null ? "" : body));
            return method.equals("HEAD") ? http.readHead() : http.read();
        }
    }

    private static Response get(TestServer s, String target, String headers) throws Exception {
        return request(s, "GET", target, headers, null);
    }

    private static Response login(TestServer s, String token) throws Exception {
        return request(s, "POST", "/login", "Content-Type: application/x-www-form-urlencoded\r\n",
                "token=" + java.net.URLEncoder.encode(token, "UTF-8"));
    }

    private static void assertUnauthorized(Response r, String what) {
        assertEquals(401, r.status(), what + ": " + r);
        assertEquals("Bearer realm=\"sensorcast\"", r.header("WWW-Authenticate"), what);
        assertNull(r.header("Sec-WebSocket-Accept"), what + ": never upgraded");
    }

    @Test
    void withoutTheTokenWsApiAndMetricsAre401AndThePageAndHealthzAreOpen() throws Exception {
        try (TestServer s = server(TOKEN)) {
            assertUnauthorized(get(s, "/ws", UPGRADE), "/ws upgrade");
            assertUnauthorized(get(s, "/api/channels", ""), "/api/channels");
            assertUnauthorized(get(s, "/api/channels/wave.sine/history?window=5m", ""), "history");
            assertUnauthorized(get(s, "/metrics", ""), "/metrics");
            assertUnauthorized(request(s, "HEAD", "/api/channels", "", null), "HEAD");
            assertTrue(get(s, "/api/channels", "").text().contains("Authorization: Bearer"), "says how");

            assertEquals(200, get(s, "/", "").status());
            assertEquals(200, get(s, "/app.js", "").status());
            Response health = get(s, "/healthz", "");
            assertEquals(200, health.status());
            assertEquals(Boolean.TRUE, Json.object(health.text()).get("authRequired"));
        }
    }

    @Test
    void bearerAndCookieLetRequestsThroughAndAWrongTokenDoesNot() throws Exception {
        try (TestServer s = server(TOKEN)) {
            assertEquals(200, get(s, "/api/channels", "Authorization: Bearer " + TOKEN + "\r\n").status());
            Response metrics = get(s, "/metrics", "Authorization: Bearer " + TOKEN + "\r\n");
            assertEquals(200, metrics.status());
            assertTrue(metrics.text().contains("sensorcast_"), "the scrape itself");
            assertEquals(101, get(s, "/ws", UPGRADE + "Authorization: Bearer " + TOKEN + "\r\n").status());
            assertEquals(200, get(s, "/api/channels", "Cookie: theme=dark; " + AccessGuard.COOKIE + "=" + TOKEN + "\r\n").status());
            assertEquals(101, get(s, "/ws", UPGRADE + "Cookie: " + AccessGuard.COOKIE + "=" + TOKEN + "\r\n").status());

            assertUnauthorized(get(s, "/api/channels", "Authorization: Bearer " + TOKEN + "0\r\n"), "wrong bearer");
            Response wrongCookie = get(s, "/ws", UPGRADE + "Cookie: " + AccessGuard.COOKIE + "=" + TOKEN.substring(1) + "x\r\n");
            assertUnauthorized(wrongCookie, "wrong cookie");
            assertTrue(wrongCookie.header("Set-Cookie").contains("Max-Age=0"), wrongCookie.toString());
        }
    }

    @Test
    void theJdkClientsWithTheBearerToken() throws Exception {
        try (TestServer s = server(TOKEN)) {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            URI api = URI.create("http://127.0.0.1:" + s.port() + "/api/channels");
            HttpResponse<String> denied = client.send(HttpRequest.newBuilder(api).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, denied.statusCode());
            HttpResponse<String> allowed = client.send(HttpRequest.newBuilder(api).timeout(Duration.ofSeconds(5))
                    .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, allowed.statusCode());
            assertTrue(allowed.body().contains("wave.sine"), allowed.body());

            URI ws = URI.create("ws://127.0.0.1:" + s.port() + "/ws");
            WebSocket.Listener quiet = new WebSocket.Listener() {};
            CompletableFuture<WebSocket> refused = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(ws, quiet);
            try {
                refused.get(5, TimeUnit.SECONDS);
                throw new AssertionError("the upgrade without a token succeeded");
            } catch (java.util.concurrent.ExecutionException e) {
                assertTrue(String.valueOf(e.getCause()).contains("401") || e.getCause() instanceof java.net.http.WebSocketHandshakeException,
                        String.valueOf(e.getCause()));
            }
            WebSocket open = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                    .header("Authorization", "Bearer " + TOKEN).buildAsync(ws, quiet).get(5, TimeUnit.SECONDS);
            open.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void loginSetsTheCookieThatThenOpensTheApiAndLogoutClearsIt() throws Exception {
        try (TestServer s = server(TOKEN)) {
            Response ok = login(s, TOKEN);
            assertEquals(303, ok.status(), ok.toString());
            assertEquals("/", ok.header("Location"));
            String setCookie = ok.header("Set-Cookie");
            assertTrue(setCookie.startsWith(AccessGuard.COOKIE + "=" + TOKEN + ";"), setCookie);
            for (String attribute : List.of("Path=/", "HttpOnly", "SameSite=Strict", "Max-Age=")) {
                assertTrue(setCookie.contains(attribute), attribute + " in " + setCookie);
            }
            String cookie = setCookie.substring(0, setCookie.indexOf(';'));
            assertEquals(200, get(s, "/api/channels", "Cookie: " + cookie + "\r\n").status());

            Response wrong = login(s, "not-the-token-at-all");
            assertEquals(401, wrong.status());
            assertNull(wrong.header("Set-Cookie"));

            Response out = request(s, "POST", "/logout", "", "");
            assertEquals(303, out.status());
            assertTrue(out.header("Set-Cookie").startsWith(AccessGuard.COOKIE + "=;"), out.toString());
            assertTrue(out.header("Set-Cookie").contains("Max-Age=0"), out.toString());
            assertEquals(405, get(s, "/login", "").status(), "login is a POST");
        }
    }

    @Test
    void tooManyWrongTokensGet429WithRetryAfterEvenForTheRightOne() throws Exception {
        try (TestServer s = server(TOKEN)) {
            for (int i = 0; i < AccessGuard.MAX_FAILURES; i++) {
                assertEquals(401, login(s, "guess-number-" + i + "-abcdefgh").status(), "guess " + i);
            }
            Response refused = login(s, TOKEN);
            assertEquals(429, refused.status(), refused.toString());
            assertTrue(Long.parseLong(refused.header("Retry-After")) > 0);
            assertEquals(429, get(s, "/api/channels", "Authorization: Bearer " + TOKEN + "\r\n").status());
            assertEquals(200, get(s, "/healthz", "").status(), "healthz is never refused");
        }
    }

    @Test
    void aReloadChangesTheTokenForNewConnections() throws Exception {
        String next = "reloaded-token-9b8a7c6d5e4f";
        try (TestServer s = server(TOKEN)) {
            var devices = List.of(io.sensorcast.sensor.Device.of(TestSensors.sine("wave", "Wave", "V", 10)));
            s.service().reload(s.service().loop().settings().toBuilder().accessToken(next).build(), devices, List.of());
            assertUnauthorized(get(s, "/api/channels", "Authorization: Bearer " + TOKEN + "\r\n"), "the old token");
            assertEquals(200, get(s, "/api/channels", "Authorization: Bearer " + next + "\r\n").status());
            assertEquals(303, login(s, next).status());

            s.service().reload(s.service().loop().settings().toBuilder().accessToken("").build(), devices, List.of());
            assertEquals(200, get(s, "/api/channels", "").status(), "no token: open again");
            assertEquals(Boolean.FALSE, Json.object(get(s, "/healthz", "").text()).get("authRequired"));
            assertEquals(404, login(s, next).status());
        }
    }

    @Test
    void withoutATokenConfiguredEverythingIsOpenAsBefore() throws Exception {
        try (TestServer s = server("")) {
            assertEquals(200, get(s, "/api/channels", "").status());
            assertEquals(101, get(s, "/ws", UPGRADE).status());
            assertEquals(Boolean.FALSE, Json.object(get(s, "/healthz", "").text()).get("authRequired"));
            assertEquals(404, login(s, TOKEN).status(), "no login route");
        }
    }
}

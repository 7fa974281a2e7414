package io.sensorcast.ws;

import io.sensorcast.http.HttpHeaders;
import io.sensorcast.http.HttpRequest;
import io.sensorcast.http.HttpResponse;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * The opening handshake, RFC 6455 4.2: checks the client's request and builds the 101 response,
 * or the HTTP error that says what was wrong.
 *
 * <p>Origin (RFC 6455 10.2): browsers send it and scripts cannot forge it, so it is what stops a
 * page on another site from opening a monitor stream in a visitor's browser. Allowed: no Origin
 * (curl, scripts, other servers), the page's own origin (its host equals the request's Host), and
 * the configured list.
 */
public final class Handshake {

    private Handshake() {}

    /** The response: 101 if {@link HttpResponse#status()} says so, else an error to send and close. */
    public static HttpResponse answer(HttpRequest request, List<String> allowedOrigins) {
        HttpHeaders h = request.headers();
        if (!request.method().equals("GET") || request.minorVersion() != 1) {
            return HttpResponse.text(400, "a WebSocket handshake is a GET over HTTP/1.1");
        }
        if (!h.hasToken("Upgrade", "websocket") || !h.hasToken("Connection", "Upgrade")) {
            return HttpResponse.text(426, "this endpoint speaks WebSocket only")
                    .header("Upgrade", "websocket").header("Connection", "Upgrade");
        }
        String version = h.get("Sec-WebSocket-Version");
        if (version == null || !version.trim().equals("13")) {
            // 4.2.2 item 4 / 4.4: say which versions we speak.
            return HttpResponse.text(426, "unsupported WebSocket version " + version + "; this server speaks 13")
                    .header("Sec-WebSocket-Version", "13");
        }
        List<String> keys = h.getAll("Sec-WebSocket-Key");
        if (keys.size() != 1 || !HandshakeKeys.isValidKey(keys.get(0).trim())) {
            return HttpResponse.text(400, "missing or invalid Sec-WebSocket-Key");
        }
        String origin = h.get("Origin");
        if (origin != null && !originAllowed(origin, h.get("Host"), allowedOrigins)) {
            return HttpResponse.text(403, "origin " + origin + " is not allowed (setting allowed_origins)");
        }
        // No subprotocol and no extension is negotiated: we answer neither header (4.2.2 item 5).
        return HttpResponse.of(101)
                .header("Upgrade", "websocket")
                .header("Connection", "Upgrade")
                .header("Sec-WebSocket-Accept", HandshakeKeys.accept(keys.get(0).trim()));
    }

    static boolean originAllowed(String origin, String host, List<String> allowed) {
        String o = origin.trim();
        for (String a : allowed) {
            if (a.equalsIgnoreCase(o) || a.equals("*")) {
                return true;
            }
        }
        if (host == null) {
            return false;
        }
        try {
            URI u = new URI(o);
            if (u.getHost() == null || !"http".equalsIgnoreCase(u.getScheme()) && !"https".equalsIgnoreCase(u.getScheme())) {
                return false; // "null" (sandboxed frames, file: pages) and other schemes
            }
            String authority = u.getRawAuthority().toLowerCase(Locale.ROOT);
            String hostLower = host.trim().toLowerCase(Locale.ROOT);
            return authority.equals(hostLower) || withDefaultPort(authority, u.getScheme()).equals(withDefaultPort(hostLower, "http"));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static String withDefaultPort(String authority, String scheme) {
        boolean hasPort = authority.lastIndexOf(':') > authority.lastIndexOf(']');
        if (hasPort) {
            return authority;
        }
        return authority + ("https".equalsIgnoreCase(scheme) ? ":443" : ":80");
    }
}

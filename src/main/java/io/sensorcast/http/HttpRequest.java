package io.sensorcast.http;

import java.util.Arrays;
import java.util.Objects;

/**
 * One parsed request.
 *
 * @param target       the request-target as received
 * @param path         percent-decoded (UTF-8), starting with "/"; "*" for {@code OPTIONS *} (RFC 9112 3.2.4)
 * @param query        raw, without '?', or null when the target has no '?'
 * @param minorVersion 0 or 1 (HTTP/1.0 or HTTP/1.1)
 * @param body         exactly Content-Length bytes, empty when there was none
 */
public record HttpRequest(String method, String target, String path, String query, int minorVersion,
                          HttpHeaders headers, byte[] body) {

    /** RFC 9112 9.3: 1.1 persists unless "Connection: close"; 1.0 only with "Connection: keep-alive". */
    public boolean keepAlive() {
        if (headers.hasToken("Connection", "close")) {
            return false;
        }
        return minorVersion == 1 || headers.hasToken("Connection", "keep-alive");
    }

    // A record compares arrays by identity; two parses of the same bytes should be equal.
    @Override
    public boolean equals(Object other) {
        return other instanceof HttpRequest that
                && method.equals(that.method) && target.equals(that.target) && path.equals(that.path)
                && Objects.equals(query, that.query) && minorVersion == that.minorVersion
                && headers.equals(that.headers) && Arrays.equals(body, that.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, target, path, query, minorVersion, headers) * 31 + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return method + " " + target + " HTTP/1." + minorVersion + " " + headers + " body=" + body.length + "B";
    }
}

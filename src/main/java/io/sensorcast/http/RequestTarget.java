package io.sensorcast.http;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * The path and query of a request-target (RFC 9112 3.2). The caller has already checked that the target is
 * non-empty printable ASCII, so every char here is one byte.
 *
 * @param path  percent-decoded; "/" when the target names no path; "*" for the asterisk-form
 * @param query raw, without '?', or null
 */
record RequestTarget(String path, String query) {
    private static final String HTTP_SCHEME = "http://";

    static RequestTarget parse(String method, String target) throws HttpParseException {
        if (target.charAt(0) == '/') {
            return pathAndQuery(target, 0); // RFC 9112 3.2.1 origin-form
        }
        if (target.equals("*")) {
            // RFC 9112 3.2.4: asterisk-form is only for a server-wide OPTIONS.
            if (!method.equals("OPTIONS")) {
                throw bad("'*' target is only allowed for OPTIONS");
            }
            return new RequestTarget("*", null);
        }
        if (target.regionMatches(true, 0, HTTP_SCHEME, 0, HTTP_SCHEME.length())) {
            return absoluteForm(target);
        }
        // authority-form (CONNECT) and anything else: we are not a proxy.
        throw bad("unsupported request-target form");
    }

    /** RFC 9112 3.2.2: servers must accept absolute-form; the path comes from the URI, "/" when it has none (3.3). */
    private static RequestTarget absoluteForm(String target) throws HttpParseException {
        int authorityStart = HTTP_SCHEME.length();
        int authorityEnd = authorityStart;
        while (authorityEnd < target.length() && target.charAt(authorityEnd) != '/'
                && target.charAt(authorityEnd) != '?') {
            authorityEnd++;
        }
        // RFC 9110 4.2.1: an http URI with an empty host is invalid; 4.2.4: userinfo is to be treated as an error.
        if (authorityEnd == authorityStart) {
            throw bad("absolute-form target without a host");
        }
        if (target.lastIndexOf('@', authorityEnd - 1) >= authorityStart) {
            throw bad("userinfo in request target");
        }
        return pathAndQuery(target, authorityEnd);
    }

    private static RequestTarget pathAndQuery(String target, int pathStart) throws HttpParseException {
        int mark = target.indexOf('?', pathStart);
        int pathEnd = mark < 0 ? target.length() : mark;
        String path = pathEnd == pathStart ? "/" : decodePath(target.substring(pathStart, pathEnd));
        if (hasDotSegment(path)) {
            // RFC 3986 5.2.4: clients remove dot segments before sending, so one here (raw or as %2e) is a probe.
            // Refused rather than resolved: no handler ever sees a path that could climb above its root.
            throw bad("dot segment in path");
        }
        return new RequestTarget(path, mark < 0 ? null : target.substring(mark + 1));
    }

    /** Percent-decodes (RFC 3986 2.1) and reads the octets as UTF-8. */
    private static String decodePath(String raw) throws HttpParseException {
        if (raw.indexOf('%') < 0) {
            return raw; // plain ASCII: nothing to decode
        }
        byte[] octets = new byte[raw.length()];
        int length = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '%') {
                octets[length++] = (byte) c;
                continue;
            }
            int high = i + 2 < raw.length() ? hexValue(raw.charAt(i + 1)) : -1;
            int low = high < 0 ? -1 : hexValue(raw.charAt(i + 2));
            if (low < 0) {
                throw bad("bad percent-encoding in path");
            }
            if (high == 0 && low == 0) {
                throw bad("NUL in path"); // would truncate file names in native code further down
            }
            octets[length++] = (byte) (high << 4 | low);
            i += 2;
        }
        try {
            // A fresh decoder reports malformed input (overlong forms, lone surrogates) instead of replacing it.
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(octets, 0, length)).toString();
        } catch (CharacterCodingException e) {
            throw bad("path is not valid UTF-8");
        }
    }

    /** Is a segment of the decoded path "." or ".."? Checked after decoding, so "%2e%2e" and "..%2f" count too. */
    private static boolean hasDotSegment(String path) {
        int start = 0;
        while (start <= path.length()) {
            int slash = path.indexOf('/', start);
            int end = slash < 0 ? path.length() : slash;
            int length = end - start;
            if ((length == 1 || length == 2) && path.charAt(start) == '.' && path.charAt(end - 1) == '.') {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        char lower = (char) (c | 0x20);
        return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
    }

    private static HttpParseException bad(String reason) {
        return new HttpParseException(400, reason);
    }
}

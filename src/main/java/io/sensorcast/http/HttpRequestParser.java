package io.sensorcast.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Incremental HTTP/1.1 request parser (RFC 9112) for one connection, fed whatever each read produced.
 *
 * <p>Each header line is parsed as soon as its LF arrives, so only the current line is buffered, in an array that
 * grows up to the header limit and is dropped when the request completes: an idle connection holds no buffer.
 * Not thread-safe; owned by the event loop. After an {@link HttpParseException} the parser is unusable: answer and
 * close the connection.
 */
public final class HttpRequestParser {
    /** Field lines per request; the byte limit alone would allow thousands of tiny ones to scan. */
    static final int MAX_FIELDS = 100;
    private static final int INITIAL_LINE_CAPACITY = 256;
    private static final byte[] NO_BODY = new byte[0];
    /** Content-Length values are clamped here while parsing: anything larger is over any int body limit. */
    private static final long LENGTH_CLAMP = Integer.MAX_VALUE + 1L;

    private final int maxHeaderBytes;
    private final int maxBodyBytes;

    // Header section of the request in progress.
    private byte[] line;            // the line being received, null between requests
    private int lineLength;
    private int headBytes;          // bytes of this request so far, CRLFs included, counted against maxHeaderBytes
    private String method;          // null until the request line has been parsed
    private String target;
    private RequestTarget parsedTarget;
    private int minorVersion;
    private List<String> fields;    // name, value, name, value, ...

    // Body: set once the header section is complete.
    private HttpHeaders headers;
    private byte[] body;
    private int bodyLength;
    private long bodyExpected;
    /** The first body buffer; it doubles as bytes arrive, up to Content-Length. */
    private static final int INITIAL_BODY_BYTES = 1024;

    /**
     * @param maxHeaderBytes request line + header section, including CRLFs; over it → 431 (414 while still in the
     *                       request line)
     * @param maxBodyBytes   largest Content-Length accepted, else 413
     */
    public HttpRequestParser(int maxHeaderBytes, int maxBodyBytes) {
        if (maxHeaderBytes <= 0 || maxBodyBytes < 0) {
            throw new IllegalArgumentException("bad limits: header " + maxHeaderBytes + ", body " + maxBodyBytes);
        }
        this.maxHeaderBytes = maxHeaderBytes;
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * Consumes bytes of {@code in} up to the end of ONE request. Returns the request once complete (the parser is
     * then ready for the next one, and the bytes after the request — a pipelined request, or WebSocket frames after
     * an Upgrade — are left in {@code in}), or null when {@code in} is used up and more is needed (all of it
     * consumed and kept). Works for any split of the stream, including one byte at a time.
     */
    public HttpRequest parse(ByteBuffer in) throws HttpParseException {
        if (headers == null && !readHeaderSection(in)) {
            return null;
        }
        int n = (int) Math.min(in.remaining(), bodyExpected - bodyLength);
        if (bodyLength + n > body.length) {
            // Grow with what arrives, never ahead of it: a peer that announces 64 KiB and sends
            // nothing costs us nothing (a thousand of them would otherwise fill a small heap).
            body = Arrays.copyOf(body, (int) Math.min(bodyExpected, Math.max(bodyLength + n, 2L * body.length)));
        }
        in.get(body, bodyLength, n);
        bodyLength += n;
        if (bodyLength < bodyExpected) {
            return null;
        }
        HttpRequest request = new HttpRequest(method, target, parsedTarget.path(), parsedTarget.query(),
                minorVersion, headers, body);
        reset();
        return request;
    }

    /** True while part of a request has been received but not all of it (for the header timeout). */
    public boolean inProgress() {
        return headBytes > 0;
    }

    /** Returns true once the empty line ending the header section has been consumed. */
    private boolean readHeaderSection(ByteBuffer in) throws HttpParseException {
        while (in.hasRemaining()) {
            byte b = in.get();
            // Checked per byte so that an endless line is refused at limit + 1 rather than buffered.
            if (++headBytes > maxHeaderBytes) {
                throw method == null
                        ? new HttpParseException(414, "request line too long")
                        : new HttpParseException(431, "header section too large");
            }
            if (b != '\n') {
                append(b);
                continue;
            }
            // RFC 9112 2.2: lines end in CRLF, but a bare LF may be accepted as a line end.
            int end = lineLength > 0 && line[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
            lineLength = 0;
            if (method == null) {
                if (end > 0) { // RFC 9112 2.2: empty lines before the request line are skipped (still counted)
                    parseRequestLine(end);
                }
            } else if (end > 0) {
                parseFieldLine(end);
            } else {
                endHeaderSection();
                return true;
            }
        }
        return false;
    }

    private void append(byte b) throws HttpParseException {
        // RFC 9112 2.2: a CR anywhere but before LF is an error, not a line end (a classic smuggling vector).
        if (lineLength > 0 && line[lineLength - 1] == '\r') {
            throw bad("bare CR");
        }
        if (line == null) {
            line = new byte[Math.min(INITIAL_LINE_CAPACITY, maxHeaderBytes)];
        } else if (lineLength == line.length) {
            // headBytes <= maxHeaderBytes and the line is part of it, so this never needs to exceed the limit.
            line = Arrays.copyOf(line, Math.min(line.length * 2, maxHeaderBytes));
        }
        line[lineLength++] = b;
    }

    /** RFC 9112 3: request-line = method SP request-target SP HTTP-version, single spaces. */
    private void parseRequestLine(int end) throws HttpParseException {
        int firstSpace = indexOfSpace(0, end);
        int secondSpace = firstSpace < 0 ? -1 : indexOfSpace(firstSpace + 1, end);
        if (firstSpace <= 0 || secondSpace < 0 || indexOfSpace(secondSpace + 1, end) >= 0) {
            throw bad("malformed request line");
        }
        for (int i = 0; i < firstSpace; i++) {
            if (!isTchar(line[i])) {
                throw bad("invalid method"); // RFC 9110 9.1: method = token
            }
        }
        if (secondSpace == firstSpace + 1) {
            throw bad("empty request target");
        }
        // RFC 9112 3.2: no whitespace or controls in the target; RFC 3986 has no room for raw non-ASCII either.
        for (int i = firstSpace + 1; i < secondSpace; i++) {
            if (line[i] <= 0x20 || line[i] == 0x7F) { // bytes are signed: non-ASCII is negative
                throw bad("invalid character in request target");
            }
        }
        minorVersion = parseVersion(secondSpace + 1, end);
        method = text(0, firstSpace);
        target = text(firstSpace + 1, secondSpace);
        parsedTarget = RequestTarget.parse(method, target);
        fields = new ArrayList<>(16);
    }

    /** RFC 9112 2.3: HTTP-version = "HTTP/" DIGIT "." DIGIT, case-sensitive; well-formed but not 1.0/1.1 → 505. */
    private int parseVersion(int from, int end) throws HttpParseException {
        if (end - from != 8 || line[from] != 'H' || line[from + 1] != 'T' || line[from + 2] != 'T'
                || line[from + 3] != 'P' || line[from + 4] != '/' || !isDigit(line[from + 5])
                || line[from + 6] != '.' || !isDigit(line[from + 7])) {
            throw bad("malformed HTTP version");
        }
        if (line[from + 5] != '1' || line[from + 7] > '1') {
            throw new HttpParseException(505, "HTTP version not supported");
        }
        return line[from + 7] - '0';
    }

    /** RFC 9112 5: field-line = field-name ":" OWS field-value OWS. */
    private void parseFieldLine(int end) throws HttpParseException {
        // RFC 9112 5.2 obs-fold, and 2.2 whitespace before the first field: rejecting is the simple safe choice.
        if (line[0] == ' ' || line[0] == '\t') {
            throw bad("obsolete line folding");
        }
        if (fields.size() / 2 == MAX_FIELDS) {
            throw new HttpParseException(431, "too many header fields");
        }
        int colon = 0;
        for (; colon < end && line[colon] != ':'; colon++) {
            if (line[colon] == ' ' || line[colon] == '\t') {
                throw bad("whitespace before colon"); // RFC 9112 5.1: MUST be rejected with 400
            }
            if (!isTchar(line[colon])) {
                throw bad("invalid field name");
            }
        }
        if (colon == 0 || colon == end) {
            throw bad("malformed field line");
        }
        int from = colon + 1;
        int to = end;
        while (from < to && isWhitespace(line[from])) {
            from++;
        }
        while (to > from && isWhitespace(line[to - 1])) {
            to--;
        }
        // RFC 9110 5.5: field-vchar is VCHAR or obs-text; HTAB is the only control allowed inside a value.
        for (int i = from; i < to; i++) {
            if ((line[i] >= 0 && line[i] < 0x20 && line[i] != '\t') || line[i] == 0x7F) {
                throw bad("control character in field value");
            }
        }
        fields.add(text(0, colon));
        fields.add(text(from, to));
    }

    private void endHeaderSection() throws HttpParseException {
        HttpHeaders received = new HttpHeaders(fields);
        // RFC 9112 3.2: 400 for an HTTP/1.1 request without Host, and for any request with more than one.
        int hosts = received.getAll("Host").size();
        if (hosts > 1) {
            throw bad("duplicate Host");
        }
        if (hosts == 0 && minorVersion == 1) {
            throw bad("missing Host");
        }
        long length = contentLength(received);
        bodyExpected = length;
        body = length == 0 ? NO_BODY : new byte[(int) Math.min(length, INITIAL_BODY_BYTES)];
        headers = received;
    }

    /** RFC 9112 6.3: the body length. Only Content-Length framing is supported; bodies here are small. */
    private long contentLength(HttpHeaders received) throws HttpParseException {
        List<String> members = received.listMembers("Content-Length");
        if (received.get("Transfer-Encoding") != null) {
            // RFC 9112 6.1: TE plus CL is the request-smuggling pattern, and TE in HTTP/1.0 means faulty framing.
            if (!members.isEmpty()) {
                throw bad("both Transfer-Encoding and Content-Length");
            }
            if (minorVersion == 0) {
                throw bad("Transfer-Encoding in HTTP/1.0");
            }
            throw new HttpParseException(501, "transfer coding not supported"); // RFC 9112 6.1 SHOULD
        }
        // RFC 9110 8.6: repeated identical values may be taken as one; any disagreement is invalid framing.
        long length = -1;
        for (String member : members) {
            long value = parseDecimal(member);
            if (value < 0) {
                throw bad("invalid Content-Length");
            }
            if (length >= 0 && value != length) {
                throw bad("conflicting Content-Length");
            }
            length = value;
        }
        if (length > maxBodyBytes) {
            throw new HttpParseException(413, "body too large");
        }
        return Math.max(length, 0); // RFC 9112 6.3 rule 7: no framing fields means no body
    }

    /** 1*DIGIT as a value clamped at {@link #LENGTH_CLAMP}, or -1 if it is not all digits. */
    private static long parseDecimal(String digits) {
        if (digits.isEmpty()) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = Math.min(value * 10 + (c - '0'), LENGTH_CLAMP);
        }
        return value;
    }

    private void reset() {
        line = null;
        lineLength = 0;
        headBytes = 0;
        method = null;
        target = null;
        parsedTarget = null;
        fields = null;
        headers = null;
        body = null;
        bodyLength = 0;
        bodyExpected = 0;
    }

    private int indexOfSpace(int from, int end) {
        for (int i = from; i < end; i++) {
            if (line[i] == ' ') {
                return i;
            }
        }
        return -1;
    }

    /** The header section is ISO-8859-1 (RFC 9110 5.5), one char per byte; one String per call, no per-byte work. */
    private String text(int from, int to) {
        return new String(line, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private static HttpParseException bad(String reason) {
        return new HttpParseException(400, reason);
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t'; // OWS, RFC 9110 5.6.3
    }

    /** RFC 9110 5.6.2: tchar = ALPHA / DIGIT / one of the listed symbols. */
    private static boolean isTchar(byte b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || isDigit(b) || "!#$%&'*+-.^_`|~".indexOf(b) >= 0;
    }
}

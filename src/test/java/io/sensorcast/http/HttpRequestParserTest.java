package io.sensorcast.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class HttpRequestParserTest {
    private static final int MAX_HEADER = 8192;
    private static final int MAX_BODY = 1024;
    private static final String POST = "POST /api/readings?sensor=t1 HTTP/1.1\r\nHost: pi.local\r\n"
            + "Content-Type: application/json\r\nContent-Length: 12\r\n\r\n{\"t\": 21.5 }";

    private static ByteBuffer bytes(String raw) {
        return ByteBuffer.wrap(raw.getBytes(ISO_8859_1));
    }

    /** Parses a buffer holding exactly one request. */
    private static HttpRequest parseOne(String raw) throws HttpParseException {
        ByteBuffer in = bytes(raw);
        HttpRequest request = new HttpRequestParser(MAX_HEADER, MAX_BODY).parse(in);
        assertNotNull(request, "request should be complete");
        assertFalse(in.hasRemaining(), "nothing should be left over");
        return request;
    }

    private static void assertRejected(int status, String raw) {
        HttpParseException e = assertThrows(HttpParseException.class,
                () -> new HttpRequestParser(MAX_HEADER, MAX_BODY).parse(bytes(raw)));
        assertEquals(status, e.status(), e.reason());
        assertEquals(e.getMessage(), e.reason());
    }

    private static String get(String target, String... fieldLines) {
        return "GET " + target + " HTTP/1.1\r\nHost: pi.local\r\n" + String.join("", fieldLines) + "\r\n";
    }

    @Nested
    class WellFormed {
        @Test
        void getHasMethodTargetVersionHeadersAndEmptyBody() throws HttpParseException {
            HttpRequest r = parseOne("GET /index.html HTTP/1.1\r\nHost: pi.local\r\nAccept: */*\r\n\r\n");
            assertEquals("GET", r.method());
            assertEquals("/index.html", r.target());
            assertEquals("/index.html", r.path());
            assertNull(r.query());
            assertEquals(1, r.minorVersion());
            assertEquals("pi.local", r.headers().get("host"));
            assertEquals("*/*", r.headers().get("ACCEPT"));
            assertEquals(2, r.headers().size());
            assertEquals(0, r.body().length);
        }

        @Test
        void headIsParsedLikeGet() throws HttpParseException {
            HttpRequest r = parseOne("HEAD /status HTTP/1.1\r\nHost: pi.local\r\n\r\n");
            assertEquals("HEAD", r.method());
            assertEquals("/status", r.path());
        }

        @Test
        void postBodyIsExactlyContentLengthBytes() throws HttpParseException {
            HttpRequest r = parseOne(POST);
            assertEquals("POST", r.method());
            assertArrayEquals("{\"t\": 21.5 }".getBytes(UTF_8), r.body());
        }

        @Test
        void bodyOfExactlyMaxBodyBytesIsAccepted() throws HttpParseException {
            String body = "x".repeat(MAX_BODY);
            HttpRequest r = parseOne("PUT /blob HTTP/1.1\r\nHost: a\r\nContent-Length: " + MAX_BODY + "\r\n\r\n"
                    + body);
            assertEquals(MAX_BODY, r.body().length);
        }

        @Test
        void repeatedIdenticalContentLengthIsOneLength() throws HttpParseException {
            HttpRequest r = parseOne("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 3\r\nContent-Length: 3\r\n\r\n"
                    + "abc");
            assertEquals(3, r.body().length);
        }

        @Test
        void fieldValuesAreTrimmedOfOptionalWhitespaceAndMayBeEmpty() throws HttpParseException {
            HttpRequest r = parseOne(get("/", "X-A: \t padded \t \r\n", "X-B:\r\n", "X-C:in  side\r\n"));
            assertEquals("padded", r.headers().get("x-a"));
            assertEquals("", r.headers().get("x-b"));
            assertEquals("in  side", r.headers().get("x-c"));
        }

        @Test
        void obsTextInValueIsReadAsIso88591() throws HttpParseException {
            assertEquals("caf\u00e9", parseOne(get("/", "X-Name: caf\u00e9\r\n")).headers().get("X-Name"));
        }

        @Test
        void bareLfLineEndingsAreAccepted() throws HttpParseException {
            HttpRequest r = parseOne("GET / HTTP/1.1\nHost: a\nX: y\n\n");
            assertEquals("y", r.headers().get("X"));
        }

        @Test
        void emptyLinesBeforeRequestLineAreSkipped() throws HttpParseException {
            assertEquals("/", parseOne("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n").path());
        }

        @Test
        void http10NeedsNoHost() throws HttpParseException {
            HttpRequest r = parseOne("GET / HTTP/1.0\r\n\r\n");
            assertEquals(0, r.minorVersion());
            assertEquals(0, r.headers().size());
        }
    }

    @Nested
    class Targets {
        @Test
        void queryIsSplitOffRawAndPathIsDecoded() throws HttpParseException {
            HttpRequest r = parseOne(get("/search%20me?q=a%20b&x=1"));
            assertEquals("/search%20me?q=a%20b&x=1", r.target());
            assertEquals("/search me", r.path());
            assertEquals("q=a%20b&x=1", r.query());
        }

        @Test
        void emptyQueryIsEmptyStringNotNull() throws HttpParseException {
            assertEquals("", parseOne(get("/p?")).query());
        }

        @Test
        void pathIsDecodedAsUtf8() throws HttpParseException {
            assertEquals("/caf\u00e9/.x/..y/%", parseOne(get("/caf%C3%A9/.x/%2e%2Ey/%25")).path());
        }

        @ParameterizedTest
        @ValueSource(strings = {"/../pom.xml", "/a/%2e%2E/b", "/..%2fpom.xml", "/./index.html", "/a/.", "/a/..?q",
            "http://pi.local/../x"})
        void dotSegmentsAreRefusedRawOrEncoded(String target) {
            assertRejected(400, get(target));
        }

        @Test
        void absoluteFormTakesPathAndQueryFromTheUri() throws HttpParseException {
            HttpRequest r = parseOne(get("http://pi.local:8080/a%2Fb?x=1"));
            assertEquals("http://pi.local:8080/a%2Fb?x=1", r.target());
            assertEquals("/a/b", r.path());
            assertEquals("x=1", r.query());
        }

        @Test
        void absoluteFormWithoutPathMeansRoot() throws HttpParseException {
            assertEquals("/", parseOne(get("HTTP://pi.local")).path());
            HttpRequest r = parseOne(get("http://pi.local?x"));
            assertEquals("/", r.path());
            assertEquals("x", r.query());
        }

        @Test
        void optionsAcceptsAsteriskForm() throws HttpParseException {
            HttpRequest r = parseOne("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals("*", r.target());
            assertEquals("*", r.path());
            assertNull(r.query());
        }
    }

    @Nested
    class KeepAlive {
        @ParameterizedTest(name = "HTTP/1.{0} with \"{1}\" → keep-alive {2}")
        @MethodSource("io.sensorcast.http.HttpRequestParserTest#keepAliveCases")
        void followsRfc9112Section9_3(int minor, String connection, boolean expected) throws HttpParseException {
            String field = connection.isEmpty() ? "" : "Connection: " + connection + "\r\n";
            HttpRequest r = parseOne("GET / HTTP/1." + minor + "\r\nHost: a\r\n" + field + "\r\n");
            assertEquals(expected, r.keepAlive());
        }
    }

    static Stream<Arguments> keepAliveCases() {
        return Stream.of(
                Arguments.of(1, "", true),
                Arguments.of(1, "close", false),
                Arguments.of(1, "Keep-Alive, CLOSE", false),
                Arguments.of(1, "Upgrade", true),
                Arguments.of(0, "", false),
                Arguments.of(0, "keep-alive", true),
                Arguments.of(0, "Keep-Alive", true),
                Arguments.of(0, "keep-alive, close", false));
    }

    @Nested
    class Streaming {
        @Test
        void pipelinedRequestsAreReturnedOneByOneLeavingTrailingBytes() throws HttpParseException {
            byte[] frame = {(byte) 0x81, 0x02, 'h', 'i'};
            ByteBuffer in = ByteBuffer.allocate(1024);
            String requests = get("/one") + POST + get("/three", "Upgrade: websocket\r\n");
            in.put(requests.getBytes(ISO_8859_1)).put(frame).flip();
            HttpRequestParser parser = new HttpRequestParser(MAX_HEADER, MAX_BODY);

            assertEquals("/one", parser.parse(in).path());
            assertEquals(12, parser.parse(in).body().length);
            assertEquals("/three", parser.parse(in).path());
            assertFalse(parser.inProgress());
            assertEquals(frame.length, in.remaining());
            assertEquals((byte) 0x81, in.get(in.position()));
        }

        @Test
        void everySplitOfARequestWithBodyGivesTheSameRequest() throws HttpParseException {
            HttpRequest whole = parseOne(POST);
            byte[] raw = POST.getBytes(ISO_8859_1);
            HttpRequestParser parser = new HttpRequestParser(MAX_HEADER, MAX_BODY); // reused: must reset fully
            for (int split = 1; split < raw.length; split++) {
                ByteBuffer first = ByteBuffer.wrap(raw, 0, split);
                assertNull(parser.parse(first), "incomplete at " + split);
                assertFalse(first.hasRemaining(), "everything consumed at " + split);
                assertTrue(parser.inProgress());
                assertEquals(whole, parser.parse(ByteBuffer.wrap(raw, split, raw.length - split)), "split " + split);
                assertFalse(parser.inProgress());
            }
        }

        @Test
        void oneByteAtATimeGivesTheSameRequest() throws HttpParseException {
            byte[] raw = ("\r\n" + POST).getBytes(ISO_8859_1);
            HttpRequestParser parser = new HttpRequestParser(MAX_HEADER, MAX_BODY);
            for (int i = 0; i < raw.length - 1; i++) {
                assertNull(parser.parse(ByteBuffer.wrap(raw, i, 1)), "byte " + i);
            }
            assertEquals(parseOne(POST), parser.parse(ByteBuffer.wrap(raw, raw.length - 1, 1)));
        }

        @Test
        void notInProgressUntilTheFirstByte() throws HttpParseException {
            HttpRequestParser parser = new HttpRequestParser(MAX_HEADER, MAX_BODY);
            assertNull(parser.parse(ByteBuffer.allocate(0)));
            assertFalse(parser.inProgress());
            assertNull(parser.parse(bytes("G")));
            assertTrue(parser.inProgress());
        }
    }

    @Nested
    class Limits {
        /** A request whose request line + header section is exactly {@code size} bytes. */
        private String headOfSize(int size) {
            String start = "GET / HTTP/1.1\r\nHost: a\r\nX-Pad: ";
            return start + "p".repeat(size - start.length() - 4) + "\r\n\r\n";
        }

        @Test
        void headerSectionExactlyAtTheLimitIsAccepted() throws HttpParseException {
            String raw = headOfSize(200);
            assertEquals(200, raw.length());
            assertNotNull(new HttpRequestParser(200, 0).parse(bytes(raw)));
        }

        @Test
        void headerSectionOneByteOverTheLimitIs431() {
            HttpParseException e = assertThrows(HttpParseException.class,
                    () -> new HttpRequestParser(200, 0).parse(bytes(headOfSize(201))));
            assertEquals(431, e.status());
        }

        @Test
        void overLimitIsDecidedAtTheFirstByteOverNotAtLineEnd() throws HttpParseException {
            HttpRequestParser parser = new HttpRequestParser(64, 0);
            String start = "GET / HTTP/1.1\r\nX: ";
            assertNull(parser.parse(bytes(start + "v".repeat(64 - start.length()))));
            HttpParseException e = assertThrows(HttpParseException.class, () -> parser.parse(bytes("v")));
            assertEquals(431, e.status());
        }

        @Test
        void requestLineAloneOverTheLimitIs414() {
            assertRejected(414, get("/" + "a".repeat(MAX_HEADER)));
        }

        @Test
        void hundredFieldsAreAcceptedAndOneMoreIs431() throws HttpParseException {
            StringBuilder fields = new StringBuilder();
            for (int i = 1; i < HttpRequestParser.MAX_FIELDS; i++) { // plus Host makes 100
                fields.append("X-").append(i).append(": v\r\n");
            }
            assertEquals(100, parseOne(get("/", fields.toString())).headers().size());
            assertRejected(431, get("/", fields.toString(), "X-Extra: v\r\n"));
        }

        @Test
        void contentLengthOverTheLimitIs413BeforeAnyBodyArrives() {
            assertRejected(413, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: " + (MAX_BODY + 1) + "\r\n\r\n");
            assertRejected(413, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n");
        }
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("malformed")
    void malformedRequestIsRejectedWithItsStatus(String what, int status, String raw) {
        assertRejected(status, raw);
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("bad character in method", 400, "G(T / HTTP/1.1\r\nHost: a\r\n\r\n"),
                Arguments.of("empty method", 400, " / HTTP/1.1\r\nHost: a\r\n\r\n"),
                Arguments.of("double space after method", 400, "GET  / HTTP/1.1\r\nHost: a\r\n\r\n"),
                Arguments.of("double space after target", 400, "GET /  HTTP/1.1\r\nHost: a\r\n\r\n"),
                Arguments.of("no version (HTTP/0.9 style)", 400, "GET /\r\n\r\n"),
                Arguments.of("lowercase http/1.1", 400, "GET / http/1.1\r\nHost: a\r\n\r\n"),
                Arguments.of("two-digit minor version", 400, "GET / HTTP/1.10\r\nHost: a\r\n\r\n"),
                Arguments.of("HTTP/2.0", 505, "GET / HTTP/2.0\r\nHost: a\r\n\r\n"),
                Arguments.of("HTTP/1.2", 505, "GET / HTTP/1.2\r\nHost: a\r\n\r\n"),
                // No LF follows these bare CRs: the parser must refuse them without waiting for a line end.
                Arguments.of("bare CR in request line", 400, "GET / HTTP/1.1\rHost: a"),
                Arguments.of("bare CR in field value", 400, "GET / HTTP/1.1\r\nHost: a\rb"),
                Arguments.of("CR CR LF", 400, "GET / HTTP/1.1\r\r\nHost: a\r\n\r\n"),
                Arguments.of("control char in target", 400, "GET /a\tb HTTP/1.1\r\nHost: a\r\n\r\n"),
                Arguments.of("DEL in target", 400, "GET /a\u007f HTTP/1.1\r\nHost: a\r\n\r\n"),
                Arguments.of("non-ASCII byte in target", 400, "GET /caf\u00e9 HTTP/1.1\r\nHost: a\r\n\r\n"),
                Arguments.of("relative target", 400, get("index.html")),
                Arguments.of("asterisk for GET", 400, get("*")),
                Arguments.of("authority-form", 400, "CONNECT pi.local:443 HTTP/1.1\r\nHost: a\r\n\r\n"),
                Arguments.of("absolute-form without host", 400, get("http:///x")),
                Arguments.of("absolute-form with userinfo", 400, get("http://user@pi.local/")),
                Arguments.of("bad percent escape", 400, get("/a%zz")),
                Arguments.of("truncated percent escape", 400, get("/a%2")),
                Arguments.of("%00 in path", 400, get("/a%00b")),
                Arguments.of("invalid UTF-8 in path", 400, get("/%C3%28")),
                Arguments.of("overlong UTF-8 in path", 400, get("/%C0%AF")),
                Arguments.of("obs-fold", 400, get("/", "X: a\r\n", " b\r\n")),
                Arguments.of("whitespace before first field", 400, "GET / HTTP/1.1\r\n Host: a\r\n\r\n"),
                Arguments.of("space before colon", 400, get("/", "X-Name : v\r\n")),
                Arguments.of("empty field name", 400, get("/", ": v\r\n")),
                Arguments.of("field line without colon", 400, get("/", "X-Name v\r\n")),
                Arguments.of("bad character in field name", 400, get("/", "X(Name): v\r\n")),
                Arguments.of("control char in field value", 400, get("/", "X: a\u0001b\r\n")),
                Arguments.of("missing Host in HTTP/1.1", 400, "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n"),
                Arguments.of("duplicate Host", 400, get("/", "host: b\r\n")),
                Arguments.of("duplicate Host in HTTP/1.0", 400, "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n"),
                Arguments.of("Transfer-Encoding with Content-Length", 400,
                        get("/", "Transfer-Encoding: chunked\r\n", "Content-Length: 3\r\n")),
                Arguments.of("Transfer-Encoding in HTTP/1.0", 400,
                        "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"),
                Arguments.of("Transfer-Encoding", 501, get("/", "Transfer-Encoding: chunked\r\n")),
                Arguments.of("conflicting Content-Length fields", 400,
                        get("/", "Content-Length: 3\r\n", "Content-Length: 4\r\n")),
                Arguments.of("conflicting Content-Length list", 400, get("/", "Content-Length: 3, 4\r\n")),
                Arguments.of("non-numeric Content-Length", 400, get("/", "Content-Length: abc\r\n")),
                Arguments.of("negative Content-Length", 400, get("/", "Content-Length: -1\r\n")),
                Arguments.of("signed Content-Length", 400, get("/", "Content-Length: +3\r\n")),
                Arguments.of("empty Content-Length", 400, get("/", "Content-Length:\r\n")),
                Arguments.of("empty Content-Length list member", 400, get("/", "Content-Length: 3,\r\n")));
    }
}

package io.sensorcast.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sensorcast.testing.Splits;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Hostile bytes on a connection: the parser either yields requests, asks for more, or refuses with its own
 * {@link HttpParseException} and one of its statuses; whatever comes out is within the limits, and the result does
 * not depend on how the bytes were cut into reads. Inputs in HttpRequestParserFuzzTestInputs/ replay in every test
 * run; fuzz/run searches for new ones.
 */
class HttpRequestParserFuzzTest {
    // Small limits, so that short fuzz inputs reach them.
    private static final int MAX_HEADER = 512;
    private static final int MAX_BODY = 64;
    private static final Set<Integer> STATUSES = Set.of(400, 413, 414, 431, 501, 505);

    /** What a parser made of a whole stream: the requests, then an error or the state it waits in. */
    private record Outcome(List<HttpRequest> requests, Integer status, String reason, boolean inProgress) {}

    @FuzzTest
    void anySplitGivesTheSameRequestsWithinTheLimits(byte[] data) {
        List<int[]> ways = Splits.of(data);
        Outcome whole = parse(data, ways.get(0), true);
        for (int[] sizes : ways.subList(1, ways.size())) {
            assertEquals(whole, parse(data, sizes, false), () -> "reads of " + Arrays.toString(sizes));
        }
    }

    private static Outcome parse(byte[] data, int[] sizes, boolean checkLimits) {
        HttpRequestParser parser = new HttpRequestParser(MAX_HEADER, MAX_BODY);
        List<HttpRequest> requests = new ArrayList<>();
        int offset = 0;
        try {
            for (int size : sizes) {
                ByteBuffer in = ByteBuffer.wrap(data, offset, size);
                int start = in.position();
                while (in.hasRemaining()) {
                    HttpRequest r = parser.parse(in);
                    if (r == null) {
                        assertFalse(in.hasRemaining(), "null means every byte was taken");
                        break;
                    }
                    if (checkLimits) {
                        // One read holds everything, so what this request consumed is its head plus its body.
                        checkRequest(r, in.position() - start);
                    }
                    requests.add(r);
                    start = in.position();
                }
                offset += size;
            }
        } catch (HttpParseException e) {
            assertTrue(STATUSES.contains(e.status()), () -> "status " + e.status() + " for " + e.reason());
            assertFalse(e.reason() == null || e.reason().isEmpty(), "a reason is given");
            return new Outcome(requests, e.status(), e.reason(), true);
        }
        return new Outcome(requests, null, null, parser.inProgress());
    }

    private static void checkRequest(HttpRequest r, int consumed) {
        assertTrue(r.body().length <= MAX_BODY, "body within its limit");
        assertTrue(consumed - r.body().length <= MAX_HEADER, () -> "head of " + (consumed - r.body().length) + " bytes");
        assertTrue(r.headers().size() <= HttpRequestParser.MAX_FIELDS, "field count within its limit");
        assertTrue(r.minorVersion() == 0 || r.minorVersion() == 1, "HTTP/1.0 or 1.1");
        assertFalse(r.method().isEmpty(), "a method");
        assertTrue(r.path().equals("*") ? r.method().equals("OPTIONS") : r.path().startsWith("/"), r.path());
        assertEquals(-1, r.path().indexOf('\0'), "no NUL in a path");
        String length = r.headers().get("Content-Length");
        if (length == null) {
            assertEquals(0, r.body().length, "no Content-Length, no body");
        }
        if (r.minorVersion() == 1) {
            assertEquals(1, r.headers().getAll("Host").size(), "HTTP/1.1 has exactly one Host");
        }
    }
}

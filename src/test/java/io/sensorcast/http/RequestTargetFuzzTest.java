package io.sensorcast.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Request-targets as the request line hands them over (printable ASCII): a decoded path starts with "/" (or is the
 * OPTIONS "*"), holds no NUL, no "." or ".." segment and only whole characters, so it can never name something above
 * the root; and the static files answer only for names they packaged.
 * Inputs in RequestTargetFuzzTestInputs/ replay in every test run; fuzz/run searches for new ones.
 */
class RequestTargetFuzzTest {
    private static final StaticFiles FILES = new StaticFiles("web");

    @FuzzTest
    void aDecodedPathNeverLeavesTheRoot(byte[] data) {
        if (data.length == 0) {
            return;
        }
        for (byte b : data) {
            if (b <= 0x20 || b == 0x7F) {
                return; // the request line refuses these before a target is parsed
            }
        }
        String target = new String(data, StandardCharsets.ISO_8859_1);
        for (String method : List.of("GET", "OPTIONS")) {
            RequestTarget t;
            try {
                t = RequestTarget.parse(method, target);
            } catch (HttpParseException e) {
                assertEquals(400, e.status(), e.reason());
                continue;
            }
            String path = t.path();
            if (path.equals("*")) {
                assertEquals("OPTIONS", method);
                continue;
            }
            assertTrue(path.startsWith("/"), path);
            assertEquals(-1, path.indexOf('\0'), "no NUL");
            assertFalse(Arrays.asList(path.split("/", -1)).contains(".."), () -> "a '..' segment in " + path);
            assertFalse(Arrays.asList(path.split("/", -1)).contains("."), () -> "a '.' segment in " + path);
            assertEquals(path, new String(path.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8),
                    "whole characters only");
            int mark = target.indexOf('?');
            assertEquals(mark < 0 ? null : target.substring(mark + 1), t.query(), "the query as received");

            HttpRequest request = new HttpRequest(method, target, path, t.query(), 1, new HttpHeaders(List.of()),
                    new byte[0]);
            HttpResponse served = FILES.serve(request);
            if (served != null) {
                String name = path.equals("/") ? "index.html" : path.substring(1);
                assertTrue(FILES.names().contains(name), () -> "served " + name);
            }
        }
    }
}

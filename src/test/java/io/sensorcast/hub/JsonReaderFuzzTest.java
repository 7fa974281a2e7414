package io.sensorcast.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hostile monitor commands, read as the monitor endpoint reads them (UTF-8 text): the reader returns a value or
 * throws its own IllegalArgumentException that says where; nesting stays within 16 levels, a value never has more
 * parts than the text has characters, and what it reads survives being written and read again.
 * Inputs in JsonReaderFuzzTestInputs/ replay in every test run; fuzz/run searches for new ones.
 */
class JsonReaderFuzzTest {
    private static final Pattern ERROR = Pattern.compile("invalid JSON at character (\\d+): .+", Pattern.DOTALL);

    @FuzzTest
    void readsAValueOrSaysWhereItIsWrong(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        Object value;
        try {
            value = JsonReader.parse(text);
        } catch (IllegalArgumentException e) {
            Matcher m = ERROR.matcher(e.getMessage());
            assertTrue(m.matches(), e.getMessage());
            int at = Integer.parseInt(m.group(1));
            assertTrue(at >= 1 && at <= text.length() + 1, () -> "position " + at + " in " + text.length() + " chars");
            return;
        }
        assertTrue(parts(value, 0) <= Math.max(1, text.length()), "no more parts than characters");
        String written = write(value);
        assertEquals(written, write(JsonReader.parse(written)), "written JSON reads back the same");
    }

    /** Counts values, checking their types and depth on the way. */
    private static int parts(Object v, int depth) {
        if (v instanceof Map<?, ?> m) {
            assertTrue(depth < 16, "nested at most 16 deep");
            int n = 1;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                assertTrue(e.getKey() instanceof String, "member names are strings");
                n += parts(e.getValue(), depth + 1);
            }
            return n;
        }
        if (v instanceof List<?> l) {
            assertTrue(depth < 16, "nested at most 16 deep");
            int n = 1;
            for (Object o : l) {
                n += parts(o, depth + 1);
            }
            return n;
        }
        if (v == null || v instanceof String || v instanceof Double || v instanceof Boolean) {
            return 1;
        }
        return fail("unexpected type " + v.getClass());
    }

    private static String write(Object value) {
        JsonWriter w = new JsonWriter();
        write(w, value);
        return w.toString();
    }

    private static void write(JsonWriter w, Object v) {
        if (v instanceof Map<?, ?> m) {
            w.beginObject();
            m.forEach((k, x) -> {
                w.name((String) k);
                write(w, x);
            });
            w.endObject();
        } else if (v instanceof List<?> l) {
            w.beginArray();
            l.forEach(x -> write(w, x));
            w.endArray();
        } else if (v instanceof String s) {
            w.value(s);
        } else if (v instanceof Double d) {
            w.value(d.doubleValue());
        } else if (v instanceof Boolean b) {
            w.value(b.booleanValue());
        } else {
            w.nullValue();
        }
    }
}

package io.sensorcast.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonReaderTest {

    @Test
    void readsASubscribeCommand() {
        Object v = JsonReader.parse(" {\"type\":\"subscribe\",\"channels\":[\"cpu.temperature\",\"load.1m\"]} ");
        assertEquals(Map.of("type", "subscribe", "channels", List.of("cpu.temperature", "load.1m")), v);
    }

    @Test
    void readsEveryKindOfValue() {
        Object v = JsonReader.parse("[1, -2.5e3, 0, true, false, null, \"a\\u00e9\\n\\\"\", {}, []]");
        assertEquals(Arrays.asList(1.0, -2500.0, 0.0, true, false, null, "a\u00e9\n\"", Map.of(), List.of()), v);
        assertNull(JsonReader.parse("null"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "{\"a\" 1}", "{\"a\":1,}", "[1,]", "01", "1.", "-", "tru", "\"x", "'x'",
            "{\"a\":1}{", "{a:1}", "\"\\x\"", "\"tab\there\"", "{\"a\":1,\"a\":2}", "\"\\u12\""})
    void rejectsMalformedInputWithThePosition(String json) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonReader.parse(json));
        assertEquals(true, e.getMessage().startsWith("invalid JSON at character "), e.getMessage());
    }

    @Test
    void nestingIsBounded() {
        String deep = "[".repeat(17) + "]".repeat(17);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonReader.parse(deep));
        assertEquals("invalid JSON at character 17: nested deeper than 16", e.getMessage());
        assertEquals(List.of(), flatten(JsonReader.parse("[".repeat(16) + "]".repeat(16))));
    }

    private static Object flatten(Object o) {
        while (o instanceof List<?> l && l.size() == 1) {
            o = l.get(0);
        }
        return o;
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"\\u+7FF\"", "\"\\u-001\"", "\"\\u 123\"", "\"\\u12g4\"", "\"\\u\uff11234\""})
    void aUnicodeEscapeIsExactlyFourHexDigits(String json) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonReader.parse(json));
        assertTrue(e.getMessage().endsWith("bad \\u escape"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"\\udddD\"", "\"\\ud800\"", "\"a\\ud83d b\"", "\"\\ude00\\ud83d\"", "\"\\ud83d\\ud83d\\ude00\""})
    void anUnpairedSurrogateEscapeIsRefused(String json) {
        // Found by JsonReaderFuzzTest (its input crash-0c654b03...): such a string cannot be written back as UTF-8.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonReader.parse(json));
        assertTrue(e.getMessage().endsWith("unpaired surrogate in a string"), e.getMessage());
    }

    @Test
    void aSurrogatePairEscapeIsOneCharacter() {
        assertEquals("a\ud83d\ude00", JsonReader.parse("\"a\\ud83d\\uDE00\""));
    }
}

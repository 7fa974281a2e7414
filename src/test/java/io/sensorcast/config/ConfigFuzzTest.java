package io.sensorcast.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whatever text is in a config file: loading gives a config or a list of {@link ConfigError}s, never an exception,
 * and every error names the file and a line of it (line 0 only for mistakes that belong to no one line).
 * Inputs in ConfigFuzzTestInputs/ replay in every test run; fuzz/run searches for new ones.
 */
class ConfigFuzzTest {
    private static final String MAIN = "sensorcast.conf";
    private static final String PART = "conf.d/10-fuzz.conf";

    @FuzzTest
    void anyTextGivesAConfigOrErrorsWithFileAndLine(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        // The second half also goes in as a conf.d part, so that overriding across files is reached too.
        int half = text.length() / 2;
        Map<String, String> files = new LinkedHashMap<>();
        files.put(MAIN, text.substring(0, half));
        files.put(PART, text.substring(half));

        List<ConfigError> syntax = new ArrayList<>();
        for (ConfigEntry e : ConfigSyntax.parse(MAIN, text, syntax)) {
            assertTrue(e.line() >= 1 && e.line() <= lines(text), () -> "entry on line " + e.line());
            assertFalse(e.key().isEmpty(), "an entry has a key");
        }
        for (ConfigError e : syntax) {
            assertEquals(MAIN, e.file());
            assertTrue(e.line() >= 1 && e.line() <= lines(text), () -> "syntax error on line " + e.line());
        }

        ConfigLoader.Result result = ConfigLoader.fromTexts(files);
        assertEquals(result.ok(), result.config() != null, "a config exactly when there is no error");
        for (ConfigError e : result.errors()) {
            assertTrue(files.containsKey(e.file()), () -> "error in file " + e.file());
            int max = lines(files.get(e.file()));
            assertTrue(e.line() >= 0 && e.line() <= max, () -> e + " (file has " + max + " lines)");
            assertTrue(e.line() > 0 || e.key().isEmpty(), () -> "an error about a key has a line: " + e);
            assertFalse(e.message().isBlank(), "an error says what is wrong");
            assertTrue(e.toString().startsWith(e.file() + (e.line() > 0 ? ":" + e.line() + ": " : ": ")), e::toString);
        }
    }

    private static int lines(String text) {
        return text.split("\r?\n", -1).length;
    }
}

package io.sensorcast.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code http.token}: off by default, at least 16 characters, cookie-safe, with file and line when wrong. */
class AccessTokenConfigTest {

    private static ConfigLoader.Result one(String text) {
        return ConfigLoader.fromTexts(Map.of("sensorcast.conf", text));
    }

    private static List<String> messages(ConfigLoader.Result r) {
        return r.errors().stream().map(ConfigError::toString).toList();
    }

    @Test
    void offByDefault() {
        ConfigLoader.Result r = one("# nothing\n");
        assertTrue(r.ok(), messages(r).toString());
        assertEquals("", r.config().settings().accessToken);
        assertEquals("", Settings.defaults().accessToken);
    }

    @Test
    void aLongEnoughTokenIsTaken() {
        ConfigLoader.Result r = one("http.token = 3f9c1e0a7b2d4c6e8f1a3b5c7d9e0f12\n");
        assertTrue(r.ok(), messages(r).toString());
        assertEquals("3f9c1e0a7b2d4c6e8f1a3b5c7d9e0f12", r.config().settings().accessToken);
    }

    @Test
    void aShortTokenIsRefusedWithFileLineAndAHint() {
        ConfigLoader.Result r = one("\nhttp.token = tooshort\n");
        assertFalse(r.ok());
        assertEquals(List.of("sensorcast.conf:2: http.token: the token must be 16 to 256 characters long, this one has 8;"
                + " e.g. the output of: openssl rand -hex 16"), messages(r));
    }

    @Test
    void charactersACookieCannotCarryAreRefused() {
        for (String bad : List.of("\"abc;defghijklmnopq\"", "\"abc defghijklmnopq\"", "abcdefghijklmnop\\q", "abcdefghijklmnöpq")) {
            ConfigLoader.Result r = one("http.token = " + bad + "\n");
            assertFalse(r.ok(), bad);
            assertTrue(messages(r).get(0).contains("no spaces"), messages(r).toString());
        }
    }
}

package io.sensorcast.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class HandshakeKeysTest {
    private static final String RFC_KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    @Test
    void acceptMatchesRfcExample() {
        // RFC 6455 1.3 / 4.2.2: SHA-1 is b3 7a 4f 2c c0 62 4f 16 90 f6 46 06 cf 38 59 45 b2 be c4 ea.
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", HandshakeKeys.accept(RFC_KEY));
    }

    @Test
    void rfcExampleKeyIsValid() {
        assertTrue(HandshakeKeys.isValidKey(RFC_KEY));
        assertTrue(HandshakeKeys.isValidKey("AAAAAAAAAAAAAAAAAAAAAA=="));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @NullAndEmptySource
    @ValueSource(strings = {
        "dGhlIHNhbXBsZSBub25jZQ",        // unpadded
        "dGhlIHNhbXBsZSBub25jZQ= ",      // wrong padding
        "dGhlIHNhbXBsZSBub25j",          // 15 bytes... too short
        "dGhlIHNhbXBsZSBub25jZXM=",      // 17 bytes
        "dGhlIHNhbXBsZSBub25jZ!==",      // not base64
        " dGhlIHNhbXBsZSBub25jZQ==",     // untrimmed
    })
    void malformedKeysAreInvalid(String key) {
        assertFalse(HandshakeKeys.isValidKey(key));
    }
}

package io.sensorcast.ws;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** The opening-handshake key exchange, RFC 6455 section 4.2.2. */
public final class HandshakeKeys {
    /** Fixed GUID from RFC 6455 section 1.3; proves the server understood the WebSocket request. */
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int KEY_BYTES = 16;
    private static final int KEY_CHARS = 24;  // base64 of 16 bytes: 22 data characters + "=="

    private HandshakeKeys() {
    }

    /**
     * RFC 6455 4.2.2 step 5.4: Sec-WebSocket-Accept = base64(SHA-1(key + GUID)).
     * The key is used exactly as given; trimming header whitespace is the HTTP layer's job.
     */
    public static String accept(String secWebSocketKey) {
        // ISO-8859-1 maps each char back to the header byte it came from; a valid key is pure ASCII anyway.
        byte[] input = (secWebSocketKey + GUID).getBytes(StandardCharsets.ISO_8859_1);
        return Base64.getEncoder().encodeToString(sha1().digest(input));
    }

    /** RFC 6455 4.1 / 11.3.1: a valid Sec-WebSocket-Key is base64 of exactly 16 bytes. */
    public static boolean isValidKey(String key) {
        if (key == null || key.length() != KEY_CHARS || !key.endsWith("==")) {
            return false;  // the JDK decoder would also accept unpadded input; the RFC form is always padded
        }
        try {
            return Base64.getDecoder().decode(key).length == KEY_BYTES;
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-1", e);
        }
    }
}

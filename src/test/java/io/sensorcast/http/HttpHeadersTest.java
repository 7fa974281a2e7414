package io.sensorcast.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpHeadersTest {
    private static HttpHeaders headers(String... fieldLines) throws HttpParseException {
        String raw = "GET / HTTP/1.1\r\nHost: a\r\n" + String.join("", fieldLines) + "\r\n";
        return new HttpRequestParser(8192, 0).parse(ByteBuffer.wrap(raw.getBytes(ISO_8859_1))).headers();
    }

    @Test
    void hasTokenFindsEachMemberOfACommaListCaseInsensitively() throws HttpParseException {
        HttpHeaders h = headers("Connection: keep-alive, Upgrade\r\n");
        assertTrue(h.hasToken("connection", "upgrade"));
        assertTrue(h.hasToken("Connection", "Keep-Alive"));
        assertFalse(h.hasToken("Connection", "close"));
        assertFalse(h.hasToken("Connection", "Upgr"), "no prefix matches");
        assertFalse(h.hasToken("Connection", "keep-alive, Upgrade"), "the whole value is not a token");
        assertFalse(h.hasToken("Upgrade", "Upgrade"), "absent field has no tokens");
    }

    @Test
    void hasTokenLooksAcrossRepeatedFieldsAndSkipsEmptyMembers() throws HttpParseException {
        HttpHeaders h = headers("Connection: ,keep-alive\r\n", "Connection:\tUpgrade\t,\r\n");
        assertTrue(h.hasToken("Connection", "upgrade"));
        assertTrue(h.hasToken("Connection", "keep-alive"));
        assertFalse(h.hasToken("Connection", ""), "empty members are not tokens");
    }

    @Test
    void getReturnsFirstValueAndGetAllEveryValueInArrivalOrder() throws HttpParseException {
        HttpHeaders h = headers("Accept: text/html\r\n", "X: 1\r\n", "accept: */*\r\n");
        assertEquals("text/html", h.get("ACCEPT"));
        assertEquals(List.of("text/html", "*/*"), h.getAll("Accept"));
        assertEquals(4, h.size());
        assertNull(h.get("Missing"));
        assertEquals(List.of(), h.getAll("Missing"));
    }

    @Test
    void getAllCannotBeUsedToModifyTheHeaders() throws HttpParseException {
        HttpHeaders h = headers("X: 1\r\n");
        assertThrows(UnsupportedOperationException.class, () -> h.getAll("X").add("2"));
        assertEquals(List.of("1"), h.getAll("X"));
    }

    @Test
    void hasTokenDoesNotSplitFieldsOtherThanTheNamedOne() {
        HttpHeaders h = new HttpHeaders(List.of("Upgrade", "websocket", "Connection", "close"));
        assertTrue(h.hasToken("Upgrade", "WebSocket"));
        assertFalse(h.hasToken("Connection", "websocket"));
    }
}

package io.sensorcast.mqtt;

import static io.sensorcast.testing.Bytes.concat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The packets a client sends, against the bytes of the OASIS MQTT 3.1.1 specification. */
class PacketEncoderTest {

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Table 2.4: the edges of each length of the remaining length. */
    @ParameterizedTest
    @CsvSource({
        "0, 00", "127, 7F", "128, 80 01", "16383, FF 7F", "16384, 80 80 01", "2097151, FF FF 7F",
        "2097152, 80 80 80 01", "268435455, FF FF FF 7F", "321, C1 02"})
    void remainingLengthIsTheSpecsVariableLength(int length, String bytes) {
        assertArrayEquals(hex(bytes), PacketEncoder.remainingLength(length));
    }

    @Test
    void aRemainingLengthPastFourBytesIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> PacketEncoder.remainingLength(268_435_456));
    }

    /** 3.1.2: protocol name, level 4, flags, keep alive; then the client id (3.1.3). */
    @Test
    void connectWithCleanSessionOnlyIsTheSpecsVariableHeader() {
        byte[] p = PacketEncoder.connect("ab", true, 10, null, null, null);
        assertEquals("10 0e 00 04 4d 51 54 54 04 02 00 0a 00 02 61 62",
                HexFormat.ofDelimiter(" ").formatHex(p));
    }

    /** 3.1.2.3 flags: user name 0x80, password 0x40, will retain 0x20, will QoS 1 0x08, will 0x04, clean 0x02. */
    @Test
    void connectCarriesWillUserAndPasswordInTheSpecsOrder() {
        PacketEncoder.Will will = new PacketEncoder.Will("s/status", ascii("offline"), 1, true);
        byte[] p = PacketEncoder.connect("c", true, 60, will, "u", ascii("pw"));
        byte[] body = concat(hex("00 04"), ascii("MQTT"), hex("04 EE 00 3C"),
                hex("00 01"), ascii("c"),
                hex("00 08"), ascii("s/status"), hex("00 07"), ascii("offline"),
                hex("00 01"), ascii("u"),
                hex("00 02"), ascii("pw"));
        assertArrayEquals(concat(hex("10"), PacketEncoder.remainingLength(body.length), body), p);
    }

    @Test
    void willQosZeroWithoutRetainSetsOnlyTheWillFlag() {
        PacketEncoder.Will will = new PacketEncoder.Will("t", ascii("x"), 0, false);
        byte[] p = PacketEncoder.connect("c", false, 0, will, null, null);
        assertEquals(0x04, p[9]);
    }

    @Test
    void aPasswordWithoutAUserNameIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> PacketEncoder.connect("c", true, 10, null, null, ascii("pw")));
    }

    /** 3.3: fixed header 0011 DUP QoS RETAIN, topic, packet id at QoS > 0, payload. */
    @Test
    void publishAtQosZeroHasNoPacketId() {
        assertEquals("31 08 00 03 61 2f 62 32 31 2e", HexFormat.ofDelimiter(" ").formatHex(
                PacketEncoder.publish("a/b", ascii("21."), 0, true, false, 0)));
    }

    @Test
    void publishAtQosOneCarriesItsPacketId() {
        assertEquals("32 07 00 01 74 12 34 6f 6e", HexFormat.ofDelimiter(" ").formatHex(
                PacketEncoder.publish("t", ascii("on"), 1, false, false, 0x1234)));
        assertEquals("3b 07 00 01 74 00 01 6f 6e", HexFormat.ofDelimiter(" ").formatHex(
                PacketEncoder.publish("t", ascii("on"), 1, true, true, 1)));
    }

    @Test
    void publishRefusesWhatTheSpecForbids() {
        assertThrows(IllegalArgumentException.class, () -> PacketEncoder.publish("a/+", new byte[0], 0, false, false, 0));
        assertThrows(IllegalArgumentException.class, () -> PacketEncoder.publish("a/#", new byte[0], 0, false, false, 0));
        assertThrows(IllegalArgumentException.class, () -> PacketEncoder.publish("", new byte[0], 0, false, false, 0));
        assertThrows(IllegalArgumentException.class, () -> PacketEncoder.publish("t", new byte[0], 1, false, false, 0));
        assertThrows(IllegalArgumentException.class, () -> PacketEncoder.publish("t", new byte[0], 0, false, true, 0));
        assertThrows(IllegalArgumentException.class, () -> PacketEncoder.publish("a\0b", new byte[0], 0, false, false, 0));
    }

    /** A payload of 200 bytes makes a two-byte remaining length. */
    @Test
    void aLongPublishHasATwoByteRemainingLength() {
        byte[] p = PacketEncoder.publish("t", new byte[200], 0, false, false, 0);
        assertEquals(2 + 1 + 200 + 1 + 2, p.length);
        assertEquals(0xCB, p[1] & 0xFF); // 203 = 0x4B | continuation
        assertEquals(0x01, p[2]);
    }

    @Test
    void pubackIsFourBytes() {
        assertArrayEquals(hex("40 02 ab cd"), PacketEncoder.puback(0xABCD));
    }

    /** 3.8: fixed header 1000 0010, packet id, then each filter with its requested QoS. */
    @Test
    void subscribeHasTheReservedFlagsAndOneQosPerFilter() {
        byte[] p = PacketEncoder.subscribe(10, new String[] {"a/+", "b"}, new int[] {1, 0});
        assertEquals("82 0c 00 0a 00 03 61 2f 2b 01 00 01 62 00", HexFormat.ofDelimiter(" ").formatHex(p));
    }

    @Test
    void pingreqAndDisconnectAreTwoBytes() {
        assertArrayEquals(hex("C0 00"), PacketEncoder.pingreq());
        assertArrayEquals(hex("E0 00"), PacketEncoder.disconnect());
    }

}

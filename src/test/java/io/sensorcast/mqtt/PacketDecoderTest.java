package io.sensorcast.mqtt;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.testing.Splits;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a broker sends, byte by byte as in MQTT 3.1.1 section 3; malformed input is named. */
class PacketDecoderTest {

    private static final int MAX = 1024;

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    /** Decodes {@code bytes} whole and cut every way of {@link Splits}: the packets must not depend on the cuts. */
    private static List<MqttPacket> decode(byte[] bytes) throws MqttProtocolException {
        List<MqttPacket> first = null;
        for (int[] sizes : Splits.of(bytes)) {
            PacketDecoder d = new PacketDecoder(MAX);
            List<MqttPacket> out = new ArrayList<>();
            int at = 0;
            for (int size : sizes) {
                d.decode(ByteBuffer.wrap(bytes, at, size), out::add);
                at += size;
            }
            assertTrue(d.isIdle(), "no partial packet left");
            if (first == null) {
                first = out;
            } else {
                assertEquals(first, out);
            }
        }
        return first;
    }

    private static String error(String bytes) {
        PacketDecoder d = new PacketDecoder(MAX);
        MqttProtocolException e = assertThrows(MqttProtocolException.class,
                () -> d.decode(ByteBuffer.wrap(hex(bytes)), p -> { }));
        // The decoder is finished: later input gives the same error.
        MqttProtocolException again = assertThrows(MqttProtocolException.class,
                () -> d.decode(ByteBuffer.wrap(hex("d0 00")), p -> { }));
        assertEquals(e.getMessage(), again.getMessage());
        return e.getMessage();
    }

    @Test
    void connackAcceptedAndRefused() throws Exception {
        assertEquals(List.of(new MqttPacket.ConnAck(false, 0), new MqttPacket.ConnAck(true, 0), new MqttPacket.ConnAck(false, 4)),
                decode(hex("20 02 00 00  20 02 01 00  20 02 00 04")));
        assertEquals("bad user name or password", new MqttPacket.ConnAck(false, 4).meaning());
        assertEquals("not authorised", new MqttPacket.ConnAck(false, 5).meaning());
    }

    @Test
    void publishAtQosZeroAndOne() throws Exception {
        List<MqttPacket> packets = decode(hex("31 08 00 03 61 2f 62 32 31 2e   3a 07 00 01 74 12 34 6f 6e"));
        assertEquals(List.of(
                new MqttPacket.Publish("a/b", "21.".getBytes(StandardCharsets.US_ASCII), 0, true, false, 0),
                new MqttPacket.Publish("t", "on".getBytes(StandardCharsets.US_ASCII), 1, false, true, 0x1234)), packets);
    }

    @Test
    void aPublishWithAnEmptyPayloadAndOneWithATwoByteLength() throws Exception {
        byte[] big = PacketEncoder.publish("x/y", new byte[300], 0, false, false, 0);
        List<MqttPacket> packets = decode(io.sensorcast.testing.Bytes.concat(hex("30 03 00 01 74"), big));
        assertEquals(new MqttPacket.Publish("t", new byte[0], 0, false, false, 0), packets.get(0));
        assertEquals(new MqttPacket.Publish("x/y", new byte[300], 0, false, false, 0), packets.get(1));
    }

    @Test
    void pubackSubackPingresp() throws Exception {
        assertEquals(List.of(new MqttPacket.PubAck(0x0102), new MqttPacket.SubAck(10, hex("01 80 00")),
                new MqttPacket.PingResp()), decode(hex("40 02 01 02  90 05 00 0a 01 80 00  d0 00")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "d0 80 80 80 80 01  | malformed PINGRESP: remaining length longer than 4 bytes (MQTT 3.1.1, 2.2.3)",
        "30 ff ff ff 7f     | malformed PUBLISH: remaining length 268435455 over the limit of 1024 bytes",
        "20 03 00 00 00     | malformed CONNACK: remaining length 3, must be 2",
        "21 02 00 00        | malformed CONNACK: reserved flags 1, must be 0 (MQTT 3.1.1, 2.2.2)",
        "20 02 02 00        | malformed CONNACK: acknowledge flags 0x2, bits 7-1 must be 0 (MQTT 3.1.1, 3.2.2.1)",
        "20 02 00 06        | malformed CONNACK: return code 6 is not one of 0 to 5 (MQTT 3.1.1, table 3.1)",
        "20 02 01 05        | malformed CONNACK: session present with a refusal (MQTT 3.1.1, 3.2.2-4)",
        "36 05 00 01 74 00 01 | malformed PUBLISH: QoS 3 (MQTT 3.1.1, 3.3.1-4)",
        "38 03 00 01 74     | malformed PUBLISH: DUP set at QoS 0 (MQTT 3.1.1, 3.3.1-2)",
        "30 04 00 05 74 74  | malformed PUBLISH: topic length 5 runs past the packet's 4 bytes",
        "30 04 00 02 c3 28  | malformed PUBLISH: topic name is not valid UTF-8 (MQTT 3.1.1, 1.5.3)",
        "30 04 00 02 61 00  | malformed PUBLISH: topic name contains U+0000 (MQTT 3.1.1, 1.5.3-2)",
        "30 04 00 02 61 23  | malformed PUBLISH: topic name 'a#' is empty or has a wildcard (MQTT 3.1.1, 4.7)",
        "32 05 00 01 74 00 00 | malformed PUBLISH: packet identifier 0 (MQTT 3.1.1, 2.3.1-1)",
        "30 02 00 00        | malformed PUBLISH: remaining length 2, at least 3 needed",
        "40 03 00 01 00     | malformed PUBACK: remaining length 3, must be 2",
        "90 03 00 01 03     | malformed SUBACK: return code 0x3 is not 0, 1, 2 or 0x80 (MQTT 3.1.1, 3.9.3)",
        "90 02 00 01        | malformed SUBACK: remaining length 2, at least 3 needed",
        "d0 01 00           | malformed PINGRESP: remaining length 1, must be 0",
        "10 00              | unexpected CONNECT packet from the broker (first byte 0x10)",
        "50 02 00 01        | unexpected PUBREC packet from the broker (first byte 0x50)",
        "00                 | unexpected reserved type 0 packet from the broker (first byte 0x0)"})
    void malformedInputNamesThePacketAndTheField(String bytes, String message) {
        assertEquals(message, error(bytes));
    }

    @Test
    void packetsBeforeAnErrorAreDelivered() {
        PacketDecoder d = new PacketDecoder(MAX);
        List<MqttPacket> out = new ArrayList<>();
        assertThrows(MqttProtocolException.class, () -> d.decode(ByteBuffer.wrap(hex("d0 00 e0 00")), out::add));
        assertEquals(List.of(new MqttPacket.PingResp()), out);
    }

    /** A length over the limit fails on the header: no body of that size is waited for, nor allocated. */
    @Test
    void anOversizedPacketFailsBeforeItsBody() {
        PacketDecoder d = new PacketDecoder(MAX);
        assertThrows(MqttProtocolException.class, () -> d.decode(ByteBuffer.wrap(hex("30 81 08")), p -> { }));
        PacketDecoder atLimit = new PacketDecoder(MAX);
        assertDoesNotThrow(() -> atLimit.decode(ByteBuffer.wrap(hex("30 80 08")), p -> { }), "1024 bytes fit");
        assertEquals(false, atLimit.isIdle());
    }

    @Test
    void aPartialPacketIsHeldUntilTheRestArrives() throws Exception {
        PacketDecoder d = new PacketDecoder(MAX);
        List<MqttPacket> out = new ArrayList<>();
        d.decode(ByteBuffer.wrap(hex("40 02 00")), out::add);
        assertTrue(out.isEmpty());
        assertEquals(false, d.isIdle());
        d.decode(ByteBuffer.wrap(hex("07")), out::add);
        assertEquals(List.of(new MqttPacket.PubAck(7)), out);
    }
}

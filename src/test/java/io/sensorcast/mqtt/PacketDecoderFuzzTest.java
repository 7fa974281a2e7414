package io.sensorcast.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sensorcast.testing.Splits;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A hostile broker: the decoder delivers packets or throws {@link MqttProtocolException} naming what
 * is wrong, never anything else; what it delivers respects MQTT 3.1.1 and the packet limit; and the
 * packets do not depend on how the bytes were cut into reads. Inputs in PacketDecoderFuzzTestInputs/
 * replay in every test run; fuzz/run searches for new ones.
 */
class PacketDecoderFuzzTest {
    private static final int MAX_PACKET = 300; // small, so that short inputs reach it

    @FuzzTest
    void anySplitGivesTheSamePacketsWithinTheLimits(byte[] data) {
        List<int[]> ways = Splits.of(data);
        List<String> whole = decode(data, ways.get(0));
        for (int[] sizes : ways.subList(1, ways.size())) {
            assertEquals(whole, decode(data, sizes), () -> "reads of " + Arrays.toString(sizes));
        }
    }

    /** The packets, then "error:<message>", "partial" or "idle". */
    private static List<String> decode(byte[] data, int[] sizes) {
        PacketDecoder decoder = new PacketDecoder(MAX_PACKET);
        List<String> events = new ArrayList<>();
        byte[] copy = data.clone();
        int offset = 0;
        MqttProtocolException error = null;
        for (int size : sizes) {
            ByteBuffer in = ByteBuffer.wrap(copy, offset, size);
            try {
                decoder.decode(in, p -> events.add(check(p)));
            } catch (MqttProtocolException e) {
                error = e;
            }
            assertFalse(in.hasRemaining(), "decode takes every byte");
            offset += size;
        }
        assertTrue(Arrays.equals(data, copy), "the input is never written to");
        if (error != null) {
            String m = error.getMessage();
            assertTrue(m.startsWith("malformed ") || m.startsWith("unexpected "), () -> "names what: " + m);
            events.add("error:" + m);
        } else {
            events.add(decoder.isIdle() ? "idle" : "partial");
        }
        return events;
    }

    private static String check(MqttPacket p) {
        if (p instanceof MqttPacket.Publish pub) {
            assertFalse(pub.topic().isEmpty() || pub.topic().contains("+") || pub.topic().contains("#"), "a topic name");
            assertTrue(pub.payload().length <= MAX_PACKET, "within the limit");
            assertTrue(pub.qos() >= 0 && pub.qos() <= 2, "QoS 0 to 2");
            assertEquals(pub.qos() > 0, pub.packetId() > 0, "a packet id exactly at QoS > 0");
        } else if (p instanceof MqttPacket.ConnAck c) {
            assertTrue(c.returnCode() >= 0 && c.returnCode() <= 5, "a return code of table 3.1");
        } else if (p instanceof MqttPacket.SubAck s) {
            assertTrue(s.returnCodes().length >= 1, "at least one return code");
        }
        return p.toString();
    }
}

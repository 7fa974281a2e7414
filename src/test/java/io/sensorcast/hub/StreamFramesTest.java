package io.sensorcast.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MonitorFramesTest {

    private final StreamFrames frames = new StreamFrames();

    private String payload(String channel, long seq, long micros, double v) {
        byte[] f = frames.frame(StreamFrames.prefix(channel), new Sample(channel, seq, micros, v));
        int header = (f[1] & 0x7F) == 126 ? 4 : 2;
        int length = header == 2 ? f[1] & 0x7F : (f[2] & 0xFF) << 8 | f[3] & 0xFF;
        assertEquals(0x81, f[0] & 0xFF, "FIN and text (RFC 6455 5.2)");
        assertEquals(0, f[1] & 0x80, "a server never masks (RFC 6455 5.1)");
        assertEquals(f.length - header, length, "the header's length is the payload's");
        return new String(f, header, length, StandardCharsets.US_ASCII);
    }

    private String value(double v) {
        String json = payload("a.b", 1, 0, v);
        String tail = json.substring(json.indexOf(",\"v\":") + 5);
        return tail.substring(0, tail.length() - 1);
    }

    @Test
    void mergedSamplesAreOneMessageOfTheSampleMessagesAsTheyWere() {
        io.sensorcast.loop.OutboundFrame a = io.sensorcast.loop.OutboundFrame.sample(
                frames.frame(StreamFrames.prefix("a.x"), new Sample("a.x", 7, 1_000_000, 1.5)));
        io.sensorcast.loop.OutboundFrame b = io.sensorcast.loop.OutboundFrame.sample(
                frames.frame(StreamFrames.prefix("b.y"), new Sample("b.y", 8, 2_000_000, -2)));
        byte[] before = new byte[a.length()];
        a.copyTo(0, before, 0, before.length);
        // 3 frames whose payloads add up past 125 bytes: the merged frame has the 16-bit length header.
        io.sensorcast.loop.OutboundFrame m = StreamFrames.merge(new io.sensorcast.loop.OutboundFrame[] {a, b, a}, 3);
        byte[] f = new byte[m.length()];
        m.copyTo(0, f, 0, f.length);
        assertEquals(0x81, f[0] & 0xFF, "FIN and text");
        assertEquals(126, f[1] & 0x7F, "a 16-bit length");
        assertEquals(f.length - 4, (f[2] & 0xFF) << 8 | f[3] & 0xFF);
        String one = "{\"type\":\"sample\",\"channel\":\"a.x\",\"seq\":7,\"t\":1000.000,\"v\":1.5}";
        assertEquals("{\"type\":\"samples\",\"samples\":[" + one
                + ",{\"type\":\"sample\",\"channel\":\"b.y\",\"seq\":8,\"t\":2000.000,\"v\":-2}," + one + "]}",
                new String(f, 4, f.length - 4, StandardCharsets.US_ASCII));
        assertEquals(3, m.samples());
        byte[] after = new byte[a.length()];
        a.copyTo(0, after, 0, after.length);
        assertTrue(Arrays.equals(before, after), "the shared frame is unchanged");
    }

    @Test
    void theReadmesExampleSampleIsWrittenAsDocumented() {
        assertEquals("{\"type\":\"sample\",\"channel\":\"cpu.temperature\",\"seq\":42,\"t\":1732500000123.456,\"v\":48.3}",
                payload("cpu.temperature", 42, 1_732_500_000_123_456L, 48.3));
    }

    @ParameterizedTest
    @CsvSource({
        "21.0, 21", "-0.0, 0", "48.312, 48.312", "-0.05, -0.05", "-273.15, -273.15", "0.000001, 0.000001",
        "123456789.5, 123456789.5", "1e15, 1000000000000000",
        // More than six decimals, still the fewest: 0.7654321 * 10^16 rounds to 7654320999999999.
        "1e-7, 0.0000001", "0.1234567, 0.1234567", "0.7654321, 0.7654321", "-0.0650725, -0.0650725",
        "0.07196644, 0.07196644", "-48.37064864692279, -48.37064864692279",
        "3.141592653589793, 3.141592653589793", "0.000000000000000001, 0.000000000000000001",
        // 17 digits, too large for exact digits, or too small for 18 decimals: Double.toString's form.
        "0.30000000000000004, 0.30000000000000004", "1234567890.1234567, 1.2345678901234567E9",
        "1e300, 1.0E300", "1e-19, 1.0E-19", "-1.5e-300, -1.5E-300"})
    void valuesTakeTheFewestDecimalsThatReadBackExactly(double v, String written) {
        assertEquals(written, value(v));
        JsonWriter w = new JsonWriter().value(v);
        assertEquals(written, w.toString(), "hello and /api write values the same way");
    }

    @Test
    void timesKeepTheirLeadingZerosAndSequencesTheirFullRange() {
        assertEquals("{\"type\":\"sample\",\"channel\":\"x\",\"seq\":9223372036854775807,\"t\":5.007,\"v\":1}",
                payload("x", Long.MAX_VALUE, 5_007, 1));
        assertEquals("{\"type\":\"sample\",\"channel\":\"x\",\"seq\":-9223372036854775808,\"t\":-0.001,\"v\":1}",
                payload("x", Long.MIN_VALUE, -1, 1), "1 µs before the epoch");
        assertEquals("{\"type\":\"sample\",\"channel\":\"x\",\"seq\":1,\"t\":-1500.250,\"v\":1}",
                payload("x", 1, -1_500_250, 1));
        assertEquals("{\"type\":\"sample\",\"channel\":\"x\",\"seq\":1,\"t\":-9223372036854775.808,\"v\":1}",
                payload("x", 1, Long.MIN_VALUE, 1));
        assertEquals("-0.001", new JsonWriter().millisFromMicros(-1).toString(), "JsonWriter writes times the same way");
        assertEquals("{\"type\":\"sample\",\"channel\":\"x\",\"seq\":0,\"t\":0.000,\"v\":0}", payload("x", 0, 0, 0));
    }

    @Test
    void aLongMessageGetsTheSixteenBitLengthForm() {
        String id = "c" + "x".repeat(63); // the longest id ChannelInfo takes
        byte[] f = frames.frame(StreamFrames.prefix(id), new Sample(id, Long.MAX_VALUE, Long.MAX_VALUE, -1.2345678901234567e-200));
        assertEquals(126, f[1], "over 125 bytes: the 16-bit length form (RFC 6455 5.2)");
        assertEquals(f.length - 4, (f[2] & 0xFF) << 8 | f[3] & 0xFF);
        String json = payload(id, Long.MAX_VALUE, Long.MAX_VALUE, -1.2345678901234567e-200);
        @SuppressWarnings("unchecked")
        Map<String, Object> read = (Map<String, Object>) JsonReader.parse(json);
        assertEquals(id, read.get("channel"));
        assertEquals(-1.2345678901234567e-200, read.get("v"));
        assertEquals(true, json.contains(",\"t\":9223372036854775.807,"), json);
    }

    @Test
    void everyValueReadsBackAsTheSameDoubleAndADecimalIsNeverWrittenLonger() {
        SplittableRandom random = new SplittableRandom(8);
        for (int i = 0; i < 200_000; i++) {
            int k = -1; // the decimals v was made with, when it was made from a decimal
            double v;
            switch (i % 6) {
                case 0 -> v = Double.longBitsToDouble(random.nextLong());              // any bits
                case 1 -> {
                    k = 3;
                    v = random.nextInt(-100_000_000, 100_000_000) / 1000.0;           // sysfs milli-units
                }
                case 2, 3 -> {
                    k = i % 6 == 2 ? random.nextInt(8) : random.nextInt(8, 19);
                    v = random.nextLong(-10_000_000, 10_000_000) / Math.pow(10, k);
                }
                case 4 -> v = 20 + 15 * Math.sin(random.nextDouble(1e6));              // a formula's output
                default -> v = random.nextDouble(-1e9, 1e9);
            }
            if (!Double.isFinite(v)) {
                continue;
            }
            String written = value(v);
            double back = Double.parseDouble(written);
            assertEquals(v == 0 ? 0.0 : v, back, () -> "wrote " + v + " as " + written);
            if (back == 0) {
                assertEquals("0", written);
            }
            int point = written.indexOf('.');
            if (k >= 0 && point >= 0 && written.indexOf('E') < 0 && Double.parseDouble(decimal(v, k)) == v) {
                int decimals = written.length() - point - 1;
                int made = k;
                assertTrue(decimals <= made, () -> v + " made with " + made + " decimals, written as " + written);
            }
        }
    }

    /** v with exactly k decimals, by BigDecimal: the decimal it was made from. */
    private static String decimal(double v, int k) {
        return new java.math.BigDecimal(v).setScale(k, java.math.RoundingMode.HALF_EVEN).toPlainString();
    }

    @Test
    void framesAreFreshArraysThatLaterSamplesLeaveAlone() {
        byte[] prefix = StreamFrames.prefix("a.b");
        byte[] first = frames.frame(prefix, new Sample("a.b", 1, 1000, 1.5));
        byte[] copy = first.clone();
        frames.frame(prefix, new Sample("a.b", 2, 2000, 2.5));
        assertEquals(true, Arrays.equals(copy, first), "a queued frame is shared and must never change");
    }
}

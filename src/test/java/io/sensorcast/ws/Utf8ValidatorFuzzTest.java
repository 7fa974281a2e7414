package io.sensorcast.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sensorcast.testing.Splits;
import java.nio.ByteBuffer;

/**
 * The validator against the JDK's own UTF-8 decoder (which reports malformed input, RFC 3629): bytes are valid iff
 * the JDK says so, however they are cut, fed from arrays or from direct buffers (the loop's read buffers).
 * Inputs in Utf8ValidatorFuzzTestInputs/ replay in every test run; fuzz/run searches for new ones.
 */
class Utf8ValidatorFuzzTest {

    @FuzzTest
    void validExactlyWhenTheJdkDecoderSaysSo(byte[] data) {
        boolean expected = FrameParserFuzzTest.isUtf8(data);
        for (int[] sizes : Splits.of(data)) {
            assertEquals(expected, validArray(data, sizes), "from arrays");
            assertEquals(expected, validDirect(data, sizes), "from direct buffers");
        }
    }

    private static boolean validArray(byte[] data, int[] sizes) {
        Utf8Validator v = new Utf8Validator();
        boolean ok = true;
        int offset = 0;
        for (int size : sizes) {
            boolean fed = v.feed(data, offset, size);
            assertFalse(!ok && fed, "once invalid, invalid until reset");
            ok &= fed;
            offset += size;
        }
        return ok && v.isComplete();
    }

    private static boolean validDirect(byte[] data, int[] sizes) {
        Utf8Validator v = new Utf8Validator();
        ByteBuffer direct = ByteBuffer.allocateDirect(data.length + 3);
        direct.position(3);  // absolute offsets that are not 0, as in a read buffer with leftovers
        direct.put(data);
        boolean ok = true;
        int offset = 3;
        for (int size : sizes) {
            boolean fed = v.feed(direct, offset, size);
            assertFalse(!ok && fed, "once invalid, invalid until reset");
            ok &= fed;
            offset += size;
        }
        return ok && v.isComplete();
    }
}

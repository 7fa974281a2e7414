package io.sensorcast.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Hostile history files, as the loader reads them after the header: the scan never throws, the
 * good part ends within the file at or before the first torn byte, each damaged stretch begins
 * inside the file and after the one before, and the file cut where the scan says reads back the
 * same records and no torn tail (what the loader leaves loses nothing and is not cut again).
 * Inputs in SegmentFormatFuzzTestInputs/ replay in every test run; fuzz/run searches for new ones.
 */
class SegmentFormatFuzzTest {

    @FuzzTest
    void anyBytesGiveTheGoodBlocksAndWhereTheDamageIs(byte[] data) {
        SegmentFormat.header(data); // never throws, whatever the first bytes are
        byte[] file = new byte[SegmentFormat.HEADER_BYTES + data.length];
        System.arraycopy(SegmentFormat.header(), 0, file, 0, SegmentFormat.HEADER_BYTES);
        System.arraycopy(data, 0, file, SegmentFormat.HEADER_BYTES, data.length);

        HistoryFilesTest.Collected all = new HistoryFilesTest.Collected();
        SegmentFormat.Scan scan = SegmentFormat.scan(file, all);
        assertTrue(scan.validEnd() >= SegmentFormat.HEADER_BYTES && scan.validEnd() <= file.length, "valid end " + scan.validEnd());
        long previous = SegmentFormat.HEADER_BYTES - 1;
        for (long at : scan.damaged()) {
            assertTrue(at > previous && at < file.length, "damage at " + at + " after " + previous);
            previous = at;
        }
        assertEquals(scan.tornTail(), scan.validEnd() < file.length, "a torn tail exactly when the good part ends early");
        if (scan.tornTail()) {
            assertTrue(scan.validEnd() <= scan.damaged().get(scan.damaged().size() - 1), "the tail is cut at its damage or before");
        }

        HistoryFilesTest.Collected kept = new HistoryFilesTest.Collected();
        SegmentFormat.Scan again = SegmentFormat.scan(Arrays.copyOf(file, (int) scan.validEnd()), kept);
        assertFalse(again.tornTail());
        assertEquals(scan.validEnd(), again.validEnd());
        assertEquals(all.lines, kept.lines, "cutting the tail loses no record");
    }
}

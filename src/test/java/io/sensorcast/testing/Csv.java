package io.sensorcast.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

/** Reads CSV the way RFC 4180 section 2 writes it, and fails the test on anything else. */
public final class Csv {

    private Csv() {}

    /** An RFC 4180 reader, strict: records end in CRLF, quoted fields double their quotes. */
    public static List<List<String>> parse(String csv) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        int i = 0;
        while (i < csv.length()) {
            char c = csv.charAt(i);
            if (c == '"' && f.length() == 0) {
                i++;
                while (true) {
                    char q = csv.charAt(i++);
                    if (q == '"') {
                        if (i < csv.length() && csv.charAt(i) == '"') {
                            f.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        f.append(q);
                    }
                }
                continue;
            }
            if (c == ',') {
                record.add(f.toString());
                f.setLength(0);
                i++;
            } else if (c == '\r') {
                assertEquals('\n', csv.charAt(i + 1), "CR only as part of CRLF, at " + i);
                record.add(f.toString());
                f.setLength(0);
                records.add(record);
                record = new ArrayList<>();
                i += 2;
            } else {
                assertFalse(c == '\n' || c == '"', "bare LF or quote at " + i + " in " + csv);
                f.append(c);
                i++;
            }
        }
        assertTrue(record.isEmpty() && f.length() == 0, "the last record ends with CRLF");
        return records;
    }
}

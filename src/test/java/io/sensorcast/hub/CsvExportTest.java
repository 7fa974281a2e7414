package io.sensorcast.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.loop.OwnerThread;
import io.sensorcast.testing.Csv;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The CSV export against RFC 4180 and the worked times; made in parts as a slow peer reads. */
class CsvExportTest {

    private static final long T0 = 1_732_500_000_000_000L; // 2024-11-25T02:00:00Z, on a minute boundary
    private static final long MINUTE = 60_000_000L;

    private static String iso(long micros, boolean withMicros) {
        StringBuilder sb = new StringBuilder();
        CsvExport.appendIsoTime(sb, micros, withMicros);
        return sb.toString();
    }

    private static String field(String s) {
        StringBuilder sb = new StringBuilder();
        CsvExport.appendField(sb, s);
        return sb.toString();
    }

    @Test
    void workedTimes() {
        assertEquals("1970-01-01T00:00:00.000000Z", iso(0, true));
        assertEquals("1970-01-01T00:00:00Z", iso(0, false));
        assertEquals("1969-12-31T23:59:59.999999Z", iso(-1, true));
        assertEquals("2000-02-29T12:34:56.000007Z", iso(951_827_696_000_007L, true)); // a leap day of a 400-year
        assertEquals("2024-11-25T02:00:00Z", iso(T0, false));
        assertEquals("2026-12-31T23:59:59.500000Z", iso(1_798_761_599_500_000L, true));
    }

    @Test
    void timesAgreeWithJavaTimeOverCenturies() {
        Random r = new Random(19);
        for (int i = 0; i < 100_000; i++) { // 1900 to 2300, any µs
            long micros = -2_208_988_800_000_000L + (long) (r.nextDouble() * 12_623_040_000_000_000L);
            Instant at = Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
            String expected = at.toString();
            // Instant.toString drops a zero fraction and trailing zeros; ours has six digits always.
            String ours = iso(micros, true);
            assertEquals(at, Instant.parse(ours), "at " + micros);
            assertEquals(expected.substring(0, 19), ours.substring(0, 19), "at " + micros);
        }
    }

    @Test
    void fieldsAreQuotedOnlyWhenTheyNeedIt() {
        assertEquals("Greenhouse temperature", field("Greenhouse temperature"));
        assertEquals("°C", field("°C"));
        assertEquals("\"Shed, north wall\"", field("Shed, north wall"));
        assertEquals("\"The \"\"big\"\" tank\"", field("The \"big\" tank"));
        assertEquals("\"two\r\nlines\"", field("two\r\nlines"));
        assertEquals("\"lf\nonly\"", field("lf\nonly"));
        assertEquals("\"\"\"\"", field("\""));
    }

    private static Hub hub(String... names) {
        OwnerThread owner = new OwnerThread();
        owner.claim();
        Hub hub = new Hub(owner, "shed-pi", "test", Duration.ofHours(1), Duration.ofDays(7));
        for (int i = 0; i < names.length; i++) {
            hub.register(new ChannelInfo("c" + i, names[i], "°C"), "dev", null);
        }
        return hub;
    }

    private static String all(CsvExport csv, int partChars) {
        StringBuilder whole = new StringBuilder();
        for (int parts = 0; parts < 10_000 && whole.length() < 1 << 22; parts++) {
            StringBuilder part = new StringBuilder();
            boolean more = csv.next(part, partChars);
            assertTrue(part.length() == 0 || part.toString().endsWith("\r\n"), "a part ends with a whole row: " + part);
            whole.append(part);
            if (!more) {
                return whole.toString();
            }
        }
        throw new AssertionError("no end after " + whole.length() + " characters");
    }

    @Test
    void rawWindowHasAHeaderAndOneRowPerPointWithNamesQuoted() {
        Hub hub = hub("Shed, \"north\" wall", "Plain");
        hub.channel("c0").history().add(T0 - 2_000_000L, 21.5);
        hub.channel("c0").history().add(T0 - 1_000_000L + 250, -3);
        hub.channel("c1").history().add(T0 - 10 * MINUTE, 99); // older than the 5m window
        hub.channel("c1").history().add(T0 - 500_000L, 1e-3);

        String text = all(new CsvExport(hub, List.of("c0", "c1"), HistoryQuery.parse("window=5m"), T0), 1 << 16);

        assertTrue(text.startsWith("channel,name,unit,time,epoch_ms,value\r\n"), text);
        assertTrue(text.contains("\r\nc0,\"Shed, \"\"north\"\" wall\",°C,"), text);
        List<List<String>> rows = Csv.parse(text);
        assertEquals(List.of(
                List.of("channel", "name", "unit", "time", "epoch_ms", "value"),
                List.of("c0", "Shed, \"north\" wall", "°C", "2024-11-25T01:59:58.000000Z", "1732499998000.000", "21.5"),
                List.of("c0", "Shed, \"north\" wall", "°C", "2024-11-25T01:59:59.000250Z", "1732499999000.250", "-3"),
                List.of("c1", "Plain", "°C", "2024-11-25T01:59:59.500000Z", "1732499999500.000", "0.001")), rows);
    }

    @Test
    void minuteWindowSaysMinMaxAvgCountAndEndsAtTheRequest() {
        Hub hub = hub("Tank");
        ChannelHistory h = hub.channel("c0").history();
        h.add(T0 - 2 * MINUTE, 1);
        h.add(T0 - 2 * MINUTE + 30_000_000L, 3);
        h.add(T0 - MINUTE, 10); // the minute being filled: served too, as by the JSON
        CsvExport csv = new CsvExport(hub, List.of("c0"), HistoryQuery.parse("window=24h"), T0);
        h.add(T0 + MINUTE, 50); // a minute after the request's

        List<List<String>> rows = Csv.parse(all(csv, 1 << 16));
        assertEquals(List.of(
                List.of("channel", "name", "unit", "time", "epoch_ms", "min", "avg", "max", "count"),
                List.of("c0", "Tank", "°C", "2024-11-25T01:58:00Z", "1732499880000", "1", "2", "3", "2"),
                List.of("c0", "Tank", "°C", "2024-11-25T01:59:00Z", "1732499940000", "10", "10", "10", "1")), rows);
    }

    @Test
    void partsMadeWhileTheRingMovesWriteEachPointOnceAndSkipAChannelThatWent() {
        Hub hub = hub("A", "B", "C");
        for (String id : List.of("c0", "c1", "c2")) {
            for (int i = 0; i < 1000; i++) {
                hub.channel(id).history().add(T0 - 3000_000_000L + i * 1_000_000L, i);
            }
        }
        CsvExport csv = new CsvExport(hub, List.of("c0", "c1", "c2"), HistoryQuery.parse("window=1h"), T0);
        StringBuilder text = new StringBuilder();
        int parts = 0;
        boolean more = true;
        while (more && parts < 10_000) {
            more = csv.next(text, text.length() + 500); // small parts: about 8 rows each
            parts++;
            if (parts == 3) { // new samples arrive between parts, after the request's instant
                hub.channel("c0").history().add(T0 + 1_000_000L, -1);
            }
            if (parts == 5) {
                hub.reconcile(List.of(new Hub.Registration(new ChannelInfo("c0", "A", "°C"), "dev", null),
                        new Hub.Registration(new ChannelInfo("c2", "C", "°C"), "dev", null)), java.util.Set.of());
            }
        }
        assertTrue(parts > 50, "made in many parts: " + parts);
        List<List<String>> rows = Csv.parse(text.toString());
        long c0 = rows.stream().filter(r -> r.get(0).equals("c0")).count();
        long c1 = rows.stream().filter(r -> r.get(0).equals("c1")).count();
        long c2 = rows.stream().filter(r -> r.get(0).equals("c2")).count();
        assertEquals(1000, c0, "every point of c0 once, none after the request");
        assertEquals(0, c1, "c1 was removed before its turn");
        assertEquals(1000, c2);
        for (int i = 1; i < rows.size(); i++) {
            assertEquals(String.valueOf((i - 1) % 1000), rows.get(i).get(5), "row " + i);
        }
    }

    @Test
    void fileNamesNameTheDeviceTheChannelAndTheWindow() {
        assertEquals("shed-pi_bme280.temperature_24h.csv",
                CsvExport.fileName("shed-pi", "bme280.temperature", HistoryQuery.Window.H24));
        assertEquals("My_Pi__garage__all_7d.csv", CsvExport.fileName("My Pi \"garage\"", null, HistoryQuery.Window.D7));
    }
}

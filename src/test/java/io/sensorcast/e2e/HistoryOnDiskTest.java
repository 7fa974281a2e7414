package io.sensorcast.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.config.Settings;
import io.sensorcast.history.HistoryDirectory;
import io.sensorcast.hub.Hub;
import io.sensorcast.hub.Sample;
import io.sensorcast.testing.Json;
import io.sensorcast.testing.RawHttp;
import io.sensorcast.testing.TestSensors;
import io.sensorcast.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * History on disk through the server, with a made-up wall clock (the samples' own times): the
 * clock steps back by seconds and forward by hours, and after a clean stop and a new start every
 * finished minute and the raw hour are served again; /metrics counts what was written.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HistoryOnDiskTest {

    private static final String ID = "t.temp";

    @TempDir
    Path dir;

    private Settings settings() {
        return TestServer.settings().historyDir(dir.toString()).historyFlushInterval(Duration.ofSeconds(1)).build();
    }

    private static long metric(int port, String name) throws Exception {
        Matcher m = Pattern.compile("(?m)^" + name + " (\\d+)$").matcher(RawHttp.get(port, "/metrics").text());
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    @SuppressWarnings("unchecked")
    private static List<Number> column(int port, String window, String key) throws Exception {
        RawHttp.Response r = RawHttp.get(port, "/api/channels/" + ID + "/history?window=" + window + "&points=10000");
        assertEquals(200, r.status(), r.text());
        return (List<Number>) Json.object(r.text()).get(key);
    }

    @Test
    void minutesAcrossClockStepsAndTheRawHourComeBackAfterARestart() throws Exception {
        long minute = 60_000_000L;
        long t0 = (System.currentTimeMillis() * 1000 / minute - 150) * minute; // 150 minutes ago, on a minute
        List<Number> minutesBefore;
        List<Number> rawBefore;
        try (TestServer server = TestServer.start(settings(), List.of(silent()))) {
            Hub hub = server.service().hub();
            server.onLoop(() -> {
                long seq = 0;
                // Minutes 0-2, a step back of 20 s inside minute 3, minute 3-4, then a step forward by 2 h.
                for (int s = 0; s < 4 * 60; s += 5) {
                    hub.onSample(new Sample(ID, ++seq, t0 + s * 1_000_000L, s));
                }
                for (int s = 3 * 60 - 20; s < 5 * 60; s += 5) {
                    hub.onSample(new Sample(ID, ++seq, t0 + s * 1_000_000L, 1000 + s));
                }
                for (int s = 0; s < 90; s += 5) {
                    hub.onSample(new Sample(ID, ++seq, t0 + 120 * minute + s * 1_000_000L, 2000 + s));
                }
                return null;
            });
            int port = server.port();
            for (int i = 0; i < 200 && metric(port, "sensorcast_history_flushes_total") < 1; i++) {
                Thread.sleep(50);
            }
            assertTrue(metric(port, "sensorcast_history_flushes_total") >= 1, "a flush within the flush interval");
            minutesBefore = column(port, "24h", "t");
            rawBefore = column(port, "1h", "v");
            // Minute 3 finishes at the step back; samples stamped in minutes 2-3 after it are raw only;
            // minute 4 and 120 finish; 121 is filling.
            assertEquals(7, minutesBefore.size(), "minutes 0-4, 120 and the filling 121: " + minutesBefore);
            assertEquals(18, rawBefore.size(), "the raw points after the step forward are in the last hour");
            assertEquals(0, metric(port, "sensorcast_history_records_skipped_total"));
            assertEquals(0, metric(port, "sensorcast_history_minutes_dropped_total"));
            long written = metric(port, "sensorcast_history_bytes_written_total");
            assertEquals(sizeOfSegments(), written, "every byte written is in a segment");
            assertEquals(sizeOfSegments(), metric(port, "sensorcast_history_dir_bytes"));
        }
        assertTrue(Files.exists(dir.resolve(HistoryDirectory.RAW_SNAPSHOT)), "a clean stop leaves the raw hour");

        try (TestServer again = TestServer.start(settings(), List.of(silent()))) {
            assertEquals(minutesBefore, column(again.port(), "24h", "t"), "every minute, the filling one too");
            assertEquals(rawBefore, column(again.port(), "1h", "v"), "the raw hour");
            assertFalse(Files.exists(dir.resolve(HistoryDirectory.RAW_SNAPSHOT)), "read once, then removed");
        }
    }

    /** The channel, configured at 1 s, whose sensor gives nothing: the test's samples are the only ones. */
    private static io.sensorcast.sensor.Sensor silent() {
        return TestSensors.failing(ID, "unplugged", Duration.ofSeconds(1));
    }

    private long sizeOfSegments() throws Exception {
        long n = 0;
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                n += Files.size(p);
            }
        }
        return n;
    }
}

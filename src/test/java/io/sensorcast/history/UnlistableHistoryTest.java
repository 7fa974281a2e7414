package io.sensorcast.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.hub.ChannelHistory;
import io.sensorcast.testing.LogCapture;
import io.sensorcast.testing.UnlistableDirectories;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A history directory that cannot be read to the end (a 32-bit JVM under qemu-user on ext4:
 * EOVERFLOW) is a clear line and a server that starts, never the unchecked exception a
 * directory stream throws ("cannot start" was the whole server's answer under qemu-arm).
 */
class UnlistableHistoryTest {

    @TempDir
    Path dir;

    @Test
    void aLoadOfAnUnlistableDirectoryIsAnIoExceptionThatNamesIt() {
        Path history = UnlistableDirectories.view(dir);
        HistoryDirectory d = new HistoryDirectory(history, line -> { });
        IOException e = assertThrows(IOException.class, () -> d.load(new HistoryFilesTest.Collected()));
        assertEquals("cannot list " + dir + ": " + UnlistableDirectories.EOVERFLOW, e.getMessage());
    }

    @Test
    void theStoreOpensAndSaysWhyNothingWasReadBack() throws Exception {
        Path history = UnlistableDirectories.view(dir);
        Map<String, ChannelHistory> stored = new HashMap<>();
        long mark = LogCapture.mark();
        HistoryStore store = HistoryStore.open(history, Duration.ofMinutes(10), Duration.ofDays(7),
                System.currentTimeMillis(), stored);
        if (store != null) {
            store.stop(null);
        }
        String line = "history: cannot read " + dir + " (cannot list " + dir + ": " + UnlistableDirectories.EOVERFLOW + ")";
        for (int i = 0; i < 100 && LogCapture.count(mark, line) == 0; i++) {
            Thread.sleep(50); // the log thread writes it
        }
        assertTrue(LogCapture.installed(), "the test log writer is set up (pom.xml)");
        assertEquals(1, LogCapture.count(mark, line), () -> String.join("\n", LogCapture.since(mark)));
        assertTrue(stored.isEmpty(), stored::toString);
    }
}

package io.sensorcast.sensor.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sensorcast.hub.ChannelInfo;
import io.sensorcast.sensor.sysfs.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuUsageTest {

    @TempDir
    Path proc;

    private final FakeClock clock = new FakeClock();
    private Path stat;

    @BeforeEach
    void copyFixture() throws IOException {
        Fixtures.copy("procfs/pi4", proc);
        stat = proc.resolve("stat");
    }

    private CpuUsage usage(Duration interval) {
        return new CpuUsage("cpu-usage", proc, interval, clock);
    }

    private static double readOnce(CpuUsage u) throws Exception {
        double[] v = new double[1];
        u.read(v);
        return v[0];
    }

    @Test
    void hasOneChannelInPercent() {
        assertEquals(List.of(new ChannelInfo("cpu-usage.busy", "CPU usage", "%")), usage(Duration.ofSeconds(5)).channels());
    }

    @Test
    void theFirstReadPrimesWaitsOneWindowAndReportsTheChangeOverIt() throws Exception {
        clock.onSleep(() -> Files.copy(Fixtures.tree("procfs/pi4-2s-later/stat"), stat, StandardCopyOption.REPLACE_EXISTING));
        // procfs/pi4/stat       cpu  118320 512 40125 6541960 6204 0 1832 0 0 0
        // procfs/pi4-2s-later   cpu  118470 512 40175 6542540 6214 0 1842 0 0 0
        // deltas: user 150, nice 0, system 50, idle 580, iowait 10, irq 0, softirq 10, steal 0
        // total 800, idle+iowait 590, busy 210 -> 210 / 800 = 26.25 %
        assertEquals(26.25, readOnce(usage(Duration.ofSeconds(5))), 1e-12);
        assertEquals(List.of(Duration.ofSeconds(1)), clock.sleeps); // min(interval 5 s, 1 s)
    }

    @Test
    void theWindowIsTheIntervalWhenThatIsShorterThanASecond() throws Exception {
        clock.onSleep(() -> Files.copy(Fixtures.tree("procfs/pi4-2s-later/stat"), stat, StandardCopyOption.REPLACE_EXISTING));
        readOnce(usage(Duration.ofMillis(250)));
        assertEquals(List.of(Duration.ofMillis(250)), clock.sleeps);
    }

    @Test
    void laterReadsCompareWithThePreviousReadWithoutWaiting() throws Exception {
        clock.onSleep(() -> Files.copy(Fixtures.tree("procfs/pi4-2s-later/stat"), stat, StandardCopyOption.REPLACE_EXISTING));
        CpuUsage u = usage(Duration.ofSeconds(5));
        readOnce(u);
        // Five seconds later: user +700, system +60, idle +30, iowait +5, softirq +5 over the 2s-later values.
        Files.writeString(stat, "cpu  119170 512 40235 6542570 6219 0 1847 0 0 0\n");
        clock.advance(Duration.ofSeconds(5));
        // total 700+60+30+5+5 = 800, idle+iowait 35, busy 765 -> 765 / 800 = 95.625 %
        assertEquals(95.625, readOnce(u), 1e-12);
        assertEquals(1, clock.sleeps.size()); // only the priming wait
    }

    @Test
    void guestTimeIsNotCountedTwice() throws Exception {
        // The kernel adds guest time to user as well, so guest (field 9) must stay out of the total.
        Files.writeString(stat, "cpu  100 0 100 700 100 0 0 0 50 0\n");
        clock.onSleep(() -> Files.writeString(stat, "cpu  200 0 100 800 100 0 0 0 100 0\n"));
        // deltas user 100 (50 of it guest), idle 100: total 200, busy 100 -> 50 %
        // (with guest in the total: 250 and 150 -> 60 %)
        assertEquals(50.0, readOnce(usage(Duration.ofSeconds(5))), 1e-12);
    }

    @Test
    void oldKernelsWithFourFieldsStillWork() throws Exception {
        Files.writeString(stat, "cpu  100 0 100 800\n");
        clock.onSleep(() -> Files.writeString(stat, "cpu  130 0 110 860\n"));
        // total 30 + 10 + 60 = 100, idle 60 -> 40 %
        assertEquals(40.0, readOnce(usage(Duration.ofSeconds(5))), 1e-12);
    }

    @Test
    void iowaitGoingBackwardsCannotPushThePercentageOutOfRange() throws Exception {
        // proc(5): iowait can decrease. deltas user 100, iowait -50: total 50, idle -50, busy 100 -> 200 %, shown as 100 %
        Files.writeString(stat, "cpu  100 0 0 1000 500 0 0 0\n");
        clock.onSleep(() -> Files.writeString(stat, "cpu  200 0 0 1000 450 0 0 0\n"));
        assertEquals(100.0, readOnce(usage(Duration.ofSeconds(5))), 1e-12);
    }

    @Test
    void countersThatDidNotMoveAreAnErrorNamingTheFile() {
        // The file is not rewritten while the driver waits: zero ticks passed.
        IOException e = assertThrows(IOException.class, () -> readOnce(usage(Duration.ofSeconds(5))));
        assertEquals(stat + ": the CPU tick counters did not advance between two reads", e.getMessage());
    }

    @Test
    void aGarbledCpuLineNamesTheFile() throws IOException {
        Files.writeString(stat, "cpu  100 0 x 800\n");
        IOException e = assertThrows(IOException.class, () -> readOnce(usage(Duration.ofSeconds(5))));
        assertEquals(stat + ": the cpu line holds something other than tick counts: 'cpu  100 0 x 800'", e.getMessage());
    }

    @Test
    void aFileWithoutTheCpuLineNamesTheFile() throws IOException {
        Files.writeString(stat, "cpu0 1 2 3 4\nintr 5\n");
        IOException e = assertThrows(IOException.class, () -> readOnce(usage(Duration.ofSeconds(5))));
        assertEquals(stat + " has no 'cpu' line", e.getMessage());
    }

    @Test
    void aMissingFileNamesIt() throws IOException {
        Files.delete(stat);
        IOException e = assertThrows(IOException.class, () -> readOnce(usage(Duration.ofSeconds(5))));
        assertEquals("cannot read " + stat + ": no such file", e.getMessage());
    }

    @Test
    void afterAFailedReadTheNextOnePrimesAgain() throws Exception {
        CpuUsage u = usage(Duration.ofSeconds(5));
        Files.delete(stat);
        assertThrows(IOException.class, () -> readOnce(u));
        Files.writeString(stat, "cpu  100 0 0 900\n");
        clock.onSleep(() -> Files.writeString(stat, "cpu  150 0 0 950\n"));
        assertEquals(50.0, readOnce(u), 1e-12); // busy 50 of 100
        assertEquals(1, clock.sleeps.size());
    }
}

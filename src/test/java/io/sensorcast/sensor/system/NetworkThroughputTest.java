package io.sensorcast.sensor.system;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

class NetworkThroughputTest {

    private static final String HEAD = "Inter-|   Receive                                                |  Transmit\n"
            + " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n";

    @TempDir
    Path proc;

    private final FakeClock clock = new FakeClock();
    private Path dev;

    @BeforeEach
    void copyFixture() throws IOException {
        Fixtures.copy("procfs/pi4", proc);
        dev = proc.resolve("net/dev");
    }

    private NetworkThroughput eth0() {
        return new NetworkThroughput("net-eth0", proc, "eth0", Duration.ofSeconds(5), clock);
    }

    private static double[] readOnce(NetworkThroughput n) throws Exception {
        double[] v = new double[2];
        n.read(v);
        return v;
    }

    private static String line(String name, long rx, long tx) {
        return String.format("%6s: %8d 0 0 0 0 0 0 0 %8d 0 0 0 0 0 0 0%n", name, rx, tx);
    }

    @Test
    void discoveryListsEveryInterfaceButLoopbackInFileOrder() {
        List<NetworkThroughput> all = NetworkThroughput.discover(proc, Duration.ofSeconds(5), List.of());
        assertEquals(List.of("net-eth0", "net-wlan0", "net-docker0"), all.stream().map(NetworkThroughput::id).toList());
        assertEquals(List.of(new ChannelInfo("net-eth0.rx", "eth0 received", "B/s"), new ChannelInfo("net-eth0.tx", "eth0 sent", "B/s")),
                all.get(0).channels());
    }

    @Test
    void discoveryKeepsOnlyInterfacesMatchingTheFilter() {
        List<NetworkThroughput> some = NetworkThroughput.discover(proc, Duration.ofSeconds(5), List.of("eth*", "wlan?"));
        assertEquals(List.of("eth0", "wlan0"), some.stream().map(NetworkThroughput::iface).toList());
    }

    @Test
    void discoveryWithoutProcfsFindsNothingAndDoesNotFail() {
        assertEquals(List.of(), NetworkThroughput.discover(proc.resolve("nowhere"), Duration.ofSeconds(5), List.of()));
    }

    @Test
    void theFirstReadPrimesAndReportsBytesPerSecondOverTheWindow() throws Exception {
        clock.onSleep(() -> Files.copy(Fixtures.tree("procfs/pi4-2s-later/net/dev"), dev, StandardCopyOption.REPLACE_EXISTING));
        // eth0 rx 734220118 -> 734470118 (+250000), tx 98765432 -> 98805432 (+40000), over the 1 s the driver waited
        assertArrayEquals(new double[] {250000.0, 40000.0}, readOnce(eth0()), 1e-9);
        assertEquals(List.of(Duration.ofSeconds(1)), clock.sleeps);
    }

    @Test
    void laterReadsDivideByTheMonotonicTimeSinceThePreviousRead() throws Exception {
        NetworkThroughput n = eth0();
        clock.onSleep(() -> Files.copy(Fixtures.tree("procfs/pi4-2s-later/net/dev"), dev, StandardCopyOption.REPLACE_EXISTING));
        readOnce(n);
        Files.writeString(dev, HEAD + line("lo", 82020, 82020) + line("eth0", 734470118 + 300000, 98805432 + 5000));
        clock.advance(Duration.ofMillis(2500));
        // +300000 B and +5000 B in 2.5 s -> 120000 and 2000 B/s
        assertArrayEquals(new double[] {120000.0, 2000.0}, readOnce(n), 1e-9);
    }

    @Test
    void aCounterThatWentDownCountsFromZeroInsteadOfGoingNegative() throws Exception {
        Files.writeString(dev, HEAD + line("eth0", 1_000_000, 500_000));
        clock.onSleep(() -> Files.writeString(dev, HEAD + line("eth0", 3000, 1000))); // driver reloaded
        // increase taken as the new values: 3000 and 1000 B over 1 s
        assertArrayEquals(new double[] {3000.0, 1000.0}, readOnce(eth0()), 1e-9);
    }

    @Test
    void anInterfaceThatDisappearedIsAnErrorNamingIt() throws Exception {
        NetworkThroughput wlan1 = new NetworkThroughput("net-wlan1", proc, "wlan1", Duration.ofSeconds(5), clock);
        IOException e = assertThrows(IOException.class, () -> readOnce(wlan1));
        assertEquals(dev + " no longer lists interface wlan1 (unplugged or renamed?)", e.getMessage());
    }

    @Test
    void afterTheInterfaceComesBackTheNextReadPrimesAgain() throws Exception {
        NetworkThroughput n = eth0();
        clock.onSleep(() -> Files.copy(Fixtures.tree("procfs/pi4-2s-later/net/dev"), dev, StandardCopyOption.REPLACE_EXISTING));
        readOnce(n);
        clock.onSleep(() -> {});
        clock.advance(Duration.ofSeconds(5));
        Files.writeString(dev, HEAD + line("lo", 1, 1));
        assertThrows(IOException.class, () -> readOnce(n));
        Files.writeString(dev, HEAD + line("eth0", 100, 10));
        clock.onSleep(() -> Files.writeString(dev, HEAD + line("eth0", 600, 60)));
        assertArrayEquals(new double[] {500.0, 50.0}, readOnce(n), 1e-9); // over a fresh 1 s window
        assertEquals(2, clock.sleeps.size());
    }

    @Test
    void oldKernelsWithoutASpaceAfterTheColonAreRead() throws Exception {
        Files.writeString(dev, HEAD + "  eth0:4294967296 1 0 0 0 0 0 0 10 1 0 0 0 0 0 0\n");
        clock.onSleep(() -> Files.writeString(dev, HEAD + "  eth0:4294968296 1 0 0 0 0 0 0 30 1 0 0 0 0 0 0\n"));
        assertArrayEquals(new double[] {1000.0, 20.0}, readOnce(eth0()), 1e-9);
    }

    @Test
    void aGarbledLineNamesTheFile() throws IOException {
        Files.writeString(dev, HEAD + "  eth0: 12x 0 0 0 0 0 0 0 34 0 0 0 0 0 0 0\n");
        IOException e = assertThrows(IOException.class, () -> readOnce(eth0()));
        assertEquals(dev + ": the line of eth0 holds something other than counters: 'eth0: 12x 0 0 0 0 0 0 0 34 0 0 0 0 0 0 0'",
                e.getMessage());
    }

    @Test
    void aTruncatedLineNamesTheFile() throws IOException {
        Files.writeString(dev, HEAD + "  eth0: 12 0 0\n");
        IOException e = assertThrows(IOException.class, () -> readOnce(eth0()));
        assertEquals(dev + ": the line of eth0 has 3 counters, expected 16", e.getMessage());
    }

    @Test
    void interfaceNamesBecomeValidDeviceIds() {
        assertEquals("net-br-lan", NetworkThroughput.deviceIdFor("br-LAN"));
        assertEquals("net-eth0.100", NetworkThroughput.deviceIdFor("eth0.100"));
        assertEquals("net-wg_0", NetworkThroughput.deviceIdFor("wg+0"));
    }
}

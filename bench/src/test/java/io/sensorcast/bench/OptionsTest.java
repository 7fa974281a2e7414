package io.sensorcast.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptionsTest {

    @Test
    void quickMeansOneShortRunUnlessToldOtherwise() {
        Options o = Options.parse(new String[] {"--quick"});
        assertEquals(1, o.runs);
        assertEquals(2, o.seconds);
        assertEquals(3, Options.parse(new String[] {"--quick", "--runs", "3"}).runs);
    }

    @Test
    void listsAndDurationsAreRead() {
        Options o = Options.parse(new String[] {"--servers", "netty,sensorcast", "--scenarios", "idle", "--soak", "2m"});
        assertEquals(List.of(ServerKind.NETTY, ServerKind.SENSORCAST), o.servers);
        assertEquals(List.of(Scenario.IDLE), o.scenarios);
        assertEquals(List.of(Scenario.MQTT, Scenario.IDLE), Options.parse(new String[] {"--scenarios", "mqtt,idle"}).scenarios);
        assertEquals(Duration.ofMinutes(2), o.soak);
        assertEquals(Duration.ofSeconds(90), Options.duration("--soak", "90s"));
    }

    @Test
    void theLadderIsTheDefaultUnlessGiven() {
        assertEquals(Scenario.LADDER, Options.parse(new String[0]).ladder());
        assertEquals(Scenario.QUICK_LADDER, Options.parse(new String[] {"--quick"}).ladder());
        assertEquals(List.of(300_000, 350_000), Options.parse(new String[] {"--ladder", "300000,350000"}).ladder());
    }

    @Test
    void wrongInputIsAUsageError() {
        assertThrows(Options.UsageException.class, () -> Options.parse(new String[] {"--ladder", "300k"}));
        assertThrows(Options.UsageException.class, () -> Options.parse(new String[] {"--bogus"}));
        assertThrows(Options.UsageException.class, () -> Options.parse(new String[] {"--servers", "mongoose"}));
        assertThrows(Options.UsageException.class, () -> Options.parse(new String[] {"--runs", "0"}));
        assertThrows(Options.UsageException.class, () -> Options.parse(new String[] {"--soak", "10"}));
    }
}

package io.sensorcast.sensor.pi4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import io.sensorcast.hub.ChannelInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Known pulses on the mock input over known times on a fake clock: the rate is exact. */
class PulseCounterTest {

    @TempDir
    Path devRoot;

    private final FakeClock clock = new FakeClock();
    private MockBoard mock;
    private PulseCounter counter;

    @BeforeEach
    void setUp() {
        mock = new MockBoard(devRoot);
    }

    @AfterEach
    void tearDown() {
        if (counter != null) {
            counter.close();
        }
        mock.close();
    }

    private void open(Edge edge, Duration debounce, double factor) throws Exception {
        counter = new PulseCounter(mock.board, "wind", 5, Pull.UP, edge, debounce, "speed", "m/s", factor,
                Duration.ofSeconds(2), clock);
        counter.open();
    }

    /** {@code n} full pulses (low to high to low), 10 ms apart, from a line that is low. */
    private void pulses(int n) {
        MockDigitalInput line = mock.io("wind", MockDigitalInput.class);
        for (int i = 0; i < n; i++) {
            clock.advance(Duration.ofMillis(10));
            line.mockState(DigitalState.HIGH);
            clock.advance(Duration.ofMillis(10));
            line.mockState(DigitalState.LOW);
        }
    }

    private double read() throws Exception {
        double[] values = new double[1];
        counter.read(values);
        return values[0];
    }

    @Test
    void rateIsPulsesPerSecondSinceOpenTimesTheFactor() throws Exception {
        open(Edge.RISING, Duration.ZERO, 0.667);
        pulses(5); // 100 ms of the clock
        clock.advance(Duration.ofMillis(1900));
        assertEquals(5 / 2.0 * 0.667, read(), 1e-12);
    }

    @Test
    void eachReadCoversOnlyTheTimeSinceThePreviousRead() throws Exception {
        open(Edge.RISING, Duration.ZERO, 1);
        pulses(8); // 160 ms
        clock.advance(Duration.ofMillis(3840));
        assertEquals(2.0, read(), 1e-12); // 8 in 4 s
        pulses(3); // 60 ms
        clock.advance(Duration.ofMillis(940));
        assertEquals(3.0, read(), 1e-12); // 3 in 1 s
        clock.advance(Duration.ofSeconds(1));
        assertEquals(0.0, read(), 1e-12);
    }

    @Test
    void countsFallingEdgesWhenAskedTo() throws Exception {
        open(Edge.FALLING, Duration.ZERO, 1);
        MockDigitalInput line = mock.io("wind", MockDigitalInput.class);
        line.mockState(DigitalState.HIGH); // rising
        line.mockState(DigitalState.LOW);  // falling
        line.mockState(DigitalState.HIGH); // rising
        clock.advance(Duration.ofSeconds(1));
        assertEquals(1.0, read(), 1e-12);
    }

    @Test
    void countsRisingEdgesWhenAskedTo() throws Exception {
        open(Edge.RISING, Duration.ZERO, 1);
        MockDigitalInput line = mock.io("wind", MockDigitalInput.class);
        line.mockState(DigitalState.HIGH);
        line.mockState(DigitalState.LOW);
        line.mockState(DigitalState.HIGH);
        clock.advance(Duration.ofSeconds(1));
        assertEquals(2.0, read(), 1e-12);
    }

    @Test
    void contactBounceIsNotCounted() throws Exception {
        open(Edge.RISING, Duration.ofMillis(3), 1);
        MockDigitalInput line = mock.io("wind", MockDigitalInput.class);
        for (int pulse = 0; pulse < 4; pulse++) {
            clock.advance(Duration.ofMillis(20));
            line.mockState(DigitalState.HIGH);
            clock.advance(Duration.ofMillis(1)); // bounce: low and high again within the 3 ms
            line.mockState(DigitalState.LOW);
            line.mockState(DigitalState.HIGH);
            clock.advance(Duration.ofMillis(20));
            line.mockState(DigitalState.LOW);
        }
        clock.advance(Duration.ofMillis(1836)); // 2 s in all
        assertEquals(2.0, read(), 1e-12);
    }

    @Test
    void aReadRightAfterOpenReportsZero() throws Exception {
        open(Edge.RISING, Duration.ZERO, 1);
        assertEquals(0.0, read(), 0);
    }

    @Test
    void theChannelIsTheQuantityInTheUnitGiven() {
        counter = new PulseCounter(mock.board, "wind", 5, Pull.UP, Edge.FALLING, Duration.ZERO, "speed", "m/s", 0.667,
                Duration.ofSeconds(2));
        assertEquals(List.of(new ChannelInfo("wind.speed", "wind speed", "m/s")), counter.channels());
    }

    @Test
    void rejectsAZeroOrNonFiniteFactor() {
        Duration s = Duration.ofSeconds(1);
        assertThrows(IllegalArgumentException.class,
                () -> new PulseCounter(mock.board, "w", 5, Pull.UP, Edge.RISING, Duration.ZERO, "rate", "1/s", 0, s));
        assertThrows(IllegalArgumentException.class,
                () -> new PulseCounter(mock.board, "w", 5, Pull.UP, Edge.RISING, Duration.ZERO, "rate", "1/s", Double.NaN, s));
    }

    @Test
    void onAPi5WithNoHeaderChipInSightTheCounterSaysSoBeforePi4jGuesses() throws Exception {
        // The Pi 5 tree's chips without the RP1's node: the SoC's chips only, none of them the header's.
        for (int i = 0; i <= 3; i++) {
            java.nio.file.Files.createFile(devRoot.resolve("gpiochip" + i));
        }
        try (MockBoard pi5 = new MockBoard(io.sensorcast.sensor.sysfs.Fixtures.tree("sysfs/pi5-gpiochip4"), devRoot)) {
            PulseCounter c = new PulseCounter(pi5.board, "rain", 6, Pull.UP, Edge.FALLING, Duration.ofMillis(1), "rate",
                    "", 1, Duration.ofSeconds(2), clock);
            java.io.IOException e = assertThrows(java.io.IOException.class, c::open);
            assertTrue(e.getMessage().startsWith("rain: cannot use GPIO 6 (BCM): no GPIO chip here drives the 40-pin header"),
                    e.getMessage());
            assertFalse(pi5.exists("rain"), "nothing was claimed");
            c.close();
        }
    }
}

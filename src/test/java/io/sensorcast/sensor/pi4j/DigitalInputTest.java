package io.sensorcast.sensor.pi4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import io.sensorcast.hub.ChannelInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver against Pi4J's mock digital input, which calls listeners on the thread that toggles it. */
class DigitalInputTest {

    private static final Duration DEBOUNCE = Duration.ofMillis(5);

    @TempDir
    Path devRoot;

    private final FakeClock clock = new FakeClock();
    private final List<String> emitted = new ArrayList<>();
    private MockBoard mock;
    private DigitalInput door;

    @BeforeEach
    void setUp() {
        mock = new MockBoard(devRoot);
        door = new DigitalInput(mock.board, "door", 17, Pull.UP, DEBOUNCE, Duration.ofSeconds(1), clock);
        door.listen((channel, value) -> emitted.add(channel + "=" + value));
    }

    @AfterEach
    void tearDown() {
        door.close();
        mock.close();
    }

    private MockDigitalInput line() {
        return mock.io("door", MockDigitalInput.class);
    }

    @Test
    void readGivesTheCurrentLevel() throws Exception {
        double[] values = new double[1];
        door.open();
        door.read(values);
        assertEquals(0, values[0]);
        line().mockState(DigitalState.HIGH);
        door.read(values);
        assertEquals(1, values[0]);
    }

    @Test
    void eachEdgeIsEmittedAtOnce() throws Exception {
        door.open();
        line().mockState(DigitalState.HIGH);
        assertEquals(List.of("0=1.0"), emitted);
        clock.advance(Duration.ofMillis(100));
        line().mockState(DigitalState.LOW);
        clock.advance(Duration.ofMillis(100));
        line().mockState(DigitalState.HIGH);
        assertEquals(List.of("0=1.0", "0=0.0", "0=1.0"), emitted);
    }

    @Test
    void bounceWithinTheDebounceTimeIsNotEmitted() throws Exception {
        door.open();
        line().mockState(DigitalState.HIGH);
        for (int i = 0; i < 4; i++) { // the contact bounces for 4 ms
            clock.advance(Duration.ofMillis(1));
            line().mockState(i % 2 == 0 ? DigitalState.LOW : DigitalState.HIGH);
        }
        assertEquals(List.of("0=1.0"), emitted);
        clock.advance(Duration.ofMillis(50));
        line().mockState(DigitalState.LOW);
        assertEquals(List.of("0=1.0", "0=0.0"), emitted);
    }

    @Test
    void thePullIsPassedToPi4j() throws Exception {
        door.open();
        assertEquals(PullResistance.PULL_UP, line().pull());
        assertEquals(17, line().address());
    }

    @Test
    void closeStopsEventsAndReleasesThePin() throws Exception {
        door.open();
        MockDigitalInput line = line();
        door.close();
        door.close();
        assertFalse(mock.exists("door"));
        line.mockState(DigitalState.HIGH);
        assertEquals(List.of(), emitted);
    }

    @Test
    void eventsGoOnToTheSameSinkAfterReopening() throws Exception {
        door.open();
        door.close();
        door.open();
        line().mockState(DigitalState.HIGH);
        assertEquals(List.of("0=1.0"), emitted);
    }

    @Test
    void aPinThatCannotBeClaimedIsNamedInTheError() {
        mock.failCreate(new IllegalStateException("No gpio chip yet initialized!"));
        IOException e = assertThrows(IOException.class, door::open);
        assertTrue(e.getMessage().startsWith("door: cannot use GPIO 17 (BCM): no " + devRoot.resolve("gpiochip0")),
                e.getMessage());
    }

    /** On a board Pi4J does not know its gpiod provider opens no chip: the error says so, not "no gpiochip0". */
    @Test
    void aPinOnABoardPi4jDoesNotKnowSaysSoInsteadOfTalkingAboutChips() throws IOException {
        Files.createFile(devRoot.resolve("gpiochip0"));
        mock.failCreate(new IllegalStateException("No gpio chip yet initialized!"));
        Pi4jBoard unknown = new Pi4jBoard(peripheral -> mock.context, null, devRoot, () -> false);
        DigitalInput pin = new DigitalInput(unknown, "door", 17, Pull.UP, DEBOUNCE, Duration.ofSeconds(1), clock);
        IOException e = assertThrows(IOException.class, pin::open);
        assertEquals("door: cannot use GPIO 17 (BCM): " + DeviceAdviceTest.UNKNOWN_BOARD, e.getMessage());
    }

    @Test
    void onAPi5WhoseHeaderIsGpiochip4AFailureNamesThatChipByItsLabel() throws IOException {
        for (int i = 0; i <= 4; i++) {
            java.nio.file.Files.createFile(devRoot.resolve("gpiochip" + i));
        }
        try (MockBoard pi5 = new MockBoard(io.sensorcast.sensor.sysfs.Fixtures.tree("sysfs/pi5-gpiochip4"), devRoot)) {
            pi5.failCreate(new IllegalStateException("Device or resource busy"));
            DigitalInput input = new DigitalInput(pi5.board, "button", 17, Pull.UP, DEBOUNCE, Duration.ofSeconds(1), clock);
            IOException e = assertThrows(IOException.class, input::open);
            assertEquals("button: cannot use GPIO 17 (BCM) on gpiochip4 [pinctrl-rp1]: Device or resource busy; another "
                    + "program or a kernel driver (I2C, SPI, 1-Wire, UART) may hold it (gpioinfo lists the lines in use)",
                    e.getMessage());
            input.close();
        }
    }

    @Test
    void oneChannelNamedStateWithoutUnit() {
        assertEquals(List.of(new ChannelInfo("door.state", "door", "")), door.channels());
    }

    @Test
    void rejectsPinsOffTheHeaderAndNegativeDebounce() {
        Duration s = Duration.ofSeconds(1);
        assertThrows(IllegalArgumentException.class, () -> new DigitalInput(mock.board, "d", 28, Pull.UP, DEBOUNCE, s));
        assertThrows(IllegalArgumentException.class, () -> new DigitalInput(mock.board, "d", -1, Pull.UP, DEBOUNCE, s));
        assertThrows(IllegalArgumentException.class,
                () -> new DigitalInput(mock.board, "d", 4, Pull.UP, Duration.ofMillis(-1), s));
    }
}

package io.sensorcast.sensor.pi4j;

import static io.sensorcast.sensor.pi4j.Bme280Datasheet.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.pi4j.io.spi.SpiMode;
import com.pi4j.plugin.mock.provider.spi.MockSpi;
import io.sensorcast.hub.ChannelInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver against Pi4J's mock SPI, which answers each transfer with bytes queued beforehand. */
class Mcp3008Test {

    private static final double VREF = 3.3;

    @TempDir
    Path devRoot;

    private MockBoard mock;
    private Mcp3008 adc;

    @BeforeEach
    void setUp() {
        mock = new MockBoard(devRoot);
    }

    @AfterEach
    void tearDown() {
        if (adc != null) {
            adc.close();
        }
        mock.close();
    }

    private MockSpi openOn(List<Integer> inputs) throws IOException {
        adc = new Mcp3008(mock.board, "soil", 0, 0, inputs, VREF, Duration.ofSeconds(1));
        adc.open();
        return mock.io("soil", MockSpi.class);
    }

    /** What the chip shifts out for {@code code} (datasheet Figure 6-1): ?, null bit 0 then B9 B8, B7..B0. */
    private static byte[] reply(int code) {
        return bytes(0x00, code >> 8 & 0x03, code & 0xFF);
    }

    @Test
    void fullScaleIsVrefTimes1023Over1024AndMidScaleIsHalfVref() throws Exception {
        MockSpi spi = openOn(List.of(0, 1));
        spi.write(reply(1023));
        spi.write(reply(512));
        double[] values = new double[2];
        adc.read(values);
        assertEquals(VREF * 1023 / 1024, values[0], 1e-12);
        assertEquals(VREF / 2, values[1], 1e-12);
    }

    @Test
    void sendsStartBitThenSingleEndedAndTheInputThenADontCareByte() throws Exception {
        MockSpi spi = openOn(List.of(0, 5, 7));
        for (int i = 0; i < 3; i++) {
            spi.write(reply(0));
        }
        adc.read(new double[3]);
        assertArrayEquals(bytes(0x01, 0x80, 0x00, 0x01, 0xD0, 0x00, 0x01, 0xF0, 0x00), spi.readEntireMockBuffer());
    }

    @Test
    void takesTheResultFromTheLowTwoBitsOfTheSecondByteAndTheThird() throws Exception {
        MockSpi spi = openOn(List.of(3));
        // Both replies are queued first: the mock queues each transfer's sent bytes behind them.
        spi.write(bytes(0xFF, 0xFA, 0x5C)); // bits above the null bit are undefined (? in Figure 6-1): ignored
        spi.write(bytes(0x00, 0x02, 0x5C));
        double[] first = new double[1];
        double[] second = new double[1];
        adc.read(first);
        adc.read(second);
        assertEquals(0x25C * VREF / 1024, first[0], 1e-12);
        assertEquals(0x25C * VREF / 1024, second[0], 1e-12);
    }

    @Test
    void aLineNobodyDrivesIsReportedAsNoAnswer() throws Exception {
        MockSpi spi = openOn(List.of(0));
        spi.write(bytes(0xFF, 0xFF, 0xFF));
        IOException e = assertThrows(IOException.class, () -> adc.read(new double[1]));
        assertEquals("MCP3008 on /dev/spidev0.0 does not answer (reply ff ff ff, null bit not 0): check the wiring "
                + "(DOUT to MISO, CS to CE0) and the chip's supply", e.getMessage());
    }

    @Test
    void usesSpiMode0AtOneMegahertzWithoutFlags() throws Exception {
        MockSpi spi = openOn(List.of(0));
        assertEquals(SpiMode.MODE_0, spi.config().mode());
        assertEquals(1_000_000, spi.config().baud());
        // Pi4J 2.8.0's linuxfs SPI refuses to open with any flags set ("Unsupported SPI Pi5 parameter flags").
        assertNull(spi.config().flags());
    }

    @Test
    void aMissingSpiDeviceSaysToEnableSpi() {
        mock.failCreate(new RuntimeException("Failed to open SPI device /dev/spidev0.1"));
        adc = new Mcp3008(mock.board, "soil", 0, 1, List.of(0), VREF, Duration.ofSeconds(1));
        IOException e = assertThrows(IOException.class, adc::open);
        assertEquals("soil: MCP3008 on /dev/spidev0.1: no " + devRoot.resolve("spidev0.1") + ": enable SPI (sudo raspi-config, "
                + "Interface Options, SPI; or dtparam=spi=on in /boot/firmware/config.txt) and reboot", e.getMessage());
    }

    @Test
    void aDeviceThatExistsButFailsToOpenGivesPi4jsReason() throws Exception {
        Files.createFile(devRoot.resolve("spidev0.0"));
        mock.failCreate(new RuntimeException("Failed to open SPI device /dev/spidev0.0"));
        adc = new Mcp3008(mock.board, "soil", 0, 0, List.of(0), VREF, Duration.ofSeconds(1));
        IOException e = assertThrows(IOException.class, adc::open);
        assertEquals("soil: MCP3008 on /dev/spidev0.0: cannot open " + devRoot.resolve("spidev0.0")
                + ": Failed to open SPI device /dev/spidev0.0", e.getMessage());
    }

    @Test
    void closeReleasesTheDeviceAndOpenTakesItAgain() throws Exception {
        openOn(List.of(0));
        adc.close();
        adc.close();
        assertFalse(mock.exists("soil"));
        adc.open();
        MockSpi spi = mock.io("soil", MockSpi.class);
        spi.write(reply(512));
        double[] values = new double[1];
        adc.read(values);
        assertEquals(VREF / 2, values[0], 1e-12);
    }

    @Test
    void oneChannelPerInputInVolts() {
        adc = new Mcp3008(mock.board, "soil", 0, 0, List.of(2, 6), VREF, Duration.ofSeconds(1));
        assertEquals(List.of(new ChannelInfo("soil.ch2", "soil CH2", "V"), new ChannelInfo("soil.ch6", "soil CH6", "V")),
                adc.channels());
    }

    @Test
    void rejectsInputsChipSelectsAndReferencesTheChipDoesNotHave() {
        Duration s = Duration.ofSeconds(1);
        assertThrows(IllegalArgumentException.class, () -> new Mcp3008(mock.board, "a", 0, 0, List.of(8), VREF, s));
        assertThrows(IllegalArgumentException.class, () -> new Mcp3008(mock.board, "a", 0, 0, List.of(-1), VREF, s));
        assertThrows(IllegalArgumentException.class, () -> new Mcp3008(mock.board, "a", 0, 0, List.of(1, 1), VREF, s));
        assertThrows(IllegalArgumentException.class, () -> new Mcp3008(mock.board, "a", 0, 0, List.of(), VREF, s));
        assertThrows(IllegalArgumentException.class, () -> new Mcp3008(mock.board, "a", 0, 3, List.of(0), VREF, s));
        assertThrows(IllegalArgumentException.class, () -> new Mcp3008(mock.board, "a", 0, 0, List.of(0), 0, s));
        assertThrows(IllegalArgumentException.class, () -> new Mcp3008(mock.board, "a", 0, 0, List.of(0), 6, s));
    }
}

package io.sensorcast.sensor.pi4j;

import com.pi4j.context.Context;
import com.pi4j.io.spi.Spi;
import com.pi4j.io.spi.SpiBus;
import com.pi4j.io.spi.SpiChipSelect;
import com.pi4j.io.spi.SpiMode;
import io.sensorcast.hub.ChannelInfo;
import io.sensorcast.sensor.Sensor;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * A Microchip MCP3008, the 10-bit 8-channel ADC, on SPI: each configured input (single-ended,
 * 0..7) is a channel in volts. One device owns the chip, so that two inputs of the same chip share
 * one SPI handle (Pi4J allows one per chip select).
 *
 * <p>References are to the MCP3004/3008 datasheet, DS21295.
 */
public final class Mcp3008 implements Sensor {

    /**
     * Section 1.0, electrical characteristics: f_CLK is at most 1.35 MHz at VDD = 2.7 V (3.6 MHz
     * at 5 V). 1 MHz is within both, for a chip powered from the Pi's 3.3 V.
     */
    static final int BAUD = 1_000_000;
    /** The chip's reference voltage is at most its supply, and the supply at most 5.5 V (section 1.0). */
    private static final double MAX_VREF = 5.5;

    private final Pi4jBoard board;
    private final String id;
    private final int bus;
    private final int chipSelect;
    private final int[] inputs;
    private final double vref;
    private final Duration interval;
    private final List<ChannelInfo> channels;

    private final byte[] tx = new byte[3];
    private final byte[] rx = new byte[3];

    private Context context;
    private Spi spi;

    /**
     * @param board      the Pi4J board (one per program)
     * @param id         device id, the channels' prefix ("soil" gives "soil.ch0")
     * @param bus        the SPI bus, B in /dev/spidevB.C (0 on the header's pins 19, 21, 23)
     * @param chipSelect the chip select, C in /dev/spidevB.C (0 for CE0 on pin 24, 1 for CE1 on pin 26)
     * @param inputs     the single-ended inputs to read, CH0..CH7, in channel order
     * @param vref       the voltage on the VREF pin, in volts (3.3 when tied to the Pi's 3.3 V)
     * @param interval   how often to read
     */
    public Mcp3008(Pi4jBoard board, String id, int bus, int chipSelect, List<Integer> inputs, double vref, Duration interval) {
        if (bus < 0 || bus >= SpiBus.values().length) {
            throw new IllegalArgumentException(id + ": SPI bus must be 0 to " + (SpiBus.values().length - 1) + ", was " + bus);
        }
        if (chipSelect < 0 || chipSelect >= SpiChipSelect.values().length) {
            throw new IllegalArgumentException(id + ": SPI chip select must be 0 to " + (SpiChipSelect.values().length - 1)
                    + ", was " + chipSelect);
        }
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException(id + ": give at least one MCP3008 input (0 to 7)");
        }
        if (!(vref > 0 && vref <= MAX_VREF)) {
            throw new IllegalArgumentException(id + ": reference voltage must be above 0 and at most " + MAX_VREF + " V, was " + vref);
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException(id + ": interval must be positive, was " + interval);
        }
        this.inputs = new int[inputs.size()];
        List<ChannelInfo> list = new ArrayList<>();
        for (int i = 0; i < this.inputs.length; i++) {
            int input = inputs.get(i);
            if (input < 0 || input > 7) {
                throw new IllegalArgumentException(id + ": the MCP3008 has inputs 0 to 7, not " + input);
            }
            if (inputs.subList(0, i).contains(input)) {
                throw new IllegalArgumentException(id + ": input " + input + " is listed twice");
            }
            this.inputs[i] = input;
            list.add(new ChannelInfo(id + ".ch" + input, id + " CH" + input, "V"));
        }
        this.board = board;
        this.id = id;
        this.bus = bus;
        this.chipSelect = chipSelect;
        this.vref = vref;
        this.interval = interval;
        this.channels = List.copyOf(list);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public List<ChannelInfo> channels() {
        return channels;
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public void open() throws IOException {
        close();
        Context ctx = board.context(Peripheral.SPI);
        try {
            // Section 6.1: the chip works in SPI modes 0,0 and 1,1; mode 0 it is.
            spi = ctx.create(Spi.newConfigBuilder(ctx).id(id).name("MCP3008 on " + device())
                    .bus(SpiBus.getByNumber(bus)).chipSelect(SpiChipSelect.getByNumber(chipSelect))
                    .mode(SpiMode.MODE_0).baud(BAUD).build());
        } catch (RuntimeException | LinkageError e) {
            throw new IOException(id + ": MCP3008 on " + device() + ": "
                    + DeviceAdvice.cannotOpen(Peripheral.SPI, board.devRoot().resolve("spidev" + bus + "." + chipSelect), e), e);
        }
        context = ctx;
    }

    @Override
    public void read(double[] values) throws IOException {
        if (spi == null) {
            open();
        }
        for (int i = 0; i < inputs.length; i++) {
            values[i] = volts(convert(inputs[i]), vref);
        }
    }

    /** One conversion of a single-ended input: the raw 10-bit code, 0..1023. */
    int convert(int input) throws IOException {
        // Section 6.1, Figure 6-1 (three 8-bit transfers): the start bit alone in the first byte;
        // SGL/DIFF = 1 (single-ended) and D2..D0 = the input in the top nibble of the second;
        // the third is don't-care and clocks out the low bits.
        tx[0] = 0x01;
        tx[1] = (byte) (0x80 | input << 4);
        tx[2] = 0x00;
        rx[0] = rx[1] = rx[2] = 0;
        int n;
        try {
            n = spi.transfer(tx, 0, rx, 0, 3);
        } catch (RuntimeException e) {
            throw new IOException("MCP3008 on " + device() + ": SPI transfer failed (" + DeviceAdvice.rootMessage(e) + ")", e);
        }
        if (n < 0) {
            throw new IOException("MCP3008 on " + device() + ": SPI transfer failed");
        }
        // Figure 6-1: the second byte received is ? ? ? ? ? 0 B9 B8, the 0 being the null bit the
        // chip drives low before the result. A 1 there means nobody drove the line: no chip, or
        // MISO not connected (a floating or pulled-up line reads ff ff ff).
        if ((rx[1] & 0x04) != 0) {
            throw new IOException("MCP3008 on " + device() + " does not answer (reply " + HexFormat.ofDelimiter(" ").formatHex(rx)
                    + ", null bit not 0): check the wiring (DOUT to MISO, CS to CE" + chipSelect + ") and the chip's supply");
        }
        return (rx[1] & 0x03) << 8 | (rx[2] & 0xFF);
    }

    /** Section 4.0: code = 1024 * VIN / VREF, so VIN = code * VREF / 1024. */
    static double volts(int code, double vref) {
        return code * vref / 1024;
    }

    @Override
    public void close() {
        Spi open = spi;
        spi = null;
        if (open != null && context != null && !context.isShutdown()) {
            try {
                context.shutdown(open.id());
            } catch (RuntimeException e) {
                // Already released: nothing to do.
            }
        }
        context = null;
    }

    private String device() {
        return String.format(Locale.ROOT, "/dev/spidev%d.%d", bus, chipSelect);
    }
}

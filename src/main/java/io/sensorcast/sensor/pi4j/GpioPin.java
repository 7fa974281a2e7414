package io.sensorcast.sensor.pi4j;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.DigitalStateChangeListener;
import com.pi4j.io.gpio.digital.PullResistance;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One GPIO line as an input, through Pi4J: opening it with its bias, its level, its changes, and
 * messages that name the pin. What {@link io.sensorcast.sensor.pi4j.DigitalInput} and
 * {@link PulseCounter} have in common.
 *
 * <p>Pi4J's own debounce is turned off: the gpiod provider debounces by holding an edge back until
 * the line has been quiet for the debounce time, which delays every event, and the mock provider
 * does not debounce at all, so that it could not be tested. The drivers use {@link Debouncer}.
 */
final class GpioPin implements AutoCloseable {

    /** BCM numbers of the 40-pin header's GPIOs, the same on Pi 3, 4 and 5. */
    static final int MAX_HEADER_GPIO = 27;

    /** Changes of level, on Pi4J's thread. */
    @FunctionalInterface
    interface LevelListener {
        void level(boolean high);
    }

    private final Context context;
    private final DigitalInput input;
    private final int bcm;
    private DigitalStateChangeListener listener;

    private GpioPin(Context context, DigitalInput input, int bcm) {
        this.context = context;
        this.input = input;
        this.bcm = bcm;
    }

    static void checkPin(String id, int bcm) {
        if (bcm < 0 || bcm > MAX_HEADER_GPIO) {
            throw new IllegalArgumentException(id + ": GPIO must be a BCM number from 0 to " + MAX_HEADER_GPIO
                    + " (the 40-pin header), was " + bcm);
        }
    }

    /** Claims the line as an input named {@code ioId}; nothing is listened to yet. */
    static GpioPin open(Pi4jBoard board, String ioId, int bcm, Pull pull) throws IOException {
        String on = onHeader(GpioChips.find(board.sysfsRoot(), board.devRoot()), ioId, bcm);
        Context context = board.context(Peripheral.GPIO);
        DigitalInput input;
        try {
            input = context.create(DigitalInput.newConfigBuilder(context).id(ioId).name("GPIO " + bcm)
                    .address(bcm).pull(pullResistance(pull)).debounce(0L).build());
        } catch (RuntimeException | LinkageError e) {
            throw new IOException(ioId + ": cannot use GPIO " + bcm + " (BCM)" + on + ": " + advice(board, e), e);
        }
        return new GpioPin(context, input, bcm);
    }

    private static String advice(Pi4jBoard board, Throwable e) {
        if (DeviceAdvice.find(e, LinkageError.class) == null && !board.boardKnown()) {
            return DeviceAdvice.unknownBoard(e);
        }
        Path chip;
        try {
            chip = DeviceAdvice.gpioNode(board.sysfsRoot(), board.devRoot());
        } catch (IOException listing) {
            return DeviceAdvice.unlistedGpio(e, listing);
        }
        DeviceAdvice.Access access = DeviceAdvice.access(chip);
        return access == DeviceAdvice.Access.PRESENT && DeviceAdvice.find(e, LinkageError.class) == null
                ? DeviceAdvice.rootMessage(e) + "; another program or a kernel driver (I2C, SPI, 1-Wire, UART) may hold it "
                        + "(gpioinfo lists the lines in use)"
                : DeviceAdvice.cannotOpen(Peripheral.GPIO, chip, access, e);
    }

    /**
     * " on gpiochip4 [pinctrl-rp1]" when the header's chip is known by its label, "" when the labels
     * cannot be read. When they can, and Pi4J would not use the header's chip (none is there, or
     * another "pinctrl" chip comes first), the line is refused: a BCM number on another chip is
     * another pin.
     */
    static String onHeader(GpioChips chips, String ioId, int bcm) throws IOException {
        Optional<GpioChips.Chip> header = chips.header();
        if (!chips.labelsKnown()) {
            return header.map(c -> " on " + c).orElse("");
        }
        String cannot = ioId + ": cannot use GPIO " + bcm + " (BCM): ";
        if (header.isEmpty()) {
            throw new IOException(cannot + "no GPIO chip here drives the 40-pin header (its label would be one of "
                    + String.join(", ", GpioChips.HEADER_LABELS) + "); the chips are " + chips.describe()
                    + "; the gpio and counter devices are for a Raspberry Pi's header");
        }
        Optional<GpioChips.Chip> choice = chips.pi4jChoice();
        if (choice.isEmpty() || !choice.get().name().equals(header.get().name())) {
            throw new IOException(cannot + "the header's chip is " + header.get() + ", but Pi4J would use "
                    + choice.map(Object::toString).orElse("none") + " (the first chip whose label has \"pinctrl\")");
        }
        return " on " + header.get();
    }

    /**
     * Claims the line like {@link #open} and seeds {@code debouncer} with its level now, so that
     * edges count from the level at open; a line that cannot be read is released again.
     */
    static GpioPin openSeeded(Pi4jBoard board, String ioId, int bcm, Pull pull, Debouncer debouncer) throws IOException {
        GpioPin opened = open(board, ioId, bcm, pull);
        try {
            debouncer.seed(opened.isHigh());
        } catch (IOException e) {
            opened.close();
            throw e;
        }
        return opened;
    }

    /** The line's level now. */
    boolean isHigh() throws IOException {
        DigitalState state;
        try {
            state = input.state();
        } catch (RuntimeException e) {
            throw new IOException("reading GPIO " + bcm + " (BCM) failed: " + DeviceAdvice.rootMessage(e), e);
        }
        if (state == DigitalState.HIGH) {
            return true;
        }
        if (state == DigitalState.LOW) {
            return false;
        }
        throw new IOException("GPIO " + bcm + " (BCM) reads " + state);
    }

    /** Calls {@code listener} with each change of level Pi4J sees, from Pi4J's thread. */
    void listen(LevelListener levels) {
        listener = event -> {
            DigitalState state = event.state();
            if (state == DigitalState.HIGH || state == DigitalState.LOW) {
                levels.level(state == DigitalState.HIGH);
            }
        };
        input.addListener(listener);
    }

    /** Stops the callbacks and releases the line; safe to call twice. */
    @Override
    public void close() {
        // Callbacks stop before the line is released. Pi4J's shutdown of the input clears its
        // listeners too (DigitalBase.shutdown), so no test can tell; this does not rely on it.
        if (listener != null) {
            input.removeListener(listener);
            listener = null;
        }
        if (!context.isShutdown()) {
            try {
                context.shutdown(input.id());
            } catch (RuntimeException e) {
                // Already released.
            }
        }
    }

    private static PullResistance pullResistance(Pull pull) {
        switch (pull) {
            case UP:
                return PullResistance.PULL_UP;
            case DOWN:
                return PullResistance.PULL_DOWN;
            default:
                return PullResistance.OFF;
        }
    }
}

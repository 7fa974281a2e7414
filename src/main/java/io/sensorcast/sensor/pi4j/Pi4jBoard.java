package io.sensorcast.sensor.pi4j;

import com.pi4j.Pi4J;
import com.pi4j.boardinfo.util.BoardInfoHelper;
import com.pi4j.context.Context;
import com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalInputProvider;
import com.pi4j.plugin.linuxfs.provider.i2c.LinuxFsI2CProvider;
import com.pi4j.plugin.linuxfs.provider.spi.LinuxFsSpiProvider;
import com.pi4j.provider.Provider;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.tinylog.Logger;

/**
 * Where the Pi4J drivers get their Pi4J context: the one class that chooses Pi4J providers.
 *
 * <p>Providers are named, never auto-detected: gpiod for digital input (the GPIO character device,
 * which Pi 3, 4 and 5 all have), linuxfs for I2C ({@code /dev/i2c-N}) and SPI
 * ({@code /dev/spidevB.C}). Neither needs root: a user in the groups gpio, i2c and spi will do.
 * (Auto-detection would also load whatever plugin is on the class path, the mock one included, and
 * on a Pi 5 may pick a provider that does not work there.)
 *
 * <p>Each peripheral gets its own context, built when the first device of that kind opens. Pi4J
 * fails a whole context when one provider fails to start, and the gpiod provider fails without
 * access to /dev/gpiochip*; separate contexts keep a BME280 working for a user who is in group i2c
 * but not gpio, and turn the failure into that device's error (retried on its next open), not a
 * failure of the program. Building a context starts no thread.
 *
 * <p>Create one per program, pass it to every Pi4J driver, and close it after the sensor threads
 * have stopped.
 */
public final class Pi4jBoard implements AutoCloseable {

    private final Function<Peripheral, Context> builder;
    private final Path sysfsRoot;
    private final Path devRoot;
    private final BooleanSupplier boardKnown;
    private final Map<Peripheral, Context> contexts = new EnumMap<>(Peripheral.class);
    private boolean closed;

    /** A board whose GPIO chips' labels are unknown (no sysfs): the advice names the first chip. */
    Pi4jBoard(Function<Peripheral, Context> builder, Path devRoot) {
        this(builder, null, devRoot);
    }

    /**
     * @param sysfsRoot where the GPIO chips' labels are read ({@link GpioChips}), or null when unknown
     * @param devRoot   where the device nodes are looked up for the advice
     */
    Pi4jBoard(Function<Peripheral, Context> builder, Path sysfsRoot, Path devRoot) {
        this(builder, sysfsRoot, devRoot, () -> true);
    }

    /**
     * @param boardKnown whether Pi4J recognises the board: its gpiod provider does nothing on a
     *                   board it does not know, and GPIO then fails with a message about chips
     */
    Pi4jBoard(Function<Peripheral, Context> builder, Path sysfsRoot, Path devRoot, BooleanSupplier boardKnown) {
        this.builder = builder;
        this.sysfsRoot = sysfsRoot;
        this.devRoot = devRoot;
        this.boardKnown = boardKnown;
    }

    /**
     * The real board; touches nothing until a device opens. Pi4J opens /dev whatever paths.dev
     * says, and reads no sysfs, so the chips it will use are the real ones under /sys and /dev.
     */
    public static Pi4jBoard raspberryPi() {
        // Pi4J goes by /proc/cpuinfo's Revision, then /proc/device-tree/model (BoardInfoHelper),
        // read once, only when a GPIO failure asks.
        return new Pi4jBoard(Pi4jBoard::newContext, Path.of("/sys"), Path.of("/dev"), BoardInfoHelper::runningOnRaspberryPi);
    }

    /**
     * A board whose devices all live in one given context (tests use Pi4J's mock platform), with
     * device nodes looked up under {@code devRoot} for the error advice. Closing the board shuts
     * the context down.
     */
    static Pi4jBoard sharing(Context context, Path devRoot) {
        return new Pi4jBoard(peripheral -> context, devRoot);
    }

    /** As {@link #sharing(Context, Path)}, with the GPIO chips' labels read under {@code sysfsRoot}. */
    static Pi4jBoard sharing(Context context, Path sysfsRoot, Path devRoot) {
        return new Pi4jBoard(peripheral -> context, sysfsRoot, devRoot);
    }

    /** A context holding exactly the production provider for {@code peripheral}. */
    static Context newContext(Peripheral peripheral) {
        Provider<?, ?, ?> provider;
        switch (peripheral) {
            case GPIO:
                provider = GpioDDigitalInputProvider.newInstance();
                break;
            case I2C:
                provider = LinuxFsI2CProvider.newInstance();
                break;
            default:
                provider = LinuxFsSpiProvider.newInstance();
                break;
        }
        return Pi4J.newContextBuilder()
                .noAutoDetect()
                // The program stops its sensor threads and then closes the board; a hook of
                // Pi4J's own would race with threads that are still reading.
                .disableShutdownHook()
                .add(provider)
                .build();
    }

    /** The context for {@code peripheral}, built on first use. */
    synchronized Context context(Peripheral peripheral) throws IOException {
        if (closed) {
            throw new IOException("Pi4J is shut down");
        }
        Context context = contexts.get(peripheral);
        if (context == null) {
            try {
                context = builder.apply(peripheral);
            } catch (RuntimeException | LinkageError e) {
                throw new IOException(startFailure(peripheral, e), e);
            }
            contexts.put(peripheral, context);
        }
        return context;
    }

    /** Whether Pi4J recognises this board as a Raspberry Pi, which its GPIO provider needs. */
    boolean boardKnown() {
        return boardKnown.getAsBoolean();
    }

    /** Where the device nodes are: /dev, or a test's directory. */
    Path devRoot() {
        return devRoot;
    }

    /** Where sysfs is (for the GPIO chips' labels), or null when unknown. */
    Path sysfsRoot() {
        return sysfsRoot;
    }

    private String startFailure(Peripheral peripheral, Throwable e) {
        if (peripheral == Peripheral.GPIO) {
            // The gpiod provider opens the GPIO chips as it starts.
            if (DeviceAdvice.find(e, LinkageError.class) == null && !boardKnown()) {
                return "cannot start GPIO: " + DeviceAdvice.unknownBoard(e);
            }
            try {
                return "cannot start GPIO: " + DeviceAdvice.cannotOpen(peripheral, DeviceAdvice.gpioNode(sysfsRoot, devRoot), e);
            } catch (IOException listing) {
                return "cannot start GPIO: " + DeviceAdvice.unlistedGpio(e, listing);
            }
        }
        if (DeviceAdvice.find(e, LinkageError.class) != null) {
            return DeviceAdvice.nativeAdvice(e);
        }
        return "cannot start Pi4J for " + peripheral + ": " + DeviceAdvice.rootMessage(e);
    }

    /** Shuts the contexts down, releasing every device still open; safe to call twice. */
    @Override
    public synchronized void close() {
        closed = true;
        Set<Context> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        distinct.addAll(contexts.values());
        contexts.clear();
        for (Context context : distinct) {
            try {
                context.shutdown();
            } catch (RuntimeException e) {
                Logger.tag("pi4j").warn("shutting Pi4J down: {}", DeviceAdvice.rootMessage(e));
            }
        }
    }
}

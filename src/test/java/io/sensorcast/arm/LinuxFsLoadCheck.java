package io.sensorcast.arm;

import com.pi4j.library.linuxfs.LinuxFile;
import java.lang.reflect.Method;

/**
 * For .ci/arm, run by the emulated ARM JVM on the jar's class path: loads Pi4J's linuxfs native
 * library (the I2C and SPI providers' ioctl code, lib/aarch64 or lib/armhf in the jar) as
 * {@link LinuxFile}'s class initialisation does, and calls into it (its strerror, through
 * reflection: the method is protected). The server alone cannot show this under qemu-user: the providers load it only once a
 * /dev/i2c-N or /dev/spidevB.C exists, and qemu's -L root cannot stand in one (it maps directory
 * listings there, but not stat or access).
 *
 * <p>Prints what the native strerror(2) says; exit 0 when it loaded and answered, 1 when not.
 */
public final class LinuxFsLoadCheck {

    private LinuxFsLoadCheck() {}

    public static void main(String[] args) {
        try {
            Method strerror = LinuxFile.class.getDeclaredMethod("strerror", int.class);
            strerror.setAccessible(true);
            String text = (String) strerror.invoke(null, 2);
            System.out.println("libpi4j-linuxfs loaded on " + System.getProperty("os.arch") + ": strerror(2) = " + text);
            System.exit(text != null && !text.isBlank() ? 0 : 1);
        } catch (Throwable t) {
            System.out.println("libpi4j-linuxfs did not load on " + System.getProperty("os.arch") + ": " + t);
            System.exit(1);
        }
    }
}

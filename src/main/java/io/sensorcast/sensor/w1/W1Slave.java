package io.sensorcast.sensor.w1;

import io.sensorcast.sensor.sysfs.SysfsFiles;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The text of a w1_therm device's {@code w1_slave} file (Documentation/w1/slaves/w1_therm.rst;
 * w1_slave_show() in drivers/w1/slaves/w1_therm.c):
 *
 * <pre>72 01 4b 46 7f ff 0e 10 57 : crc=57 YES
 *72 01 4b 46 7f ff 0e 10 57 t=23125</pre>
 *
 * Line 1: the nine scratchpad bytes just read, the CRC the kernel computed over the first eight,
 * and whether it matched the ninth. Line 2: the bytes the kernel retained (the last ones whose CRC
 * matched) and the temperature in millidegrees Celsius, computed from the bytes of line 1 even when
 * their CRC failed, which is why the verdict must be checked before t= is believed. A read that
 * failed on the bus gives an empty file.
 */
final class W1Slave {

    private W1Slave() {}

    /** The temperature in millidegrees, after the CRC verdict and the scratchpad are checked. */
    static long parse(String text, Path file) throws IOException {
        String[] lines = text.strip().split("\n");
        if (lines.length == 1 && lines[0].isBlank()) {
            throw new IOException(file + " is empty: the sensor did not answer on the 1-Wire bus");
        }
        if (lines.length < 2) {
            throw new IOException(file + " holds '" + SysfsFiles.excerpt(text.strip()) + "', expected two lines (crc=... and t=...)");
        }
        String first = lines[0].strip();
        int crcAt = first.indexOf(": crc=");
        if (crcAt < 0) {
            throw new IOException(file + " holds '" + SysfsFiles.excerpt(first) + "' where the crc line should be");
        }
        String verdict = first.substring(first.lastIndexOf(' ') + 1);
        if (verdict.equals("NO")) {
            throw new IOException(file + ": CRC check failed (" + SysfsFiles.excerpt(first) + "): noise on the 1-Wire bus?");
        }
        if (!verdict.equals("YES")) {
            throw new IOException(file + " holds '" + SysfsFiles.excerpt(first) + "', expected the crc line to end in YES or NO");
        }
        String[] bytes = first.substring(0, crcAt).trim().split("\\s+");
        if (bytes.length != 9) {
            throw new IOException(file + ": the crc line has " + bytes.length + " bytes, expected 9 scratchpad bytes");
        }
        // Nine zero bytes pass the CRC (the CRC of zeros is zero) but no DS18B20 sends them: the
        // configuration byte (4) always reads bits 0-4 as 1 and reserved byte 7 reads 10h (DS18B20
        // datasheet, memory map and configuration register). It is what a bus held low looks like.
        boolean allZero = true;
        for (String b : bytes) {
            allZero &= b.equals("00");
        }
        if (allZero) {
            throw new IOException(file + ": the scratchpad reads all zeros: no sensor answering (data line shorted to ground?)");
        }
        String second = lines[1].strip();
        int t = second.lastIndexOf("t=");
        if (t < 0) {
            throw new IOException(file + " holds '" + SysfsFiles.excerpt(second) + "' where the t= line should be");
        }
        try {
            return Long.parseLong(second.substring(t + 2));
        } catch (NumberFormatException e) {
            throw new IOException(file + " holds '" + SysfsFiles.excerpt(second) + "', expected t= and millidegrees");
        }
    }
}

package io.sensorcast.sensor.sysfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SysfsFilesTest {

    @TempDir
    Path dir;

    @Test
    void readsAnIntegerAttributeWithItsTrailingNewline() throws IOException {
        // sysfs/pi4 class/hwmon/hwmon0/temp1_input holds "48686\n"
        assertEquals(48686.0, SysfsFiles.readNumber(Fixtures.tree("sysfs/pi4").resolve("class/hwmon/hwmon0/temp1_input")));
    }

    @Test
    void readsIioFixedPoint() throws IOException {
        // in_pressure_input holds "100.934882812\n" (IIO_VAL_FRACTIONAL printed as %d.%09u)
        Path f = Fixtures.tree("sysfs/pi4").resolve("bus/iio/devices/iio:device0/in_pressure_input");
        assertEquals(100.934882812, SysfsFiles.readNumber(f), 1e-12);
    }

    @Test
    void readsNegativeNumbers() throws IOException {
        assertEquals(-10125.0, SysfsFiles.readNumber(Fixtures.write(dir.resolve("t"), "-10125\n")));
    }

    @Test
    void anEmptyFileIsAnErrorNamingTheFile() throws IOException {
        Path f = Fixtures.write(dir.resolve("temp1_input"), "\n");
        IOException e = assertThrows(IOException.class, () -> SysfsFiles.readNumber(f));
        assertEquals(f + " is empty, expected a number", e.getMessage());
    }

    @Test
    void garbageIsAnErrorQuotingTheContent() throws IOException {
        Path f = Fixtures.write(dir.resolve("temp1_input"), "hot\n");
        IOException e = assertThrows(IOException.class, () -> SysfsFiles.readNumber(f));
        assertEquals(f + " holds 'hot', not a number", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"NaN", "Infinity", "-Infinity", "1d", "0x1p3", "12 34", "1,5"})
    void refusesWhatParseDoubleWouldAcceptButTheKernelNeverPrints(String text) throws IOException {
        Path f = Fixtures.write(dir.resolve("in_temp_input"), text + "\n");
        IOException e = assertThrows(IOException.class, () -> SysfsFiles.readNumber(f));
        assertEquals(f + " holds '" + text + "', not a number", e.getMessage());
    }

    @Test
    void aMissingFileSaysSo() {
        Path f = dir.resolve("gone/temp1_input");
        IOException e = assertThrows(IOException.class, () -> SysfsFiles.readNumber(f));
        assertEquals("cannot read " + f + ": no such file", e.getMessage());
    }

    @Test
    void aFileThatMayNotBeReadSaysPermissionDenied() throws IOException {
        Path f = Fixtures.unreadable(dir.resolve("in_temp_raw"));
        IOException e = assertThrows(IOException.class, () -> SysfsFiles.readNumber(f));
        assertEquals("cannot read " + f + ": permission denied", e.getMessage());
    }

    @Test
    void eioFromTheKernelIsReportedWithTheFile() throws IOException {
        // What reading a hwmon/IIO attribute gives when the chip stopped answering on the bus.
        Path f = Fixtures.failingWithEio(dir.resolve("temp1_input"));
        IOException e = assertThrows(IOException.class, () -> SysfsFiles.readNumber(f));
        assertEquals("cannot read " + f + ": Input/output error", e.getMessage());
    }

    @Test
    void aFileFarLargerThanAnAttributeIsRefused() throws IOException {
        Path f = Fixtures.write(dir.resolve("huge"), "1".repeat(SysfsFiles.MAX_ATTRIBUTE_BYTES + 1));
        IOException e = assertThrows(IOException.class, () -> SysfsFiles.readNumber(f));
        assertEquals(f + " is larger than 65536 bytes, not a sensor attribute", e.getMessage());
    }

    @Test
    void aPathToAnEndlessDeviceIsRefusedInsteadOfFillingTheHeap() throws IOException {
        java.nio.file.Path zero = java.nio.file.Path.of("/dev/zero");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isReadable(zero));
        Path f = java.nio.file.Files.createSymbolicLink(dir.resolve("in_temp_input"), zero);
        IOException e = assertThrows(IOException.class, () -> SysfsFiles.readNumber(f));
        assertEquals(f + " is larger than 65536 bytes, not a sensor attribute", e.getMessage());
    }

    @Test
    void controlCharactersAndLongContentAreShortenedInMessages() throws IOException {
        Path f = Fixtures.write(dir.resolve("x"), "a\u0001b" + "c".repeat(60));
        IOException e = assertThrows(IOException.class, () -> SysfsFiles.readNumber(f));
        assertTrue(e.getMessage().contains("'a?b" + "c".repeat(37) + "...'"), e.getMessage());
    }
}

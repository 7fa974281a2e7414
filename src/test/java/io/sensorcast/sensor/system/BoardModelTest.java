package io.sensorcast.sensor.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.sensorcast.sensor.sysfs.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The board's model from the device tree's NUL-terminated string, with the fall-backs a Pi kernel offers. */
class BoardModelTest {

    @TempDir
    Path tmp;

    @Test
    void aPi4AndAPi5SayTheirModelWithoutTheTrailingNul() {
        Path none = tmp.resolve("sys");
        assertEquals("Raspberry Pi 4 Model B Rev 1.4", BoardModel.of(Fixtures.tree("procfs/pi4"), none));
        BoardModel.Found pi5 = BoardModel.find(Fixtures.tree("procfs/pi5"), none).orElseThrow();
        assertEquals("Raspberry Pi 5 Model B Rev 1.0", pi5.model());
        assertEquals(Fixtures.tree("procfs/pi5").resolve("device-tree/model"), pi5.source());
    }

    @Test
    void withoutProcDeviceTreeTheFirmwaresDeviceTreeInSysfsIsRead() throws IOException {
        Path sys = tmp.resolve("sys");
        Files.createDirectories(sys.resolve("firmware/devicetree/base"));
        Files.write(sys.resolve("firmware/devicetree/base/model"), "Raspberry Pi Zero 2 W Rev 1.0\0".getBytes());
        assertEquals("Raspberry Pi Zero 2 W Rev 1.0", BoardModel.of(tmp.resolve("proc"), sys));
    }

    @Test
    void withoutADeviceTreeTheModelLineOfCpuinfoIsRead() throws IOException {
        Fixtures.write(tmp.resolve("proc/cpuinfo"), "processor\t: 0\nBogoMIPS\t: 108.00\n\nRevision\t: c03114\n"
                + "Model\t\t: Raspberry Pi 4 Model B Rev 1.4\n");
        assertEquals("Raspberry Pi 4 Model B Rev 1.4", BoardModel.of(tmp.resolve("proc"), tmp.resolve("sys")));
    }

    @Test
    void aMachineWithoutAnyOfThemHasNoModel() throws IOException {
        Fixtures.write(tmp.resolve("proc/cpuinfo"), "processor\t: 0\nmodel name\t: Intel(R) Xeon(R)\n");
        assertNull(BoardModel.of(tmp.resolve("proc"), tmp.resolve("sys")));
        assertNull(BoardModel.of(tmp.resolve("nothing"), tmp.resolve("nothing")));
    }

    @Test
    void controlCharactersAreDroppedAndAnEmptyModelIsNone() throws IOException {
        Path model = tmp.resolve("proc/device-tree/model");
        Files.createDirectories(model.getParent());
        Files.write(model, "Board\u001b[31m X\n\0junk after the NUL".getBytes());
        assertEquals("Board[31m X", BoardModel.deviceTreeString(model));
        Files.write(model, new byte[] {0});
        assertNull(BoardModel.deviceTreeString(model));
    }
}

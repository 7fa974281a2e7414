package io.sensorcast.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class MachineLoadTest {

    @Test
    void stolenTimeIsItsOwnFigureAndNotBusyTime() {
        // user nice system idle iowait irq softirq steal guest guest_nice, in jiffies
        MachineLoad a = MachineLoad.parse(List.of(
                "cpu  300 0 100 1600 0 0 0 0 0 0",
                "cpu0 200 0 50 700 0 0 0 0 0 0",
                "cpu1 100 0 50 900 0 0 0 0 0 0",
                "intr 12345"), "0.50 0.40 0.30 1/100 42\n");
        MachineLoad b = MachineLoad.parse(List.of(
                "cpu  410 0 100 1910 10 0 10 50 0 0",
                "cpu0 260 0 70 760 10 0 10 40 0 0",  // 200 jiffies: 90 busy, 40 stolen, 70 idle or waiting
                "cpu1 150 0 30 1150 0 0 0 10 0 0",   // 290 jiffies: 30 busy, 10 stolen
                "intr 12399"), "1.25 0.40 0.30 1/100 42\n");

        assertEquals(2, b.busy().length, "cpu0 and cpu1, not the total line");
        assertEquals(1.25, b.loadAverage());
        assertArrayEquals(new double[] {45.0, 100.0 * 30 / 290}, MachineLoad.busyPercent(a, b), 1e-9);
        assertArrayEquals(new double[] {20.0, 100.0 * 10 / 290}, MachineLoad.stealPercent(a, b), 1e-9);
    }
}

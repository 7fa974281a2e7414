package io.sensorcast.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessSnapshotTest {

    private static ProcessSnapshot snapshot(Map<Long, Long> switches, Map<Long, String> names) {
        return snapshot(switches, Map.of(), names);
    }

    private static ProcessSnapshot snapshot(Map<Long, Long> switches, Map<Long, Long> wakeups, Map<Long, String> names) {
        return new ProcessSnapshot(0, 0, 0, 0, names.size(), 0, switches, wakeups, names, Map.of());
    }

    @Test
    void switchesOfAWindowCountPerThreadNotPerName() {
        // Two threads named "java"; a compiler thread that ends in the window and another that starts.
        ProcessSnapshot a = snapshot(Map.of(1L, 10L, 2L, 100L, 3L, 500L),
                Map.of(1L, "java", 2L, "java", 3L, "C2 CompilerThre"));
        ProcessSnapshot b = snapshot(Map.of(1L, 15L, 2L, 100L, 4L, 7L),
                Map.of(1L, "java", 2L, "java", 4L, "C2 CompilerThre"));
        Map<String, Long> d = ProcessSnapshot.switchesBetween(a, b);
        assertEquals(Map.of("java", 5L, "C2 CompilerThre", 7L), d);
        assertTrue(d.values().stream().allMatch(n -> n >= 0), d.toString());
    }

    @Test
    void wakeupsAreTheVoluntarySwitchesOnly() {
        Map<Long, String> names = Map.of(1L, "sensorcast-loop");
        ProcessSnapshot a = snapshot(Map.of(1L, 100L), Map.of(1L, 60L), names);
        ProcessSnapshot b = snapshot(Map.of(1L, 130L), Map.of(1L, 70L), names);
        assertEquals(Map.of("sensorcast-loop", 10L), ProcessSnapshot.wakeupsBetween(a, b));
        assertEquals(Map.of("sensorcast-loop", 30L), ProcessSnapshot.switchesBetween(a, b));
    }

    @Test
    void jvmThreadsAreToldFromTheServers() {
        assertTrue(ProcessSnapshot.isJvmThread("C2 CompilerThre"));
        assertTrue(ProcessSnapshot.isJvmThread("VM Periodic Tas"));
        assertEquals(false, ProcessSnapshot.isJvmThread("sensorcast-loop"));
        assertEquals(false, ProcessSnapshot.isJvmThread("sensor-bench"));
    }
}

package io.sensorcast.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class UnitFlagsTest {

    @Test
    void takesTheWordsBetweenTheCommandAndJar() {
        assertEquals(List.of("-Xms16m", "-Xmx64m", "-XX:+UseSerialGC"), UnitFlags.parse(List.of(
                "# ExecStart=/usr/bin/java -Xmx1g -jar old.jar", "[Service]",
                "ExecStartPre=/usr/bin/sensorcast check",
                "ExecStart=/usr/lib/sensorcast/sensorcast-service -Xms16m -Xmx64m -XX:+UseSerialGC -jar /usr/share/sensorcast/sensorcast.jar")));
    }

    @Test
    void refusesAUnitWithoutTheHeapCap() {
        assertThrows(IllegalStateException.class, () -> UnitFlags.parse(List.of("ExecStart=/usr/bin/java -jar x.jar")));
        assertThrows(IllegalStateException.class, () -> UnitFlags.parse(List.of("[Service]")));
    }

    @Test
    void theRepositorysUnitGivesTheHeapCapAndTheSerialCollector() {
        List<String> flags = UnitFlags.read(UnitFlags.UNIT);
        assertEquals(true, flags.contains("-Xmx64m") && flags.contains("-XX:+UseSerialGC"), flags.toString());
    }
}

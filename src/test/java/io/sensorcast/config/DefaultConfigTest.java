package io.sensorcast.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The config file that installs put in /etc: valid as shipped, and valid with every example uncommented. */
class DefaultConfigTest {

    private static final Path SHIPPED = Path.of("deploy/sensorcast.conf");

    @Test
    void theShippedFileIsValidAndRunsTheBuiltInDevices() throws Exception {
        ConfigLoader.Result r = ConfigLoader.fromTexts(Map.of("sensorcast.conf", Files.readString(SHIPPED)));
        assertTrue(r.ok(), r.errors().toString());
        assertEquals(List.of("system", "sim"), r.config().devices().stream().map(DeviceConfig::id).toList());
    }

    @Test
    void everyCommentedExampleIsValidOnceUncommented() throws Exception {
        // "# key = value" and "# [section]" lines are examples; prose comments are not.
        Pattern example = Pattern.compile("^# (\\[[a-z0-9._-]+\\]|[a-z0-9._-]+\\s*=.*)$");
        StringBuilder uncommented = new StringBuilder();
        for (String line : Files.readAllLines(SHIPPED)) {
            uncommented.append(example.matcher(line).matches() ? line.substring(2) : line).append('\n');
        }
        ConfigLoader.Result r = ConfigLoader.fromTexts(Map.of("sensorcast.conf", uncommented.toString()));
        assertTrue(r.ok(), r.errors().toString());
        assertEquals(List.of("pi", "greenhouse", "soil"), r.config().devices().stream().map(DeviceConfig::id).toList());
        assertEquals(List.of("phone"), r.config().settings().notifiers.stream().map(NotifySettings::name).toList());
    }
}

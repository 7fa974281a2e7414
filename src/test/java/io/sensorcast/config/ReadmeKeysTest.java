package io.sensorcast.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's key reference is what the schema says: a key added, renamed or re-defaulted shows here. */
class ReadmeKeysTest {

    @Test
    void readmeListsEveryKeyWithItsDefaultAsTheSchemaDoes() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String table = KeyTable.markdown();
        assertTrue(readme.contains(table), "README.md's key reference differs from `sensorcast check --keys`;"
                + " paste its output under 'Every key'");
    }
}

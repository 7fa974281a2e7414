package io.sensorcast.deploy;

import static io.sensorcast.deploy.Shell.REPO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/sensorcast-service decides which class-data flag the JVM gets: write an archive when
 * there is no current one, try a freshly written one once, use it when it is good. Here java is a
 * stand-in that prints its arguments (and, asked to try an archive, takes it only if the test
 * says so); ServiceScriptIT runs the real JVM and jar.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServiceScriptTest {

    static final Path SCRIPT = REPO.resolve("deploy/sensorcast-service");

    @TempDir Path tmp;
    Path java;
    Path jar;
    Path cache;

    @BeforeEach
    void standIns() throws Exception {
        // bin/java beside lib/server/libjvm.so, as in a JDK: the script keys the archive to libjvm.so.
        java = tmp.resolve("jdk/bin/java");
        Shell.writeExecutable(java, "#!/bin/sh\n"
                + "if [ \"$1\" = -Xshare:on ]; then [ -f \"" + tmp.resolve("archive-is-good") + "\" ]; exit; fi\n"
                + "printf '%s\\n' \"$@\"\n");
        Files.createDirectories(tmp.resolve("jdk/lib/server"));
        Files.writeString(tmp.resolve("jdk/lib/server/libjvm.so"), "the JVM");
        jar = tmp.resolve("sensorcast.jar");
        Files.writeString(jar, "version 1");
        cache = tmp.resolve("cache");
        Files.createDirectories(cache);
    }

    /** The arguments the stand-in java got. */
    private List<String> run() throws Exception {
        Shell.Result r = Shell.run(tmp, Map.of("SENSORCAST_JAVA", java.toString(), "CACHE_DIRECTORY", cache.toString()),
                30, "sh", SCRIPT.toString(), "-Xmx64m", "-XX:+UseSerialGC", "-jar", jar.toString(), "--config", "x.conf");
        assertEquals(0, r.exit(), r.output());
        return r.output().lines().toList();
    }

    private List<String> expected(String cdsFlag) {
        return List.of(cdsFlag, "-Xmx64m", "-XX:+UseSerialGC", "-jar", jar.toString(), "--config", "x.conf");
    }

    @Test
    void writesTheArchiveAtExitUntilThereIsAGoodOneThenStartsFromIt() throws Exception {
        Path archive = cache.resolve("sensorcast.jsa");
        Path written = cache.resolve("sensorcast.jsa.new");
        assertEquals(expected("-XX:ArchiveClassesAtExit=" + written), run(), "no archive yet: the JVM writes one");
        assertEquals(expected("-XX:ArchiveClassesAtExit=" + written), run(),
                "a run that ended without writing it (killed) leaves none: the next one tries again");

        Files.writeString(written, "classes"); // what the JVM writes when it exits
        Files.writeString(tmp.resolve("archive-is-good"), "");
        assertEquals(expected("-XX:SharedArchiveFile=" + archive), run(), "tried once, then used");
        assertFalse(Files.exists(written));
        assertEquals(expected("-XX:SharedArchiveFile=" + archive), run(), "and kept");
    }

    @Test
    void anArchiveCutShortIsDroppedAndWrittenAgain() throws Exception {
        Path written = cache.resolve("sensorcast.jsa.new");
        run();
        Files.writeString(written, "half an archive"); // the JVM was killed while it wrote
        assertEquals(expected("-XX:ArchiveClassesAtExit=" + written), run(), "the JVM refused it: write it again");
        assertFalse(Files.exists(cache.resolve("sensorcast.jsa")), "never used");
    }

    @Test
    void anUpdatedJarOrJvmMakesTheArchiveStale() throws Exception {
        Path archive = cache.resolve("sensorcast.jsa");
        Path written = cache.resolve("sensorcast.jsa.new");
        Files.writeString(tmp.resolve("archive-is-good"), "");
        run();
        Files.writeString(written, "classes of version 1");
        assertEquals(expected("-XX:SharedArchiveFile=" + archive), run());

        Files.writeString(jar, "version 2, a longer file");
        Files.setLastModifiedTime(jar, FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));
        assertEquals(expected("-XX:ArchiveClassesAtExit=" + written), run(), "the jar changed");
        assertFalse(Files.exists(archive), "the stale archive is gone before the JVM starts");

        Files.writeString(written, "classes of version 2");
        assertEquals(expected("-XX:SharedArchiveFile=" + archive), run());
        Path libjvm = tmp.resolve("jdk/lib/server/libjvm.so");
        Files.delete(libjvm); // a JVM update replaces the file: another inode
        Files.writeString(libjvm, "the updated JVM");
        assertEquals(expected("-XX:ArchiveClassesAtExit=" + written), run(), "the JVM changed");
    }

    @Test
    void withoutAWritableCacheItRunsJavaAsGiven() throws Exception {
        Files.delete(cache);
        assertEquals(List.of("-Xmx64m", "-XX:+UseSerialGC", "-jar", jar.toString(), "--config", "x.conf"), run());
        assertTrue(Files.notExists(cache), "nothing made");
    }
}

package io.sensorcast.deploy;

import static io.sensorcast.deploy.Shell.REPO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sensorcast.testing.Requires;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * systemd/sensorcast.service: what it must say, and Debian's systemd-analyze on it (verify
 * prints nothing; the offline security review gives an exposure of 2.0 or less).
 *
 * <p>verify checks that the commands exist, so it runs against a temporary root (--root) that
 * holds this machine's stock units, stand-ins for /usr/bin/java, /usr/bin/sensorcast and
 * /bin/kill, and the unit: no systemd needs to run and nothing outside the temporary directory
 * is touched. .ci/run does the same after mvn verify.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SystemdUnitTest {

    static final String ANALYZE = "/usr/bin/systemd-analyze";
    static final Path UNIT = REPO.resolve("systemd/sensorcast.service");

    @TempDir Path tmp;

    private static List<String> lines() throws IOException {
        return Files.readAllLines(UNIT).stream().map(String::strip).filter(l -> !l.startsWith("#")).toList();
    }

    @Test
    void runsTheServerAsTheIssueSays() throws IOException {
        List<String> l = lines();
        for (String want : new String[] {
                "User=sensorcast", "SupplementaryGroups=gpio i2c spi", "ExecStartPre=/usr/bin/sensorcast check",
                "ExecReload=/bin/kill -HUP $MAINPID", "Restart=on-failure", "TimeoutStopSec=10", "CacheDirectory=sensorcast",
                "StateDirectory=sensorcast",
                "DevicePolicy=closed", "DeviceAllow=char-gpiochip rw", "DeviceAllow=char-i2c rw", "DeviceAllow=char-spi rw",
                "NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes",
                "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX", "SystemCallFilter=@system-service",
                "SystemCallArchitectures=native", "CapabilityBoundingSet=", "AmbientCapabilities=",
                "ProtectProc=invisible", "WantedBy=multi-user.target",
                "Type=notify", "NotifyAccess=main", "WatchdogSec=30s", "WatchdogSignal=SIGQUIT"}) {
            assertTrue(l.contains(want), "the unit has " + want);
        }
        String exec = l.stream().filter(s -> s.startsWith("ExecStart=")).findFirst().orElseThrow();
        assertTrue(exec.startsWith("ExecStart=/usr/lib/sensorcast/sensorcast-service "), exec);
        for (String flag : new String[] {"-Xms16m", "-Xmx64m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "-XX:TieredStopAtLevel=1",
                "-XX:+UnlockDiagnosticVMOptions -XX:AsyncDeflationInterval=10000 -XX:GuaranteedSafepointInterval=60000",
                "-jar /usr/share/sensorcast/sensorcast.jar"}) {
            assertTrue(exec.contains(flag), exec + " has " + flag);
        }
        assertTrue(l.stream().anyMatch(s -> s.startsWith("StartLimitIntervalSec=")), "a start limit");
        assertTrue(l.stream().anyMatch(s -> s.startsWith("StartLimitBurst=")), "a start limit");
        // The JIT writes code; PrivateDevices hides the buses; ProcSubset=pid hides /proc/stat and co.
        for (String banned : new String[] {"MemoryDenyWriteExecute=", "PrivateDevices=", "ProcSubset="}) {
            assertFalse(l.stream().anyMatch(s -> s.startsWith(banned)), "the unit must not set " + banned);
        }
    }

    /**
     * NotifyAccess=main takes notifications from the main PID only: the one systemd started,
     * deploy/sensorcast-service, which must therefore become the JVM (exec) wherever it runs the server.
     */
    @Test
    void theServiceScriptExecsJavaSoThatTheJvmIsTheMainPid() throws IOException {
        List<String> runs = Files.readAllLines(REPO.resolve("deploy/sensorcast-service")).stream().map(String::strip)
                .filter(l -> !l.startsWith("#") && l.contains("\"$java\"") && l.contains("\"$@\"")).toList();
        assertFalse(runs.isEmpty(), "the script runs java with the unit's arguments");
        for (String line : runs) {
            assertTrue(line.startsWith("exec \"$java\""), line);
        }
    }

    /** A root with the stock units, stand-in commands and {@code unit} as sensorcast.service. */
    private Path root(String unit) throws Exception {
        Path root = tmp.resolve("root");
        Path units = root.resolve("usr/lib/systemd/system");
        Files.createDirectories(units.getParent());
        Shell.Result cp = Shell.run(REPO, Map.of(), 30, "cp", "-a", "/usr/lib/systemd/system", units.toString());
        assertEquals(0, cp.exit(), cp.output());
        Files.createSymbolicLink(root.resolve("lib"), Path.of("usr/lib"));
        for (String cmd : new String[] {"usr/bin/java", "usr/bin/sensorcast", "usr/lib/sensorcast/sensorcast-service", "bin/kill"}) {
            Shell.writeExecutable(root.resolve(cmd), "#!/bin/sh\nexit 0\n");
        }
        Files.writeString(units.resolve("sensorcast.service"), unit);
        return root;
    }

    private Shell.Result verify(Path root) throws Exception {
        return Shell.run(REPO, Map.of("SYSTEMD_LOG_COLOR", "0"), 45, ANALYZE, "verify", "--man=no", "--generators=no",
                "--root=" + root, "sensorcast.service");
    }

    @Test
    void systemdAnalyzeVerifyPrintsNothing() throws Exception {
        Requires.component(Shell.executable(ANALYZE), ANALYZE + " is missing (apt-get install systemd): not verifying the unit");
        assumeTrue(Files.isDirectory(Path.of("/usr/lib/systemd/system")), "no stock units in /usr/lib/systemd/system");
        Shell.Result r = verify(root(Files.readString(UNIT)));
        assertEquals("", r.output().strip(), "systemd-analyze verify says something");
        assertEquals(0, r.exit());
    }

    @Test
    void theVerifyCheckWouldCatchAMistake() throws Exception {
        Requires.component(Shell.executable(ANALYZE), ANALYZE + " is missing (apt-get install systemd): not verifying the unit");
        assumeTrue(Files.isDirectory(Path.of("/usr/lib/systemd/system")), "no stock units in /usr/lib/systemd/system");
        String broken = Files.readString(UNIT).replace("NoNewPrivileges=yes", "NoNewPrivilege=yes");
        Shell.Result r = verify(root(broken));
        assertTrue(r.output().contains("NoNewPrivilege"), r.output());
    }

    static double exposure(String output) {
        Matcher m = Pattern.compile("Overall exposure level for sensorcast\\.service: (\\d+\\.\\d+)").matcher(output);
        assertTrue(m.find(), output);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void offlineSecurityExposureIsAtMostTwo() throws Exception {
        Requires.component(Shell.executable(ANALYZE), ANALYZE + " is missing (apt-get install systemd): no security review");
        Path copy = tmp.resolve("sensorcast.service");
        Files.copy(UNIT, copy);
        Shell.Result r = Shell.run(REPO, Map.of("SYSTEMD_COLORS", "0"), 45, ANALYZE, "security", "--offline=true",
                "--no-pager", copy.toString());
        assertEquals(0, r.exit(), r.output());
        double e = exposure(r.output());
        assertTrue(e <= 2.0, "exposure " + e + " > 2.0:\n" + r.output());

        // The review can fail: the same unit without its sandbox scores far worse.
        Files.writeString(copy, "[Service]\nExecStart=/usr/bin/java -jar /usr/share/sensorcast/sensorcast.jar\n");
        Shell.Result bare = Shell.run(REPO, Map.of("SYSTEMD_COLORS", "0"), 45, ANALYZE, "security", "--offline=true",
                "--no-pager", copy.toString());
        assertNotEquals(e, exposure(bare.output()));
        assertTrue(exposure(bare.output()) > 2.0, bare.output());
    }
}

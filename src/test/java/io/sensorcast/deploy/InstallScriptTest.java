package io.sensorcast.deploy;

import static io.sensorcast.deploy.Shell.REPO;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.testing.Requires;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/install.sh into a DESTDIR tree: never the machine's own root (with DESTDIR the script
 * creates no user and runs no systemctl, and says so).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InstallScriptTest {

    @TempDir Path tmp;
    Path dest;
    Path jar;

    @BeforeEach
    void setUp() throws IOException {
        dest = tmp.resolve("root");
        Files.createDirectories(dest);
        jar = tmp.resolve("build/sensorcast.jar");
        Files.createDirectories(jar.getParent());
        Files.write(jar, new byte[] {'P', 'K', 3, 4, 1});
    }

    private Shell.Result install(String... args) throws Exception {
        String[] cmd = Stream.concat(Stream.of("sh", REPO.resolve("deploy/install.sh").toString()), Stream.of(args))
                .toArray(String[]::new);
        return Shell.run(REPO, Map.of("DESTDIR", dest.toString()), 30, cmd);
    }

    private Shell.Result ok(Shell.Result r) {
        assertEquals(0, r.exit(), r.output());
        return r;
    }

    @Test
    void installsEveryFileWithItsModeAndOwner() throws Exception {
        String out = ok(install(jar.toString())).output();

        assertFile("usr/share/sensorcast/sensorcast.jar", "rw-r--r--", Files.readAllBytes(jar));
        assertFile("usr/bin/sensorcast", "rwxr-xr-x", Files.readAllBytes(REPO.resolve("deploy/sensorcast")));
        assertFile("usr/lib/sensorcast/sensorcast-service", "rwxr-xr-x",
                Files.readAllBytes(REPO.resolve("deploy/sensorcast-service")));
        assertFile("etc/sensorcast/sensorcast.conf", "rw-r--r--", Files.readAllBytes(REPO.resolve("deploy/sensorcast.conf")));
        assertFile("lib/systemd/system/sensorcast.service", "rw-r--r--",
                Files.readAllBytes(REPO.resolve("systemd/sensorcast.service")));
        for (String dir : new String[] {"usr/share/sensorcast", "etc/sensorcast", "etc/sensorcast/conf.d"}) {
            Path d = dest.resolve(dir);
            assertTrue(Files.isDirectory(d), dir);
            assertEquals("rwxr-xr-x", Shell.mode(d), dir);
        }
        try (Stream<Path> s = Files.list(dest.resolve("etc/sensorcast/conf.d"))) {
            assertEquals(0, s.count(), "conf.d starts empty");
        }
        assertEquals(Map.of(
                        "etc/sensorcast/conf.d", "rwxr-xr-x",
                        "etc/sensorcast/sensorcast.conf", "rw-r--r--",
                        "lib/systemd/system/sensorcast.service", "rw-r--r--",
                        "usr/bin/sensorcast", "rwxr-xr-x",
                        "usr/lib/sensorcast/sensorcast-service", "rwxr-xr-x",
                        "usr/share/sensorcast/sensorcast.jar", "rw-r--r--"),
                leaves(), "nothing else is installed");
        assertTrue(out.contains("would create the system user sensorcast"), out);
        assertTrue(out.contains("DESTDIR is set: not running systemctl"), out);
    }

    private void assertFile(String rel, String mode, byte[] content) throws IOException {
        Path f = dest.resolve(rel);
        assertTrue(Files.isRegularFile(f), rel + " installed");
        assertEquals(mode, Shell.mode(f), rel);
        assertArrayEquals(content, Files.readAllBytes(f), rel);
        if ("root".equals(System.getProperty("user.name"))) {
            assertEquals("root", Files.getOwner(f).getName(), rel + " owned by root");
        }
    }

    /** Files and empty directories under dest, with their modes. */
    private Map<String, String> leaves() throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dest)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                boolean emptyDir = false;
                if (Files.isDirectory(p)) {
                    try (Stream<Path> c = Files.list(p)) {
                        emptyDir = c.findAny().isEmpty();
                    }
                }
                if (!p.equals(dest) && (Files.isRegularFile(p) || emptyDir)) {
                    m.put(dest.relativize(p).toString(), Shell.mode(p));
                }
            }
        }
        return m;
    }

    /** Every file with its mode and content. */
    private Map<String, String> snapshot() throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dest)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                m.put(dest.relativize(p).toString(), Shell.mode(p)
                        + (Files.isRegularFile(p) ? " " + Files.readString(p, java.nio.charset.StandardCharsets.ISO_8859_1) : ""));
            }
        }
        return m;
    }

    @Test
    void runningTwiceChangesNothing() throws Exception {
        ok(install(jar.toString()));
        Map<String, String> first = snapshot();
        String out = ok(install(jar.toString())).output();
        assertEquals(first, snapshot());
        assertTrue(out.contains("unchanged " + dest.resolve("usr/share/sensorcast/sensorcast.jar")), out);
        assertTrue(out.contains("kept " + dest.resolve("etc/sensorcast/sensorcast.conf")), out);
    }

    @Test
    void aChangedConfigSurvivesAReinstallThatUpdatesTheJar() throws Exception {
        ok(install(jar.toString()));
        Path conf = dest.resolve("etc/sensorcast/sensorcast.conf");
        Files.writeString(conf, "http.port = 9090\n");
        Files.writeString(dest.resolve("etc/sensorcast/conf.d/10-pi.conf"), "[device.pi]\ntype = system\n");
        Files.write(jar, new byte[] {'P', 'K', 3, 4, 2});

        ok(install(jar.toString()));

        assertEquals("http.port = 9090\n", Files.readString(conf));
        assertEquals("[device.pi]\ntype = system\n", Files.readString(dest.resolve("etc/sensorcast/conf.d/10-pi.conf")));
        assertArrayEquals(Files.readAllBytes(jar), Files.readAllBytes(dest.resolve("usr/share/sensorcast/sensorcast.jar")));
        try (Stream<Path> s = Files.walk(dest)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().contains(".new.")), "no temporary file left");
        }
    }

    @Test
    void uninstallKeepsTheConfigAndHistoryAndPurgeRemovesThem() throws Exception {
        ok(install(jar.toString()));
        Path conf = dest.resolve("etc/sensorcast/sensorcast.conf");
        Files.writeString(conf, "server.name = greenhouse-pi\n");
        Path archive = dest.resolve("var/cache/sensorcast/sensorcast.jsa"); // what the service makes
        Files.createDirectories(archive.getParent());
        Files.writeString(archive, "classes of the jar being removed");
        Path history = dest.resolve("var/lib/sensorcast/history/test-minutes"); // the service's StateDirectory=
        Files.createDirectories(history.getParent());
        Files.writeString(history, "minutes of history");
        Files.setPosixFilePermissions(history, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));

        String out = ok(install("--uninstall")).output();
        assertFalse(Files.exists(archive.getParent()), "the class-data archive goes with the jar");
        assertEquals(Map.of("etc/sensorcast/conf.d", "rwxr-xr-x", "etc/sensorcast/sensorcast.conf", "rw-r--r--",
                        "var/lib/sensorcast/history/test-minutes", "rw-------"),
                leavesWithoutEmptyParents(), out);
        assertEquals("server.name = greenhouse-pi\n", Files.readString(conf));
        assertTrue(out.contains("kept " + dest.resolve("etc/sensorcast")), out);
        assertTrue(out.contains("kept " + dest.resolve("var/lib/sensorcast")), out);

        ok(install("--uninstall")); // again: nothing left to remove, still fine

        out = ok(install("--purge")).output();
        assertEquals(Map.of(), leavesWithoutEmptyParents(), out);
        assertFalse(Files.exists(dest.resolve("var/lib/sensorcast")), out);
        assertTrue(out.contains("removed " + dest.resolve("var/lib/sensorcast") + " (the history)"), out);
        assertTrue(out.contains("would remove the user sensorcast"), out);
    }

    /** leaves(), ignoring the empty directories such as usr/bin that the system owns. */
    private Map<String, String> leavesWithoutEmptyParents() throws IOException {
        Map<String, String> m = new TreeMap<>(leaves());
        m.keySet().removeIf(k -> !k.startsWith("etc/sensorcast") && Files.isDirectory(dest.resolve(k)));
        return m;
    }

    @Test
    void findsTheJarAndFilesBesideItselfAsDeployCopiesThem() throws Exception {
        Path flat = tmp.resolve("flat");
        Files.createDirectories(flat);
        for (String f : new String[] {"deploy/install.sh", "deploy/sensorcast", "deploy/sensorcast-service", "deploy/sensorcast.conf", "systemd/sensorcast.service"}) {
            Files.copy(REPO.resolve(f), flat.resolve(Path.of(f).getFileName()));
        }
        Files.copy(jar, flat.resolve("sensorcast.jar"));

        Shell.Result r = Shell.run(flat, Map.of("DESTDIR", dest.toString()), 30, "sh", flat.resolve("install.sh").toString());

        assertEquals(0, r.exit(), r.output());
        assertArrayEquals(Files.readAllBytes(jar), Files.readAllBytes(dest.resolve("usr/share/sensorcast/sensorcast.jar")));
        assertTrue(Files.isRegularFile(dest.resolve("lib/systemd/system/sensorcast.service")));
    }

    @Test
    void refusesAMissingJarAndUnknownOptions() throws Exception {
        Shell.Result r = install(tmp.resolve("nope.jar").toString());
        assertEquals(1, r.exit(), r.output());
        assertTrue(r.output().contains("no such jar"), r.output());
        assertFalse(Files.exists(dest.resolve("usr")), "nothing installed");

        r = install("--frobnicate");
        assertEquals(2, r.exit(), r.output());
        assertTrue(r.output().contains("unknown option --frobnicate"), r.output());
    }

    @Test
    void theScriptsAreShellcheckClean() throws Exception {
        Requires.component(Shell.executable("/usr/bin/shellcheck"), "shellcheck is missing (apt-get install shellcheck): not linting the scripts");
        Shell.Result r = Shell.run(REPO, Map.of(), 60, "/usr/bin/shellcheck", "deploy/install.sh", "deploy/deploy.sh", "deploy/sensorcast");
        assertEquals(0, r.exit(), r.output());
    }
}

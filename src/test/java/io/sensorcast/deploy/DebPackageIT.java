package io.sensorcast.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sensorcast.testing.Requires;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .deb that {@code mvn package} builds (jdeb, after the shade plugin), inspected with dpkg-deb
 * and lintian. A failsafe test: it runs in the verify phase, after the package exists.
 *
 * <p>The maintainer scripts are never run against this machine's root: they run from a copy of the
 * package's control area, with fake adduser, addgroup, deluser, userdel, groupdel, getent, systemctl and
 * deb-systemd-helper/-invoke first on PATH (each only writes a line to a log), and
 * SENSORCAST_DEB_ROOT pointing every path they touch into a temporary directory.
 */
class DebPackageIT {

    /** project.build.outputTimestamp in the pom: every entry of the package carries it. */
    private static final String BUILD_DATE = "2026-01-01 00:00";

    private static Path deb;

    @BeforeAll
    static void findPackage() throws IOException {
        Requires.component(onPath("dpkg-deb"), "dpkg-deb is not installed: the .deb is not inspected");
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            List<Path> debs = files.filter(p -> p.getFileName().toString().matches("sensorcast_.+_all\\.deb"))
                    .collect(Collectors.toList());
            assertEquals(1, debs.size(), "exactly one target/sensorcast_*_all.deb: " + debs);
            deb = debs.get(0);
        }
    }

    @Test
    void controlFieldsNameTheRuntimeAndTheService() throws Exception {
        Map<String, String> fields = new LinkedHashMap<>();
        String key = null;
        for (String line : run("dpkg-deb", "--field", deb.toString()).lines().collect(Collectors.toList())) {
            if (line.startsWith(" ") && key != null) {
                fields.merge(key, "\n" + line, String::concat);
            } else {
                int colon = line.indexOf(':');
                key = line.substring(0, colon);
                fields.put(key, line.substring(colon + 1).trim());
            }
        }
        assertEquals("sensorcast", fields.get("Package"));
        assertEquals("all", fields.get("Architecture"));
        assertEquals("net", fields.get("Section"));
        assertEquals("optional", fields.get("Priority"));
        assertEquals("default-jre-headless (>= 2:1.17) | java17-runtime-headless, procps, adduser",
                fields.get("Depends"));
        assertTrue(fields.get("Maintainer").matches(".+ <[^@ ]+@[^> ]+>"), fields.get("Maintainer"));
        assertTrue(fields.get("Description").contains("\n "), "short and long description");

        // Debian-valid, from project.version: 0.1.0-SNAPSHOT becomes 0.1.0~snapshot (sorts before 0.1.0).
        String version = fields.get("Version");
        assertTrue(version.matches("[0-9][A-Za-z0-9.+~]*"), version);
        assertFalse(version.contains("-"), "a native package's version has no revision: " + version);
        assertEquals("sensorcast_" + version + "_all.deb", deb.getFileName().toString());
        String changelogTop = Files.readAllLines(Path.of("deploy/debian/changelog")).get(0);
        assertTrue(changelogTop.startsWith("sensorcast (" + version + ") "),
                "deploy/debian/changelog's first entry is for this version (" + version + "): " + changelogTop);
        assertEquals(0, new ProcessBuilder("dpkg", "--compare-versions", version, "lt", "0.1.0")
                .inheritIO().start().waitFor(), "a snapshot sorts before its release");
    }

    @Test
    void filesModesAndOwners() throws Exception {
        Map<String, String> entries = new TreeMap<>();
        for (String line : run("dpkg-deb", "--contents", deb.toString()).lines().collect(Collectors.toList())) {
            // drwxr-xr-x root/root         0 2026-01-01 00:00 ./usr/
            String[] f = line.trim().split("\\s+", 6);
            assertEquals(BUILD_DATE, f[3] + " " + f[4], "entry time from outputTimestamp: " + line);
            String path = f[5].replaceFirst("^\\.", "").replaceFirst("(.)/$", "$1");
            entries.put(path, f[0] + " " + f[1]);
        }
        Map<String, String> expected = new TreeMap<>();
        String dir = "drwxr-xr-x root/root";
        String file = "-rw-r--r-- root/root";
        for (String d : List.of("/usr", "/usr/share", "/usr/share/sensorcast", "/usr/bin", "/etc",
                "/etc/sensorcast", "/etc/sensorcast/conf.d", "/usr/lib/systemd", "/usr/lib/systemd/system",
                "/usr/share/doc", "/usr/share/doc/sensorcast", "/usr/share/lintian",
                "/usr/share/lintian/overrides", "/usr/lib", "/usr/lib/sensorcast", "/usr/share/man", "/usr/share/man/man1")) {
            expected.put(d, dir);
        }
        expected.put("/usr/share/sensorcast/sensorcast.jar", file);
        expected.put("/usr/bin/sensorcast", "-rwxr-xr-x root/root");
        expected.put("/usr/lib/sensorcast/sensorcast-service", "-rwxr-xr-x root/root");
        expected.put("/etc/sensorcast/sensorcast.conf", file);
        expected.put("/usr/lib/systemd/system/sensorcast.service", file);
        expected.put("/usr/share/doc/sensorcast/copyright", file);
        expected.put("/usr/share/doc/sensorcast/changelog.gz", file);
        expected.put("/usr/share/doc/sensorcast/README.md", file);
        expected.put("/usr/share/lintian/overrides/sensorcast", file);
        expected.put("/usr/share/man/man1/sensorcast.1.gz", file);
        assertEquals(expected, entries);
    }

    @Test
    void packedFilesAreTheBuiltOnes(@TempDir Path tmp) throws Exception {
        run("dpkg-deb", "--extract", deb.toString(), tmp.toString());
        assertSameBytes(Path.of("target/sensorcast.jar"), tmp.resolve("usr/share/sensorcast/sensorcast.jar"));
        assertSameBytes(Path.of("deploy/sensorcast"), tmp.resolve("usr/bin/sensorcast"));
        assertSameBytes(Path.of("deploy/sensorcast-service"), tmp.resolve("usr/lib/sensorcast/sensorcast-service"));
        assertSameBytes(Path.of("deploy/sensorcast.conf"), tmp.resolve("etc/sensorcast/sensorcast.conf"));
        assertSameBytes(Path.of("systemd/sensorcast.service"), tmp.resolve("usr/lib/systemd/system/sensorcast.service"));
        assertSameBytes(Path.of("deploy/debian/lintian-overrides"), tmp.resolve("usr/share/lintian/overrides/sensorcast"));
        // The changelog is committed compressed (gzip -9n: no name, no time): it must match its source.
        String changelog = run("zcat", tmp.resolve("usr/share/doc/sensorcast/changelog.gz").toString());
        assertEquals(Files.readString(Path.of("deploy/debian/changelog")), changelog,
                "deploy/debian/changelog.gz is stale: cd deploy/debian && gzip -9nc changelog > changelog.gz");
        // The manual page the build made (io.sensorcast.cli.ManPage; ManPageTest checks what it says).
        assertEquals(Files.readString(Path.of("target/man/sensorcast.1")),
                run("zcat", tmp.resolve("usr/share/man/man1/sensorcast.1.gz").toString()));
    }

    @Test
    void controlAreaHasConffilesAndExecutableScripts(@TempDir Path tmp) throws Exception {
        Map<String, String> modes = new TreeMap<>();
        Process tar = new ProcessBuilder("sh", "-c", "dpkg-deb --ctrl-tarfile \"$1\" | tar -tvf -", "sh",
                deb.toString()).redirectErrorStream(true).start();
        String listing = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, tar.waitFor(), listing);
        for (String line : listing.lines().collect(Collectors.toList())) {
            String[] f = line.trim().split("\\s+", 6);
            modes.put(f[5].replaceFirst("^\\./", ""), f[0] + " " + f[1]);
        }
        assertEquals(Map.of(
                "control", "-rw-r--r-- root/root",
                "md5sums", "-rw-r--r-- root/root",
                "conffiles", "-rw-r--r-- root/root",
                "postinst", "-rwxr-xr-x root/root",
                "prerm", "-rwxr-xr-x root/root",
                "postrm", "-rwxr-xr-x root/root"), modes);

        Path control = tmp.resolve("DEBIAN");
        run("dpkg-deb", "--control", deb.toString(), control.toString());
        assertEquals(List.of("/etc/sensorcast/sensorcast.conf"), Files.readAllLines(control.resolve("conffiles")));
        for (String script : List.of("postinst", "prerm", "postrm")) {
            Path p = control.resolve(script);
            assertTrue(Files.readString(p).startsWith("#!/bin/sh\n"), script);
            assertTrue(Files.readString(p).contains("\nset -e\n"), script + " stops at the first failure");
            run("sh", "-n", p.toString());
            if (onPath("dash")) {
                run("dash", "-n", p.toString());
            }
        }
    }

    @Test
    void lintianHasNoErrorsOrWarningsBeyondJustifiedOverrides() throws Exception {
        Requires.component(onPath("lintian"), "lintian is not installed (apt-get install lintian): not run");
        String out = run("lintian", "--pedantic", "--display-info", deb.toString());
        List<String> findings = out.lines().filter(l -> l.matches("^[EWX]: .*")).collect(Collectors.toList());
        assertEquals(List.of(), findings, out);

        // Every override carries a comment saying why, directly above it.
        List<String> lines = Files.readAllLines(Path.of("deploy/debian/lintian-overrides"));
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (!l.isBlank() && !l.startsWith("#")) {
                assertTrue(l.startsWith("sensorcast: "), l);
                assertTrue(i > 0 && lines.get(i - 1).startsWith("#"), "override without a reason above it: " + l);
            }
        }
    }

    // ---- maintainer scripts in a fake root, with fake system tools ----

    /** A fake root, fake tools on PATH, and a log of every call they get. */
    private static final class Sandbox {
        final Path root;
        final Path bin;
        final Path log;
        final Path state;
        final Path scripts;

        Sandbox(Path tmp, boolean systemdRunning, String... existingGroups) throws Exception {
            root = Files.createDirectories(tmp.resolve("root"));
            bin = Files.createDirectories(tmp.resolve("bin"));
            state = Files.createDirectories(tmp.resolve("state"));
            log = tmp.resolve("calls.log");
            Files.createFile(log);
            scripts = tmp.resolve("DEBIAN");
            run("dpkg-deb", "--control", deb.toString(), scripts.toString());
            // What dpkg has unpacked before postinst runs.
            Files.createDirectories(root.resolve("etc/sensorcast/conf.d"));
            Files.writeString(root.resolve("etc/sensorcast/sensorcast.conf"), "# conffile\n");
            if (systemdRunning) {
                Files.createDirectories(root.resolve("run/systemd/system"));
            }
            for (String g : existingGroups) {
                Files.createFile(state.resolve("group-" + g));
            }
            String logLine = "echo \"$(basename \"$0\") $*\" >> \"$FAKE_LOG\"\n";
            // A group's file holds its members, one a line.
            fake("getent", logLine
                    + "case \"$1\" in passwd) [ -e \"$FAKE_STATE/user-$2\" ] && echo \"$2:x:100:100::/nonexistent:/usr/sbin/nologin\";;"
                    + " group) [ -e \"$FAKE_STATE/group-$2\" ] && echo \"$2:x:999:$(paste -sd, \"$FAKE_STATE/group-$2\")\";;"
                    + " *) exit 2;; esac\n");
            fake("adduser", logLine
                    + "case \" $* \" in *\" --system \"*) eval \"name=\\${$#}\"; touch \"$FAKE_STATE/user-$name\""
                    + " \"$FAKE_STATE/group-$name\";;"
                    + " *) eval \"user=\\${$(($# - 1))} group=\\${$#}\"; echo \"$user\" >> \"$FAKE_STATE/group-$group\";; esac\n");
            fake("addgroup", logLine + "eval \"name=\\${$#}\"; touch \"$FAKE_STATE/group-$name\"\n");
            // deluser runs userdel, which (USERGROUPS_ENAB, Debian's default) takes the user's group too.
            String userdel = "eval \"name=\\${$#}\"; rm -f \"$FAKE_STATE/user-$name\" \"$FAKE_STATE/group-$name\"\n";
            fake("deluser", logLine + userdel);
            fake("userdel", logLine + userdel);
            fake("groupdel", logLine + "eval \"name=\\${$#}\"; rm -f \"$FAKE_STATE/group-$name\"\n");
            fake("systemctl", logLine);
            fake("deb-systemd-invoke", logLine);
            // was-enabled answers "yes" as it does before the first install (no state yet).
            fake("deb-systemd-helper", logLine);
        }

        private void fake(String name, String body) throws IOException {
            Path p = bin.resolve(name);
            Files.writeString(p, "#!/bin/sh\n" + body);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }

        /** Runs one maintainer script; returns the calls it made to the fake tools. */
        List<String> script(String name, String... args) throws Exception {
            Files.writeString(log, "");
            List<String> cmd = new ArrayList<>(List.of("sh", scripts.resolve(name).toString()));
            cmd.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            Map<String, String> env = pb.environment();
            env.put("PATH", bin + ":/usr/bin:/bin");
            env.put("SENSORCAST_DEB_ROOT", root.toString());
            env.put("FAKE_LOG", log.toString());
            env.put("FAKE_STATE", state.toString());
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), name + " hung");
            assertEquals(0, p.exitValue(), name + " " + String.join(" ", args) + " failed:\n" + out);
            return Files.readAllLines(log).stream().filter(l -> !l.startsWith("getent ")).collect(Collectors.toList());
        }
    }

    @Test
    void postinstCreatesTheUserInTheBoardsGroupsThenEnablesAndStarts(@TempDir Path tmp) throws Exception {
        Sandbox box = new Sandbox(tmp, true, "gpio", "i2c");
        Files.writeString(box.state.resolve("group-gpio"), "pi\n"); // a member already, not sensorcast
        assertEquals(List.of(
                "adduser --quiet --system --group --no-create-home --home /nonexistent --shell /usr/sbin/nologin"
                        + " --gecos sensorcast sensor server sensorcast",
                "adduser --quiet sensorcast gpio",
                "adduser --quiet sensorcast i2c",
                // The unit cannot start without it (status=216/GROUP): made as install.sh makes it.
                "addgroup --quiet --system spi",
                "adduser --quiet sensorcast spi",
                "deb-systemd-helper unmask sensorcast.service",
                "deb-systemd-helper --quiet was-enabled sensorcast.service",
                "deb-systemd-helper enable sensorcast.service",
                "systemctl --system daemon-reload",
                "deb-systemd-invoke start sensorcast.service"), box.script("postinst", "configure"));

        assertEquals(List.of("sensorcast"), Files.readAllLines(box.state.resolve("group-spi")), "spi's members");
        assertEquals(List.of("pi", "sensorcast"), Files.readAllLines(box.state.resolve("group-gpio")), "gpio's members");

        // An upgrade: the user exists and is in the groups already (adduser would warn), the service restarts.
        assertEquals(List.of(
                "deb-systemd-helper unmask sensorcast.service",
                "deb-systemd-helper --quiet was-enabled sensorcast.service",
                "deb-systemd-helper enable sensorcast.service",
                "systemctl --system daemon-reload",
                "deb-systemd-invoke restart sensorcast.service"), box.script("postinst", "configure", "0.0.9"));
    }

    @Test
    void withoutSystemdRunningPostinstEnablesButStartsNothing(@TempDir Path tmp) throws Exception {
        Sandbox box = new Sandbox(tmp, false);
        List<String> calls = box.script("postinst", "configure");
        assertTrue(calls.contains("deb-systemd-helper enable sensorcast.service"), calls.toString());
        assertTrue(calls.stream().noneMatch(c -> c.startsWith("systemctl") || c.startsWith("deb-systemd-invoke")),
                calls.toString());
        for (String group : List.of("gpio", "i2c", "spi")) {
            assertTrue(calls.contains("addgroup --quiet --system " + group)
                    && calls.contains("adduser --quiet sensorcast " + group),
                    "no hardware groups on this machine: " + group + " made and joined: " + calls);
        }
    }

    @Test
    void prermStopsOnRemoveOnly(@TempDir Path tmp) throws Exception {
        Sandbox box = new Sandbox(tmp, true);
        assertEquals(List.of("deb-systemd-invoke stop sensorcast.service"), box.script("prerm", "remove"));
        assertEquals(List.of(), box.script("prerm", "upgrade", "0.2.0"), "an upgrade restarts in postinst");
    }

    @Test
    void removeKeepsTheConfigurationAndPurgeLeavesNoTrace(@TempDir Path tmp) throws Exception {
        Sandbox box = new Sandbox(tmp, true, "gpio");
        box.script("postinst", "configure");
        Files.writeString(box.root.resolve("etc/sensorcast/conf.d/local.conf"), "# the admin's\n");
        assertTrue(Files.exists(box.state.resolve("user-sensorcast")));
        Path archive = box.root.resolve("var/cache/sensorcast/sensorcast.jsa"); // what the service makes
        Files.createDirectories(archive.getParent());
        Files.writeString(archive, "classes of the removed jar");

        assertEquals(List.of("systemctl --system daemon-reload", "deb-systemd-helper mask sensorcast.service"),
                box.script("postrm", "remove"));
        assertTrue(Files.exists(box.root.resolve("etc/sensorcast/conf.d/local.conf")), "remove keeps the config");
        assertTrue(Files.exists(box.state.resolve("user-sensorcast")), "remove keeps the user");
        assertFalse(Files.exists(archive.getParent()), "remove takes the class-data archive of the removed jar");

        assertEquals(List.of(
                "deb-systemd-helper purge sensorcast.service",
                "deb-systemd-helper unmask sensorcast.service",
                "userdel sensorcast"), box.script("postrm", "purge"));
        assertFalse(Files.exists(box.root.resolve("etc/sensorcast")), "purge removes /etc/sensorcast");
        assertFalse(Files.exists(box.state.resolve("user-sensorcast")), "purge removes the user");
        assertFalse(Files.exists(box.state.resolve("group-sensorcast")), "purge removes the group");
        assertTrue(Files.exists(box.state.resolve("group-gpio")), "the board's groups stay");
    }

    @Test
    void purgeLeavesACrontabToDeluserWhereCronIsAndAnOrphanGroupToGroupdel(@TempDir Path tmp) throws Exception {
        Sandbox box = new Sandbox(tmp, false);
        box.script("postinst", "configure");
        Shell.writeExecutable(box.root.resolve("usr/bin/crontab"), "#!/bin/sh\nexit 0\n");
        assertEquals(List.of(
                "deb-systemd-helper purge sensorcast.service",
                "deb-systemd-helper unmask sensorcast.service",
                "deluser --quiet --system sensorcast"), box.script("postrm", "purge"));
        assertFalse(Files.exists(box.state.resolve("user-sensorcast")), "purge removes the user");

        // The user gone already (an admin's userdel), its group left: purge takes the group.
        Files.createFile(box.state.resolve("group-sensorcast"));
        assertEquals(List.of(
                "deb-systemd-helper purge sensorcast.service",
                "deb-systemd-helper unmask sensorcast.service",
                "groupdel sensorcast"), box.script("postrm", "purge"));
        assertFalse(Files.exists(box.state.resolve("group-sensorcast")), "purge removes the group");
    }

    @Test
    void scriptsRefuseUnknownActions(@TempDir Path tmp) throws Exception {
        Sandbox box = new Sandbox(tmp, false);
        for (String script : List.of("postinst", "postrm")) {
            Process p = new ProcessBuilder("sh", box.scripts.resolve(script).toString(), "bogus")
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            assertEquals(1, p.waitFor(), script + " bogus");
        }
    }

    // ---- helpers ----

    private static void assertSameBytes(Path expected, Path actual) throws IOException {
        if (Files.mismatch(expected, actual) != -1) {
            fail(actual + " differs from " + expected);
        }
    }

    private static boolean onPath(String command) {
        try {
            return new ProcessBuilder("sh", "-c", "command -v \"$1\"", "sh", command)
                    .redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Runs a command; returns its standard output; fails the test on a non-zero exit. */
    private static String run(String... cmd) throws Exception {
        Path err = Files.createTempFile("sensorcast-deb-it", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", cmd) + " hung");
            assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed:\n" + out + Files.readString(err));
            return out;
        } finally {
            Files.deleteIfExists(err);
        }
    }
}

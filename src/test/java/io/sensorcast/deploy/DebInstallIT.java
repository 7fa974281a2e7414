package io.sensorcast.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.testing.Requires;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The built .deb as a new user meets it, on systems that are not Raspberry Pi OS: installed with apt
 * into fresh Debian roots that have no {@code gpio}, {@code i2c} or {@code spi} group (mmdebstrap,
 * then {@code apt-get install ./sensorcast_*.deb} in a chroot, the maintainer scripts running
 * natively), and its Depends resolved against the package index of each board's architecture.
 *
 * <p>Needs root, mmdebstrap and deb.debian.org (.ci/run installs mmdebstrap; CI runs as root). How
 * long, on a 2-core machine shared with other builds: about 3.5 minutes with a fresh download (some
 * 60 MB for each root, bookworm and trixie), under 2 minutes once target/deb-roots/ keeps those
 * packages (35-50 s a root, 7-8 s an architecture's index). Every command is bounded (below) and the
 * roots are mmdebstrap's temporary directories, gone when it exits.
 */
class DebInstallIT {

    private static final long ROOT_TIMEOUT_SECONDS = 600;
    private static final long APT_TIMEOUT_SECONDS = 180;
    private static final Path WORK = Path.of("target/deb-roots").toAbsolutePath();
    private static final Path HOOK = Path.of("src/test/resources/io/sensorcast/deploy/deb-in-fresh-root.sh")
            .toAbsolutePath();

    /** What apt and dpkg print themselves while installing or removing one local package. */
    private static final List<Pattern> APT_OWN = Stream.of(
            "",
            "Reading package lists\\.\\.\\.",
            "Building dependency tree\\.\\.\\.",
            "Reading state information\\.\\.\\.",
            "The following NEW packages will be installed:",
            "The following packages will be REMOVED:",
            "  sensorcast\\*?",
            "\\d+ upgraded, \\d+ newly installed, (\\d+ reinstalled, )?\\d+ to remove and \\d+ not upgraded\\.",
            "Need to get [^ ]+ B/[^ ]+ [kM]?B of archives\\.",
            "After this operation, .* disk space will be (used|freed)\\.",
            "Get:\\d+ /tmp/sensorcast\\.deb sensorcast all \\S+ \\[[^]]+\\]",
            "debconf: delaying package configuration, since apt-utils is not installed",
            "Selecting previously unselected package sensorcast\\.",
            // dpkg's progress, one carriage return after another.
            "\\(Reading database \\.\\.\\. (\\d+%|\\d+ files and directories currently installed\\.\\))?",
            "Preparing to unpack /tmp/sensorcast\\.deb \\.\\.\\.",
            "Unpacking sensorcast \\(\\S+\\) (over \\(\\S+\\) )?\\.\\.\\.",
            "Setting up sensorcast \\(\\S+\\) \\.\\.\\.",
            "Removing sensorcast \\(\\S+\\) \\.\\.\\.",
            "Purging configuration files for sensorcast \\(\\S+\\) \\.\\.\\.").map(Pattern::compile)
            .collect(Collectors.toList());

    private static Path deb;

    @BeforeAll
    static void findPackage() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            List<Path> debs = files.filter(p -> p.getFileName().toString().matches("sensorcast_.+_all\\.deb"))
                    .collect(Collectors.toList());
            assertEquals(1, debs.size(), "exactly one target/sensorcast_*_all.deb: " + debs);
            deb = debs.get(0).toAbsolutePath();
        }
        Requires.component(onPath("apt-get") && onPath("dpkg-deb"),
                "apt-get and dpkg-deb are not installed (a Debian system): the .deb is not installed anywhere");
        Requires.component(resolves("deb.debian.org"),
                "deb.debian.org cannot be resolved: the .deb's install test needs Debian's archive");
    }

    @ParameterizedTest(name = "{0} amd64")
    @ValueSource(strings = {"bookworm", "trixie"})
    void installsIntoAFreshRootWithoutTheBoardsGroupsQuietlyAndPurgesWithoutATrace(String suite) throws Exception {
        Requires.component(onPath("mmdebstrap"), "mmdebstrap is not installed (apt-get install mmdebstrap)");
        Requires.component(isRoot(), "installing into a chroot needs root (sudo mvn verify, or CI)");

        List<String> unitGroups = unitSupplementaryGroups();
        assertTrue(unitGroups.containsAll(List.of("gpio", "i2c", "spi")), "the unit's groups: " + unitGroups);
        Path out = fresh(WORK.resolve("out-" + suite));
        Path cache = Files.createDirectories(WORK.resolve("apt-cache-" + suite));
        // The package's dependencies go into the root first, so that the install step's output is this
        // package's alone; each alternative's first package, without its version.
        String include = String.join(",", dependsFirstAlternatives());

        Shell.Result r = Shell.run(WORK, Map.of(
                        "DEB", deb.toString(), "OUT", out.toString(), "UNIT_GROUPS", String.join(" ", unitGroups)),
                ROOT_TIMEOUT_SECONDS,
                "mmdebstrap", "--variant=apt", "--include=" + include,
                // The downloaded .debs stay between runs (a second run downloads nothing).
                "--skip=download/empty",
                "--setup-hook=mkdir -p \"$1\"/var/cache/apt/archives/",
                "--setup-hook=sync-in " + cache + " /var/cache/apt/archives/",
                "--customize-hook=sh " + HOOK + " \"$1\"",
                "--customize-hook=sync-out /var/cache/apt/archives " + cache,
                suite, "/dev/null");
        assertEquals(0, r.exit(), "mmdebstrap " + suite + " failed:\n" + r.output());

        for (String step : List.of("install", "reinstall", "remove", "purge")) {
            String log = Files.readString(out.resolve(step + ".log"));
            assertEquals("0", Files.readString(out.resolve(step + ".exit")).trim(),
                    suite + ": apt-get " + step + " failed:\n" + log);
            List<String> foreign = log.lines().filter(l -> APT_OWN.stream().noneMatch(p -> p.matcher(l).matches()))
                    .collect(Collectors.toList());
            assertEquals(List.of(), foreign, suite + ": " + step + " printed more than apt's own lines:\n" + log);
        }

        for (String step : List.of("install", "reinstall")) {
            List<String> state = state(out, step);
            String user = line(state, "user ");
            assertTrue(user.matches("user sensorcast:x:\\d{1,3}:\\d+:[^:]*:/nonexistent:/usr/sbin/nologin"),
                    suite + " " + step + ": a system user without home or shell: " + user);
            List<String> memberOf = Arrays.asList(line(state, "user-groups ").substring("user-groups ".length()).split(" "));
            for (String g : unitGroups) {
                String group = line(state, "group " + g + ":");
                assertTrue(group.matches("group " + g + ":x:\\d{1,3}:.*"),
                        suite + " " + step + ": " + g + " is a system group: " + group);
                assertTrue(memberOf.contains(g), suite + " " + step + ": sensorcast is in " + g + ": " + memberOf);
            }
        }
        assertTrue(state(out, "reinstall").contains("exists /var/lib/sensorcast/history/test-minutes"),
                suite + ": the history survives an upgrade: " + state(out, "reinstall"));
        List<String> removed = state(out, "remove");
        assertTrue(removed.contains("exists /var/lib/sensorcast/history/test-minutes"), "remove keeps the history: " + removed);
        assertTrue(removed.contains("exists /etc/sensorcast/conf.d/local.conf"), "remove keeps the configuration: " + removed);
        assertTrue(removed.contains("absent /var/cache/sensorcast"), "remove takes the class-data archive: " + removed);
        assertTrue(removed.stream().anyMatch(l -> l.startsWith("user sensorcast:")), "remove keeps the user: " + removed);

        List<String> purged = state(out, "purge");
        for (String gone : List.of("no-user sensorcast", "no-group sensorcast", "absent /etc/sensorcast",
                "absent /var/cache/sensorcast", "absent /var/lib/sensorcast")) {
            assertTrue(purged.contains(gone), suite + ": after purge, " + gone + ": " + purged);
        }
        for (String g : unitGroups) {
            // Like install.sh: the board's groups may own device nodes and other users' membership.
            assertTrue(purged.stream().anyMatch(l -> l.startsWith("group " + g + ":")), "purge keeps " + g + ": " + purged);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "bookworm, arm64, openjdk-17-jre-headless",
            "bookworm, armhf, openjdk-17-jre-headless",
            "trixie,   arm64, openjdk-21-jre-headless"})
    void dependsResolveAgainstTheBoardsArchitecture(String suite, String arch, String jre) throws Exception {
        // A private apt: its own sources, lists and an empty dpkg status, nothing of this machine's.
        Path dir = fresh(WORK.resolve("apt-" + suite + "-" + arch));
        for (String d : List.of("etc/apt/apt.conf.d", "etc/apt/preferences.d", "etc/apt/sources.list.d",
                "etc/apt/trusted.gpg.d", "var/lib/apt/lists/partial", "var/cache/apt/archives/partial", "var/lib/dpkg")) {
            Files.createDirectories(dir.resolve(d));
        }
        Files.writeString(dir.resolve("var/lib/dpkg/status"), "");
        Files.writeString(dir.resolve("etc/apt/sources.list"), "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg]"
                + " http://deb.debian.org/debian " + suite + " main\n");
        List<String> apt = new ArrayList<>(List.of("apt-get", "-q",
                "-o", "Dir=" + dir, "-o", "Dir::State::status=" + dir.resolve("var/lib/dpkg/status"),
                "-o", "APT::Architecture=" + arch, "-o", "APT::Architectures::=" + arch,
                "-o", "APT::Sandbox::User=root", "-o", "Acquire::Languages=none", "-o", "Debug::NoLocking=1"));

        List<String> update = new ArrayList<>(apt);
        update.add("update");
        Shell.Result u = Shell.run(WORK, Map.of(), APT_TIMEOUT_SECONDS, update.toArray(String[]::new));
        assertEquals(0, u.exit(), "apt-get update for " + suite + " " + arch + ":\n" + u.output());

        List<String> install = new ArrayList<>(apt);
        install.addAll(List.of("--simulate", "install", deb.toString()));
        Shell.Result s = Shell.run(WORK, Map.of(), APT_TIMEOUT_SECONDS, install.toArray(String[]::new));
        assertEquals(0, s.exit(), suite + " " + arch + ": the .deb's Depends cannot be met:\n" + s.output());
        List<String> inst = s.output().lines().filter(l -> l.startsWith("Inst ")).collect(Collectors.toList());
        assertTrue(inst.stream().anyMatch(l -> l.matches("Inst sensorcast \\(\\S+ .*\\[all\\]\\)")), s.output());
        assertTrue(inst.stream().anyMatch(l -> l.matches("Inst " + jre + " \\(.*\\[" + arch + "\\]\\)")),
                suite + " " + arch + ": the Java runtime apt picks is " + jre + " for " + arch + ":\n" + String.join("\n", inst));
    }

    // ---- helpers ----

    /** systemd/sensorcast.service's SupplementaryGroups=, the groups the unit cannot start without. */
    private static List<String> unitSupplementaryGroups() throws IOException {
        return Files.readAllLines(Path.of("systemd/sensorcast.service")).stream()
                .filter(l -> l.startsWith("SupplementaryGroups="))
                .flatMap(l -> Arrays.stream(l.substring(l.indexOf('=') + 1).trim().split("\\s+")))
                .collect(Collectors.toList());
    }

    private static List<String> dependsFirstAlternatives() throws Exception {
        Shell.Result r = Shell.run(WORK, Map.of(), 60, "dpkg-deb", "--field", deb.toString(), "Depends");
        assertEquals(0, r.exit(), r.output());
        return Arrays.stream(r.output().trim().split(","))
                .map(d -> d.split("\\|")[0].replaceAll("\\(.*\\)", "").trim())
                .collect(Collectors.toList());
    }

    private static List<String> state(Path out, String step) throws IOException {
        return Files.readAllLines(out.resolve(step + ".state"));
    }

    private static String line(List<String> state, String prefix) {
        return state.stream().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no '" + prefix + "' in " + state));
    }

    /** An empty directory (what an earlier run left there goes). */
    private static Path fresh(Path dir) throws Exception {
        Files.createDirectories(dir.getParent());
        Shell.Result r = Shell.run(dir.getParent(), Map.of(), 60, "rm", "-rf", dir.toString());
        assertEquals(0, r.exit(), r.output());
        return Files.createDirectories(dir);
    }

    private static boolean onPath(String command) {
        try {
            return Shell.run(Shell.REPO, Map.of(), 10, "sh", "-c", "command -v \"$1\"", "sh", command).exit() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static boolean resolves(String host) {
        try {
            return Shell.run(Shell.REPO, Map.of(), 20, "getent", "hosts", host).exit() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static boolean isRoot() {
        try {
            return Shell.run(Shell.REPO, Map.of(), 10, "id", "-u").output().trim().equals("0");
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}

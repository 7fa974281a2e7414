package io.sensorcast.deploy;

import static io.sensorcast.deploy.Shell.REPO;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sensorcast.testing.Requires;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/deploy.sh against a real sshd that the test starts on 127.0.0.1 with its own host key,
 * authorized key and config, all in a temporary directory. The remote side installs into a
 * DESTDIR tree and finds a fake systemctl first on its PATH (SetEnv), which logs its arguments
 * and remembers whether "the service" was started. The jar is a small dummy: mvn verify runs
 * the tests before the package phase, and install.sh only copies the jar.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DeployScriptTest {

    static final String SSHD = "/usr/sbin/sshd";

    @TempDir Path tmp;
    Process sshd;
    int port;
    Path dest;
    Path jar;
    Path log;

    @BeforeEach
    void startSshd() throws Exception {
        Requires.component(Shell.executable(SSHD), SSHD + " is missing (apt-get install openssh-server): deploy.sh not tested");
        assumeTrue(Shell.executable("/usr/bin/ssh-keygen") && Shell.executable("/usr/bin/ssh") && Shell.executable("/usr/bin/scp"),
                "ssh, scp or ssh-keygen is missing (apt-get install openssh-client): deploy.sh not tested");
        assumeTrue("root".equals(System.getProperty("user.name")),
                "not root: sshd started by another user only lets that user in, and install.sh would sudo");
        assumeTrue(Files.isDirectory(Path.of("/run/sshd")),
                "/run/sshd (sshd's privilege separation directory) is missing: .ci/run creates it");

        keygen(tmp.resolve("host_key"));
        keygen(tmp.resolve("id"));
        Files.copy(tmp.resolve("id.pub"), tmp.resolve("authorized_keys"));
        Path fakeBin = tmp.resolve("fakebin");
        log = tmp.resolve("systemctl.log");
        Path state = tmp.resolve("systemctl.active");
        Shell.writeExecutable(fakeBin.resolve("systemctl"), """
                #!/bin/sh
                echo "$*" >> '%s'
                case $1 in
                  is-active) [ -f '%s' ]; exit $? ;;
                  start|restart) touch '%s' ;;
                  status) echo "* sensorcast.service (fake status)" ;;
                esac
                exit 0
                """.formatted(log, state, state));

        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path config = tmp.resolve("sshd_config");
        Files.writeString(config, """
                Port %d
                ListenAddress 127.0.0.1
                HostKey %s
                PidFile %s
                AuthorizedKeysFile %s
                UsePAM no
                PasswordAuthentication no
                KbdInteractiveAuthentication no
                PubkeyAuthentication yes
                PermitRootLogin prohibit-password
                StrictModes no
                Subsystem sftp /usr/lib/openssh/sftp-server
                SetEnv PATH=%s:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
                """.formatted(port, tmp.resolve("host_key"), tmp.resolve("sshd.pid"), tmp.resolve("authorized_keys"), fakeBin));
        sshd = new ProcessBuilder(SSHD, "-D", "-e", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("sshd.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                break;
            } catch (IOException e) {
                if (!sshd.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("sshd did not listen on " + port + ":\n" + Files.readString(tmp.resolve("sshd.log")), e);
                }
                Thread.sleep(100);
            }
        }
        dest = tmp.resolve("device-root");
        jar = tmp.resolve("sensorcast.jar");
        Files.write(jar, new byte[] {'P', 'K', 3, 4, 1});
    }

    @AfterEach
    void stopSshd() throws InterruptedException {
        if (sshd != null) {
            sshd.descendants().forEach(ProcessHandle::destroy);
            sshd.destroy();
            if (!sshd.waitFor(5, TimeUnit.SECONDS)) {
                sshd.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private static void keygen(Path key) throws Exception {
        Shell.Result r = Shell.run(REPO, Map.of(), 30, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "sensorcast-test", "-f", key.toString());
        assertEquals(0, r.exit(), r.output());
    }

    private Shell.Result deploy() throws Exception {
        return Shell.run(REPO, Map.of(
                        "SSH_OPTS", "-i " + tmp.resolve("id") + " -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null"
                                + " -o BatchMode=yes -o LogLevel=ERROR",
                        "SENSORCAST_JAR", jar.toString(),
                        "SENSORCAST_DESTDIR", dest.toString()),
                90, "sh", REPO.resolve("deploy/deploy.sh").toString(), "-p", Integer.toString(port), "--no-build", "root@127.0.0.1");
    }

    private List<String> calls() throws IOException {
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    private Shell.Result okDeploy() throws Exception {
        Shell.Result r = deploy();
        assertEquals(0, r.exit(), r.output() + "\nsshd:\n" + Files.readString(tmp.resolve("sshd.log")));
        Matcher m = Pattern.compile("copying to root@127\\.0\\.0\\.1:(/tmp/sensorcast-deploy\\.\\w+)").matcher(r.output());
        assertTrue(m.find(), r.output());
        assertFalse(Files.exists(Path.of(m.group(1))), "the host's temporary directory is removed");
        return r;
    }

    @Test
    void installsOverSshStartsThenReloadsThenRestarts() throws Exception {
        Shell.Result first = okDeploy();
        assertArrayEquals(Files.readAllBytes(jar), Files.readAllBytes(dest.resolve("usr/share/sensorcast/sensorcast.jar")));
        assertArrayEquals(Files.readAllBytes(REPO.resolve("deploy/sensorcast")), Files.readAllBytes(dest.resolve("usr/bin/sensorcast")));
        assertArrayEquals(Files.readAllBytes(REPO.resolve("deploy/sensorcast.conf")),
                Files.readAllBytes(dest.resolve("etc/sensorcast/sensorcast.conf")));
        assertArrayEquals(Files.readAllBytes(REPO.resolve("systemd/sensorcast.service")),
                Files.readAllBytes(dest.resolve("lib/systemd/system/sensorcast.service")));
        assertTrue(Files.isDirectory(dest.resolve("etc/sensorcast/conf.d")));
        assertEquals("rwxr-xr-x", Shell.mode(dest.resolve("usr/bin/sensorcast")));
        assertEquals(List.of("is-active --quiet sensorcast", "start sensorcast", "status sensorcast --no-pager"), calls());
        assertTrue(first.output().contains("(fake status)"), first.output());
        assertTrue(first.output().contains("deploy: dashboard at http://127.0.0.1:8080/"), first.output());

        // The same jar again: a reload, which re-reads the configuration without dropping monitors.
        Files.writeString(dest.resolve("etc/sensorcast/conf.d/20-port.conf"), "[http]\nport = 9090\n");
        List<String> before = new ArrayList<>(calls());
        Shell.Result second = okDeploy();
        assertEquals(List.of("is-active --quiet sensorcast", "reload sensorcast", "status sensorcast --no-pager"),
                calls().subList(before.size(), calls().size()));
        assertTrue(second.output().contains("deploy: dashboard at http://127.0.0.1:9090/"), second.output());

        // A new jar: a restart; the edited config stays.
        Files.write(jar, new byte[] {'P', 'K', 3, 4, 2});
        Files.writeString(dest.resolve("etc/sensorcast/sensorcast.conf"), "server.name = greenhouse-pi\n");
        before = new ArrayList<>(calls());
        okDeploy();
        assertEquals(List.of("is-active --quiet sensorcast", "restart sensorcast", "status sensorcast --no-pager"),
                calls().subList(before.size(), calls().size()));
        assertArrayEquals(Files.readAllBytes(jar), Files.readAllBytes(dest.resolve("usr/share/sensorcast/sensorcast.jar")));
        assertEquals("server.name = greenhouse-pi\n", Files.readString(dest.resolve("etc/sensorcast/sensorcast.conf")));
    }

    @Test
    void aFailedInstallFailsTheDeploy() throws Exception {
        // DESTDIR is a file: install.sh cannot create its directories.
        Files.writeString(dest, "not a directory");
        Shell.Result r = deploy();
        assertTrue(r.exit() != 0, r.output());
        assertTrue(r.output().contains("the install on 127.0.0.1 failed"), r.output());
        assertFalse(calls().contains("start sensorcast"), "nothing started");
    }
}

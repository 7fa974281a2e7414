package io.sensorcast.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.alert.AlertEvent.Transition;
import io.sensorcast.testing.Requires;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS, as ntfy.sh and webhooks off the LAN need: against a local HttpsServer with a certificate
 * made for the test (keytool, key pair and self-signed certificate for 127.0.0.1). Trusting it
 * delivers; the default trust (the system's CAs) refuses it, so the certificate is checked.
 */
class HttpsNotifyTest {

    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    static Path dir;
    private static SSLContext server;
    private static SSLContext client;

    @BeforeAll
    static void makeCertificate() throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Requires.component(Files.isExecutable(keytool), "keytool, a JDK's tool (apt-get install openjdk-17-jdk-headless)");
        Path store = dir.resolve("server.p12");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "san=ip:127.0.0.1,dns:localhost",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).redirectOutput(dir.resolve("keytool.log").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("keytool did not finish in 60 s");
        }
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("keytool.log")));

        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD);
        server = SSLContext.getInstance("TLS");
        server.init(kmf.getKeyManagers(), null, null);

        Certificate cert = keys.getCertificate("server");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("test-ca", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);
    }

    @Test
    void ntfyOverHttpsWithATrustedCertificate() throws Exception {
        Notifiers n = new Notifiers("sensorcast/test", client, TimeUnit.MILLISECONDS.toNanos(10), ZoneOffset.UTC);
        try (FakeReceiver ntfy = FakeReceiver.https(server, x -> 200)) {
            n.configure(List.of(NotifiersTest.settings("phone", "ntfy", ntfy.uri("/alerts"), 5, "", Duration.ofSeconds(5), 0)));
            n.accept(NotifiersTest.event(Transition.FIRING, "warning", List.of()));
            FakeReceiver.Received r = ntfy.next();
            assertNotNull(r, "nothing arrived over HTTPS");
            assertEquals("/alerts", r.path());
            assertEquals("5", r.header("Priority"), "the configured priority");
            assertEquals("greenhouse.temperature is 1.5: below 2 since 22:10 (warning)", r.body());
            NotifiersTest.await(() -> n.counters("phone").sent() == 1, "counted sent");
        } finally {
            n.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void theSystemsCasDoNotTrustAnUnknownCertificate() throws Exception {
        Notifiers n = new Notifiers("sensorcast/test");
        try (FakeReceiver ntfy = FakeReceiver.https(server, x -> 200)) {
            n.configure(List.of(NotifiersTest.settings("phone", "ntfy", ntfy.uri("/alerts"), 0, "", Duration.ofSeconds(5), 0)));
            n.accept(NotifiersTest.event(Transition.FIRING, "warning", List.of()));
            NotifiersTest.await(() -> n.counters("phone").failed() == 1, "refused: the certificate is not trusted");
            assertEquals(0, n.counters("phone").sent());
            assertEquals(0, ntfy.count(), "no request got through");
        } finally {
            n.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void aTlsFailureSaysSo() {
        String why = Notifiers.reason(new java.util.concurrent.CompletionException(
                new javax.net.ssl.SSLHandshakeException("PKIX path building failed")), Duration.ofSeconds(10));
        assertTrue(why.startsWith("TLS: PKIX"), why);
    }
}

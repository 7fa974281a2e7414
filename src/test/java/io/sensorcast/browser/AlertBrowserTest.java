package io.sensorcast.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.alert.AlertRule;
import io.sensorcast.config.Settings;
import io.sensorcast.sensor.Device;
import io.sensorcast.testing.Browser;
import io.sensorcast.testing.TestSensors;
import io.sensorcast.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;

/** The dashboard's alert banner and the marked card, in headless Chromium against the real server (issue 20). */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AlertBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @BeforeEach
    void needsChromium() {
        Browser.assumeInstalled();
    }

    private static AlertRule warm(double above) {
        return new AlertRule("freezer-warm", List.of("freezer.temperature"), AlertRule.Kind.ABOVE, above, above, null,
                Duration.ZERO, "critical", Duration.ZERO, List.of(), "sensorcast.conf:1");
    }

    @Test
    void aFiringRuleShowsInTheBannerAndMarksItsCardUntilItResolves() throws Exception {
        List<Device> devices = List.of(
                Device.of(TestSensors.constant("freezer.temperature", "Freezer", "°C", -5, Duration.ofMillis(200))),
                Device.of(TestSensors.constant("room.temperature", "Room", "°C", 21.5, Duration.ofMillis(200))));
        AlertRule roomHot = new AlertRule("room-hot", List.of("room.temperature"), AlertRule.Kind.ABOVE, 30, 30, null,
                Duration.ZERO, "warning", Duration.ZERO, List.of(), "sensorcast.conf:9");
        Settings settings = TestServer.settings().alerts(List.of(warm(-15), roomHot)).build();
        try (TestServer server = TestServer.startDevices(settings, devices); Browser browser = Browser.start()) {
            browser.driver().get("http://127.0.0.1:" + server.port() + "/");
            browser.waitFor("the banner", WAIT, "!document.getElementById('alerts').hidden");
            String banner = browser.driver().findElement(By.id("alerts")).getText();
            assertTrue(banner.contains("freezer-warm") && banner.contains("Freezer") && banner.contains("above -15"), banner);
            assertTrue(!banner.contains("room-hot"), "only what fires: " + banner);
            assertEquals("critical", browser.driver().findElement(By.id("alerts")).getAttribute("data-severity"));
            browser.waitFor("the freezer's card marked", WAIT,
                    "document.querySelector('[data-channel=\"freezer.temperature\"]').dataset.alert === 'firing'");
            assertNull(browser.driver().findElement(By.cssSelector("[data-channel='room.temperature']")).getAttribute("data-alert"));
            Path shot = browser.screenshot("dashboard-alert");
            System.out.println("screenshot: " + shot);

            // A reload that makes the rule stricter resolves it: the banner goes, the card is unmarked.
            server.service().reload(settings.toBuilder().alerts(List.of(warm(0), roomHot)).build(), devices, List.of());
            browser.waitFor("the banner gone", WAIT, "document.getElementById('alerts').hidden");
            browser.waitFor("the card unmarked", WAIT,
                    "document.querySelector('[data-channel=\"freezer.temperature\"]').dataset.alert === undefined");
        }
    }
}

package io.sensorcast.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.testing.Browser;
import io.sensorcast.testing.Csv;
import io.sensorcast.testing.TestSensors;
import io.sensorcast.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** With {@code http.token} set, the page asks for the token once, then shows the cards (issue 5, Access). */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AccessTokenBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String TOKEN = "browser-token-7d3a91c0e5f2b684";

    @BeforeEach
    void needsChromium() {
        Browser.assumeInstalled();
    }

    private static void submit(Browser browser, String token) {
        WebElement input = browser.driver().findElement(By.id("login-token"));
        input.clear();
        input.sendKeys(token);
        browser.driver().findElement(By.cssSelector("#login-form button[type=submit]")).click();
    }

    @Test
    void thePageShowsTheLoginAndAfterTheTokenTheCards() throws Exception {
        try (TestServer server = TestServer.start(TestServer.settings().accessToken(TOKEN).build(),
                List.of(TestSensors.sine("wave", "Wave", "V", 10),
                        TestSensors.constant("room.temperature", "Room temperature", "°C", 21.5, Duration.ofSeconds(1))));
                Browser browser = Browser.start()) {
            browser.viewport(360, 780, true); // a phone: the form fits without scrolling sideways
            browser.driver().get("http://127.0.0.1:" + server.port() + "/");

            browser.waitFor("the login shows", WAIT, "!document.getElementById('login').hidden");
            browser.waitFor("the token field has the focus", WAIT, "document.activeElement.id === 'login-token'");
            assertEquals("locked", browser.driver().findElement(By.id("conn")).getAttribute("data-state"));
            assertEquals(0L, browser.js("return document.querySelectorAll('.card').length"), "no data without the token");
            assertEquals("password", browser.driver().findElement(By.id("login-token")).getAttribute("type"));
            assertEquals("Access token", browser.js("return document.querySelector('label[for=login-token]').textContent"));
            // A user name beside the password, for password managers (Chromium warns without one).
            assertEquals(1L, browser.js("return document.querySelectorAll('#login-form input[autocomplete=username]').length"));
            List<String> warnings = browser.consoleEntries().stream().map(e -> e.getMessage())
                    .filter(m -> m.contains("username")).toList();
            assertEquals(List.of(), warnings, "the browser's warnings about the form");
            assertTrue((Boolean) browser.js("return document.documentElement.scrollWidth <= window.innerWidth"),
                    "no sideways scrolling at 360 px");
            assertTrue(((Number) browser.js("return document.querySelector('#login-form button').getBoundingClientRect().height")).doubleValue() >= 40,
                    "a thumb-sized button");
            for (String scheme : List.of("light", "dark")) {
                browser.colorScheme(scheme);
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> found = (List<Map<String, Object>>) browser.js(DashboardBrowserTest.CONTRAST_JS,
                        ".login h2, .login p.hint, .login label, .login button, #conn");
                assertTrue(found.size() >= 5, "text elements measured: " + found);
                for (Map<String, Object> f : found) {
                    assertTrue(((Number) f.get("ratio")).doubleValue() >= 4.5, scheme + ": " + f + " is below 4.5:1");
                }
            }
            browser.screenshot("login-phone");

            submit(browser, "not-the-token-0000");
            browser.waitFor("a wrong token is said so", WAIT,
                    "document.getElementById('login-message').textContent.includes('not the access token')");
            assertEquals(0L, browser.js("return document.querySelectorAll('.card').length"));

            submit(browser, TOKEN);
            browser.waitFor("the cards show", WAIT, "document.querySelectorAll('.card').length === 2");
            browser.waitFor("live", WAIT, "document.getElementById('conn').dataset.state === 'live'");
            browser.waitFor("a value", WAIT,
                    "document.querySelector('[data-channel=\"wave.sine\"] .value').textContent !== '–'");
            assertTrue((Boolean) browser.js("return document.getElementById('login').hidden"));
            browser.waitFor("log out offered", WAIT, "!document.getElementById('logout').hidden");
            assertEquals("", browser.js("return document.cookie"), "the cookie is HttpOnly: scripts cannot read it");

            // The cookie is remembered: a reload goes straight to the cards.
            browser.driver().navigate().refresh();
            browser.waitFor("the cards show after a reload", WAIT, "document.querySelectorAll('.card').length === 2");
            assertTrue((Boolean) browser.js("return document.getElementById('login').hidden"));

            // Logging out asks again.
            browser.waitFor("log out offered", WAIT, "!document.getElementById('logout').hidden");
            browser.driver().findElement(By.cssSelector("#logout button")).click();
            browser.waitFor("the login shows after logging out", WAIT,
                    "document.getElementById('login') && !document.getElementById('login').hidden");
            assertEquals(0L, browser.js("return document.querySelectorAll('.card').length"));
        }
    }

    /** The Download CSV controls: plain links that carry the login's cookie, for the window shown. */
    @Test
    void theCsvDownloadsWorkWithTheTokensCookieForTheWindowShown(@TempDir Path downloads) throws Exception {
        try (TestServer server = TestServer.start(TestServer.settings().accessToken(TOKEN).build(),
                List.of(TestSensors.constant("room.temperature", "Room, \"north\"", "°C", 21.5, Duration.ofMillis(200)),
                        TestSensors.constant("tank.level", "Tank", "cm", 80, Duration.ofMillis(200))));
                Browser browser = Browser.start()) {
            browser.allowDownloads(downloads);
            browser.driver().get("http://127.0.0.1:" + server.port() + "/");
            browser.waitFor("the login shows", WAIT, "!document.getElementById('login').hidden");
            submit(browser, TOKEN);
            browser.waitFor("the cards show", WAIT, "document.querySelectorAll('.card').length === 2");
            browser.driver().findElement(By.xpath("//label[normalize-space()='1 h']")).click();
            browser.waitFor("a few points", WAIT, "document.querySelector('[data-channel=\"room.temperature\"]')"
                    + ".dataset.points >= 3");

            browser.driver().findElement(By.cssSelector("[data-channel=\"room.temperature\"] a.csv")).click();
            Path one = Browser.awaitDownload(downloads, "test-device_room.temperature_1h.csv", WAIT);
            List<List<String>> rows = Csv.parse(Files.readString(one));
            assertEquals(List.of("channel", "name", "unit", "time", "epoch_ms", "value"), rows.get(0));
            assertTrue(rows.size() >= 4, "points of the hour: " + rows.size());
            assertEquals(List.of("room.temperature", "Room, \"north\"", "°C"), rows.get(1).subList(0, 3));
            assertEquals("21.5", rows.get(1).get(5));

            browser.driver().findElement(By.xpath("//label[normalize-space()='24 h']")).click();
            browser.driver().findElement(By.id("csv-all")).click();
            Path all = Browser.awaitDownload(downloads, "test-device_all_24h.csv", WAIT);
            List<List<String>> minutes = Csv.parse(Files.readString(all));
            assertEquals(List.of("channel", "name", "unit", "time", "epoch_ms", "min", "avg", "max", "count"), minutes.get(0));
            assertEquals(List.of("room.temperature", "tank.level"),
                    minutes.stream().skip(1).map(r -> r.get(0)).distinct().toList(), "every channel");
        }
    }
}

package io.sensorcast.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through Debian's chromedriver, both named by path so that
 * Selenium Manager never runs (it would download a driver). Quit by close(), profile deleted.
 */
public final class Browser implements AutoCloseable {

    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriver driver;
    private final ChromeDriverService service;
    private final Path profile;

    private Browser(ChromeDriver driver, ChromeDriverService service, Path profile) {
        this.driver = driver;
        this.service = service;
        this.profile = profile;
    }

    /** Skips the calling test (an assumption, not a failure) where Chromium is not installed. */
    public static void assumeInstalled() {
        Requires.component(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "browser tests skipped: " + CHROMIUM + " and " + CHROMEDRIVER
                        + " are needed (apt-get install chromium chromium-driver; .ci/run installs them)");
    }

    public static Browser start() throws IOException {
        assumeInstalled();
        Path profile = Files.createTempDirectory("sensorcast-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // --no-sandbox: Chromium refuses to run as root with its sandbox (CI runs as root).
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1280,900", "--user-data-dir=" + profile,
                // performance.memory reports real heap sizes only with this flag.
                "--enable-precise-memory-info");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        try {
            return new Browser(new ChromeDriver(service, options), service, profile);
        } catch (RuntimeException e) {
            service.stop();
            delete(profile);
            throw e;
        }
    }

    public ChromeDriver driver() {
        return driver;
    }

    public Object js(String script, Object... args) {
        return driver.executeScript(script, args);
    }

    /** Polls {@code script} (a JS expression) until it is truthy; fails after {@code timeout}. */
    public void waitFor(String what, Duration timeout, String script) {
        // A script that throws (the element it reads is not on the page yet) means "not yet":
        // the wait goes on, and times out with what it waited for.
        new WebDriverWait(driver, timeout, Duration.ofMillis(50)).withMessage(what)
                .ignoring(org.openqa.selenium.JavascriptException.class)
                .until(d -> Boolean.TRUE.equals(driver.executeScript("return !!(" + script + ")")));
    }

    /** The console's entries since the last call. */
    public List<LogEntry> consoleEntries() {
        return driver.manage().logs().get(LogType.BROWSER).getAll();
    }

    /** Emulates a viewport (CSS pixels), e.g. a 360 px phone. */
    public void viewport(int width, int height, boolean mobile) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", mobile));
    }

    /** Saves what the page downloads into {@code dir} instead of asking (Chromium's DevTools protocol). */
    public void allowDownloads(Path dir) {
        driver.executeCdpCommand("Browser.setDownloadBehavior",
                Map.of("behavior", "allow", "downloadPath", dir.toAbsolutePath().toString()));
    }

    /**
     * The file named {@code name} in {@code dir} once the download has finished (no partial
     * {@code .crdownload} left); fails after {@code timeout}.
     */
    public static Path awaitDownload(Path dir, String name, Duration timeout) throws Exception {
        Path file = dir.resolve(name);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.isRegularFile(file) || Files.exists(dir.resolve(name + ".crdownload"))) {
            if (System.nanoTime() > deadline) {
                try (Stream<Path> there = Files.list(dir)) {
                    throw new AssertionError("no download " + name + " after " + timeout + "; the directory has "
                            + there.map(p -> p.getFileName().toString()).toList());
                }
            }
            Thread.sleep(50);
        }
        return file;
    }

    /** Emulates the system's light or dark preference (prefers-color-scheme). */
    public void colorScheme(String scheme) {
        driver.executeCdpCommand("Emulation.setEmulatedMedia",
                Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
    }

    /** Saves a full-page screenshot under target/screenshots and returns its path. */
    public Path screenshot(String name) throws IOException {
        Path dir = Path.of("target", "screenshots");
        Files.createDirectories(dir);
        Path out = dir.resolve(name + ".png");
        File shot = driver.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return out.toAbsolutePath();
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            delete(profile);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temp profile left behind is harmless; the test result is what matters.
        }
    }
}

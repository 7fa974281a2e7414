package io.sensorcast.http;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Files from outside the web root (WebJars) are served only when named, and must exist. */
class StaticFilesTest {

    @Test
    void namedWebJarFilesJoinThePackagedOnesAndNothingElseOfTheJar() {
        StaticFiles files = new StaticFiles("web",
                Map.of("vendor/uPlot.min.css", "META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.min.css"));
        assertTrue(files.names().contains("vendor/uPlot.min.css"));
        assertTrue(files.names().contains("index.html"));
        assertTrue(files.names().stream().noneMatch(n -> n.contains("esm")), files.names().toString());
    }

    @Test
    void aNamedFileMissingFromTheClassPathFailsAtStartNotOnFirstRequest() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new StaticFiles("web",
                Map.of("vendor/x.js", "META-INF/resources/webjars/uplot/0.0.0/dist/x.js")));
        assertTrue(e.getMessage().contains("x.js"), e.getMessage());
    }
}

package io.sensorcast.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.config.ConfigSchema;
import io.sensorcast.config.Key;
import io.sensorcast.testing.Requires;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sensorcast(1) says what --help and the configuration schema say: nothing of theirs left out. */
class ManPageTest {

    private static final String PAGE = ManPage.roff(CommandLine.USAGE, "1.2.3-SNAPSHOT", "2026-01-01");

    @Test
    void everyOptionOfHelpHasAnEntryAndEveryWordOfHelpIsOnThePage() {
        String options = CommandLine.USAGE.substring(CommandLine.USAGE.indexOf("\noptions:\n"));
        Matcher m = Pattern.compile("(?m)^  (--?[a-z][a-z-]*)").matcher(options);
        List<String> listed = new ArrayList<>();
        while (m.find()) {
            listed.add(m.group(1));
        }
        assertTrue(listed.containsAll(List.of("--config", "--port", "--help", "--version")), listed.toString());
        for (String option : listed) {
            assertTrue(PAGE.contains("\n.TP\n\\fB" + ManPage.text(option) + "\\fR"), "no entry for " + option + ":\n" + PAGE);
        }
        // Every option named anywhere in --help (--keys is in the usage lines only), and all its prose.
        Matcher any = Pattern.compile("--[a-z][a-z-]*").matcher(CommandLine.USAGE);
        while (any.find()) {
            assertTrue(Pattern.compile(Pattern.quote(ManPage.text(any.group())) + "(?![a-z]|\\\\-)").matcher(PAGE).find(),
                    any.group() + " is not on the page");
        }
        String plain = plain(PAGE);
        for (String word : CommandLine.USAGE.replace("usage:", "").replace("options:", "").split("\\s+")) {
            assertTrue(plain.contains(word), "'" + word + "' of --help is not on the page");
        }
    }

    @Test
    void everyKeyOfTheSchemaIsInItsSectionWithItsDefaultAndMeaning() {
        Map<String, List<Key>> sections = new LinkedHashMap<>();
        sections.put("Server", ConfigSchema.serverKeys());
        sections.put("Every device:", ConfigSchema.deviceCommonKeys());
        ConfigSchema.types().forEach((name, type) -> sections.put("\\fBtype = " + name + "\\fR: ", type.keys()));
        sections.put("Notifiers:", io.sensorcast.config.NotifySettings.keys());
        sections.put("Every alert rule:", ConfigSchema.alertKeys());
        assertTrue(sections.size() > 5, sections.keySet().toString());
        for (Map.Entry<String, List<Key>> s : sections.entrySet()) {
            int start = PAGE.indexOf("\n.SS " + s.getKey());
            assertTrue(start > 0, "no section " + s.getKey() + ":\n" + PAGE);
            int end = PAGE.indexOf("\n.S", start + 1);
            String section = PAGE.substring(start, end);
            for (Key k : s.getValue()) {
                int at = section.indexOf("\n.TP\n\\fB" + ManPage.text(k.name()) + "\\fR\n");
                assertTrue(at >= 0, k.name() + " is not in section " + s.getKey() + ":\n" + section);
                String entry = plain(section.substring(at).split("\n", 5)[3]);
                String def = k.isRequired() ? "Required." : "Default: ";
                assertTrue(entry.startsWith(def), k.name() + ": " + entry);
                if (k.defaultText() != null && !k.defaultText().isEmpty() && !k.isRequired()) {
                    assertTrue(entry.contains(k.defaultText()), k.name() + "'s default " + k.defaultText() + ": " + entry);
                }
                assertTrue(entry.contains(k.doc().substring(1).replace("`", "")), k.name() + "'s meaning: " + entry);
            }
        }
    }

    @Test
    void aLineOfHelpThePageCannotPlaceStopsTheBuild() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ManPage.roff(CommandLine.USAGE + "  a stray line\n", "1", "2026-01-01"));
        assertTrue(e.getMessage().contains("a stray line"), e.getMessage());
        assertThrows(IllegalStateException.class,
                () -> ManPage.roff(CommandLine.USAGE.replace("\noptions:\n", "\nflags:\n"), "1", "2026-01-01"));
    }

    @Test
    void headerNamesVersionAndDateAndRoffIsEscaped() {
        assertTrue(PAGE.contains("\n.TH SENSORCAST 1 \"2026-01-01\" \"sensorcast 1.2.3\\-SNAPSHOT\" \"User Commands\"\n"), PAGE);
        for (String line : PAGE.split("\n")) {
            // A text line never starts like a request, and no minus is left for roff to take as a hyphen.
            assertFalse(line.startsWith("'"), line);
            if (!line.startsWith(".TH ") && !line.startsWith(".\\\"")) {
                assertFalse(line.replace("\\-", "").contains("-"), "unescaped minus: " + line);
            }
        }
        assertEquals("a\\-b \\e \\[u00D7]", ManPage.text("a-b \\ \u00d7"));
    }

    @Test
    void gzipIsWhatGzip9nWrites() throws Exception {
        byte[] data = PAGE.getBytes(StandardCharsets.UTF_8);
        byte[] gz = ManPage.gzip(data);
        assertArrayEquals(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 2, 3}, java.util.Arrays.copyOf(gz, 10),
                "deflate, no name, no time, maximum compression, Unix");
        assertArrayEquals(data, new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes());
        assertArrayEquals(gz, ManPage.gzip(data), "the same bytes every time");
    }

    @Test
    void manRendersThePageWithoutAWarning(@TempDir Path tmp) throws Exception {
        Requires.component(new File("/usr/bin/man").canExecute(), "man is not installed (apt-get install man-db)");
        Path page = tmp.resolve("sensorcast.1");
        Files.writeString(page, PAGE);
        // What lintian runs on a package's manual pages.
        ProcessBuilder pb = new ProcessBuilder("man", "--warnings", "-E", "UTF-8", "-l", "-Tutf8", "-Z", page.toString())
                .redirectOutput(tmp.resolve("out").toFile()).redirectError(tmp.resolve("err").toFile());
        pb.environment().put("MANROFFSEQ", "");
        pb.environment().put("MANWIDTH", "80");
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "man hung");
        String err = Files.readString(tmp.resolve("err"));
        assertEquals(0, p.exitValue(), err);
        assertEquals("", err, "man's warnings");
        assertTrue(Files.size(tmp.resolve("out")) > 1000, "man rendered the page");
    }

    /** What a reader sees, roughly: font changes gone, escapes as their characters. */
    private static String plain(String roff) {
        String s = roff.replaceAll("\\\\f[BIR]", "").replace("\\-", "-").replace("\\e", "\\").replace("\\&", "");
        Matcher u = Pattern.compile("\\\\\\[u([0-9A-F]{4})\\]").matcher(s);
        StringBuilder sb = new StringBuilder();
        while (u.find()) {
            u.appendReplacement(sb, Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(u.group(1), 16))));
        }
        u.appendTail(sb);
        return sb.toString();
    }
}

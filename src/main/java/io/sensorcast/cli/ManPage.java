package io.sensorcast.cli;

import io.sensorcast.config.Key;
import io.sensorcast.config.KeyTable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * The manual page sensorcast(1), made by the build (pom.xml, prepare-package) from the text of
 * {@code --help} ({@link CommandLine#USAGE}) and the configuration reference the README's tables are
 * ({@link KeyTable#sections()}), so that it cannot say something else than they do. Written in
 * man(7) macros as {@code sensorcast.1}, and as {@code sensorcast.1.gz} the way {@code gzip -9n}
 * would (no name, no time: the same bytes at every build) for the .deb.
 */
public final class ManPage {

    /** A command or an option of --help: what is typed, and what it does. */
    record Entry(String form, String text) {}

    private static final Pattern USAGE_FORM = Pattern.compile("(sensorcast\\b.*?)(?:\\s{2,}(\\S.*))?");
    private static final Pattern OPTION = Pattern.compile("  (-\\S+(?: [A-Z]+)?)\\s{2,}(\\S.*)");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    private ManPage() {}

    /** {@code ManPage DIRECTORY VERSION TIMESTAMP}: writes sensorcast.1 and sensorcast.1.gz there. */
    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: ManPage DIRECTORY VERSION BUILD-TIMESTAMP (e.g. 2026-01-01T00:00:00Z)");
        }
        Path dir = Files.createDirectories(Path.of(args[0]));
        byte[] page = roff(CommandLine.USAGE, args[1], args[2].substring(0, Math.min(10, args[2].length())))
                .getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("sensorcast.1"), page);
        Files.write(dir.resolve("sensorcast.1.gz"), gzip(page));
    }

    /** The page: NAME, SYNOPSIS, DESCRIPTION, COMMANDS and OPTIONS from {@code usage}, CONFIGURATION from the schema. */
    static String roff(String usage, String version, String date) {
        List<Entry> commands = new ArrayList<>();
        List<String> description = new ArrayList<>();
        List<Entry> options = new ArrayList<>();
        parseUsage(usage, commands, description, options);

        StringBuilder m = new StringBuilder();
        m.append(".\\\" Made by the build (io.sensorcast.cli.ManPage) from --help and the configuration schema.\n");
        m.append(".TH SENSORCAST 1 \"").append(date).append("\" \"sensorcast ").append(text(version))
                .append("\" \"User Commands\"\n");
        m.append(".SH NAME\nsensorcast \\- live sensor readings for browsers on the LAN\n");
        m.append(".SH SYNOPSIS\n.nf\n");
        for (Entry c : commands) {
            m.append("\\fBsensorcast\\fR").append(text(c.form().substring("sensorcast".length()))).append('\n');
        }
        m.append(".fi\n.SH DESCRIPTION\n");
        for (int i = 0; i < description.size(); i++) {
            if (i > 0) {
                m.append(".PP\n");
            }
            m.append(line(text(description.get(i)))).append('\n');
        }
        m.append(".SH COMMANDS\n");
        for (Entry c : commands) {
            m.append(".TP\n").append(line("\\fB" + text(c.form()) + "\\fR")).append('\n')
                    .append(line(text(c.text()))).append('\n');
        }
        m.append(".SH OPTIONS\n");
        for (Entry o : options) {
            String form = text(o.form()).replaceFirst("^(\\S+)( (.+))?$", "\\\\fB$1\\\\fR$2");
            form = form.replaceFirst(" ([A-Z]+)$", " \\\\fI$1\\\\fR");
            m.append(".TP\n").append(line(form)).append('\n').append(line(text(o.text()))).append('\n');
        }
        m.append(".SH CONFIGURATION\n");
        m.append(line(inline("The server reads /etc/sensorcast/sensorcast.conf and then every conf.d/*.conf beside it,"
                + " in name order; a later file overrides an earlier one. `sensorcast check` validates them;"
                + " `sensorcast check --keys` prints the keys below as Markdown tables, as the README has them."))).append('\n');
        for (KeyTable.Section s : KeyTable.sections()) {
            m.append(".SS ").append(inline(s.heading())).append('\n');
            if (s.keys().isEmpty()) {
                m.append("No keys of its own.\n");
            }
            for (Key k : s.keys()) {
                String def = KeyTable.defaultCell(k);
                String what = def.equals("required") ? "Required." : "Default: " + def + ".";
                m.append(".TP\n").append(line("\\fB" + text(k.name()) + "\\fR")).append('\n')
                        .append(line(inline(what + " " + capital(k.doc()) + "."))).append('\n');
            }
        }
        m.append(".SH FILES\n");
        file(m, "/etc/sensorcast/sensorcast.conf", "the configuration (a conffile: an update keeps your changes)");
        file(m, "/etc/sensorcast/conf.d/", "more configuration files (*.conf), e.g. from sensorcast detect");
        file(m, "/usr/lib/systemd/system/sensorcast.service", "the service (systemctl edit sensorcast for local changes)");
        file(m, "/var/cache/sensorcast/", "the service's class-data archive, made on this device");
        file(m, "/usr/share/doc/sensorcast/README.md", "the full guide: wiring, the dashboard, the APIs, troubleshooting");
        m.append(".SH SEE ALSO\n").append(line("\\fBsystemctl\\fR(1), \\fBjournalctl\\fR(1)")).append('\n');
        return m.toString();
    }

    /**
     * Splits --help into its parts: the usage block (each form of the command and what it does), the
     * paragraphs before "options:", and the options. A line it cannot place stops the build, so the
     * page never silently leaves out something --help says.
     */
    static void parseUsage(String usage, List<Entry> commands, List<String> description, List<Entry> options) {
        List<String> lines = usage.lines().toList();
        int i = 0;
        if (lines.isEmpty() || !lines.get(0).startsWith("usage: ")) {
            throw new IllegalStateException("--help does not start with 'usage: '");
        }
        int indent = "usage: ".length();
        for (; i < lines.size() && !lines.get(i).isBlank(); i++) {
            String l = lines.get(i).substring(Math.min(indent, lines.get(i).length()));
            Matcher form = USAGE_FORM.matcher(l);
            if (form.matches()) {
                commands.add(new Entry(form.group(1).trim(), form.group(2) == null ? "" : form.group(2).trim()));
            } else if (!commands.isEmpty() && l.startsWith(" ")) {
                Entry last = commands.remove(commands.size() - 1);
                commands.add(new Entry(last.form(), join(last.text(), l)));
            } else {
                throw new IllegalStateException("--help's usage block has a line the manual page cannot place: " + l);
            }
        }
        StringBuilder paragraph = new StringBuilder();
        for (; i < lines.size() && !lines.get(i).equals("options:"); i++) {
            if (lines.get(i).isBlank()) {
                if (paragraph.length() > 0) {
                    description.add(paragraph.toString());
                    paragraph.setLength(0);
                }
            } else {
                paragraph.append(paragraph.length() == 0 ? "" : " ").append(lines.get(i).trim());
            }
        }
        if (paragraph.length() > 0) {
            description.add(paragraph.toString());
        }
        if (i == lines.size()) {
            throw new IllegalStateException("--help has no 'options:' line");
        }
        for (i++; i < lines.size(); i++) {
            String l = lines.get(i);
            Matcher option = OPTION.matcher(l);
            if (option.matches()) {
                options.add(new Entry(option.group(1), option.group(2).trim()));
            } else if (!options.isEmpty() && l.startsWith("    ")) {
                Entry last = options.remove(options.size() - 1);
                options.add(new Entry(last.form(), join(last.text(), l)));
            } else if (!l.isBlank()) {
                throw new IllegalStateException("--help's options have a line the manual page cannot place: " + l);
            }
        }
        if (commands.isEmpty() || options.isEmpty()) {
            throw new IllegalStateException("--help has no commands or no options");
        }
    }

    private static String join(String text, String continuation) {
        return text.isEmpty() ? continuation.trim() : text + " " + continuation.trim();
    }

    private static void file(StringBuilder m, String path, String what) {
        m.append(".TP\n").append(line("\\fI" + text(path) + "\\fR")).append('\n').append(line(text(what))).append('\n');
    }

    private static String capital(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** Markdown's `code` in bold, the rest as {@link #text}. */
    private static String inline(String markdown) {
        StringBuilder sb = new StringBuilder();
        Matcher c = CODE.matcher(markdown);
        int at = 0;
        while (c.find()) {
            sb.append(text(markdown.substring(at, c.start()))).append("\\fB").append(text(c.group(1))).append("\\fR");
            at = c.end();
        }
        return sb.append(text(markdown.substring(at))).toString();
    }

    /** Plain text for roff: backslashes and hyphens escaped, characters beyond ASCII as \[uXXXX]. */
    static String text(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\\') {
                sb.append("\\e");
            } else if (ch == '-') {
                sb.append("\\-");
            } else if (ch > 126) {
                sb.append(String.format("\\[u%04X]", (int) ch));
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }

    /** A text line that roff must not take for a request (a leading dot or quote). */
    private static String line(String roff) {
        return roff.startsWith(".") || roff.startsWith("'") ? "\\&" + roff : roff;
    }

    /** gzip -9n: the header flags maximum compression (XFL 2) and Unix (OS 3), with no name and no time. */
    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 2, 3});
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        deflater.setInput(data);
        deflater.finish();
        byte[] buf = new byte[8192];
        while (!deflater.finished()) {
            out.write(buf, 0, deflater.deflate(buf));
        }
        deflater.end();
        CRC32 crc = new CRC32();
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                .putInt((int) crc.getValue()).putInt(data.length).array());
        return out.toByteArray();
    }
}

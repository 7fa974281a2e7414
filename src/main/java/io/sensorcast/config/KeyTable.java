package io.sensorcast.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Every key with its default and meaning, as Markdown tables: what {@code sensorcast check --keys}
 * prints and what the README's configuration reference is (a test keeps the two the same). The
 * manual page renders the same {@link #sections()}.
 */
public final class KeyTable {

    /** One heading of the reference (Markdown: `code` in backquotes) and its keys, perhaps none. */
    public record Section(String heading, List<Key> keys) {}

    private KeyTable() {}

    public static List<Section> sections() {
        List<Section> sections = new ArrayList<>();
        sections.add(new Section("Server", ConfigSchema.serverKeys()));
        sections.add(new Section("Every device: `device.<id>.<key>`", ConfigSchema.deviceCommonKeys()));
        for (ConfigSchema.DeviceType type : ConfigSchema.types().values()) {
            sections.add(new Section("`type = " + type.name() + "`: " + type.summary()
                    + " (interval " + Values.format(type.defaultInterval()) + ")", type.keys()));
        }
        sections.add(new Section("Every alert rule: `[alert.<name>]` (built in: "
                + String.join(", ", ConfigSchema.builtInAlerts().keySet()) + ")", ConfigSchema.alertKeys()));
        sections.add(new Section("Notifiers: `notify.<name>.<key>`", NotifySettings.KEYS));
        return sections;
    }

    /** A key's default as the tables show it (Markdown): `value`, required, (none), (empty) or a phrase. */
    public static String defaultCell(Key k) {
        if (k.defaultText() != null && k.defaultText().startsWith("(")) {
            return k.defaultText();
        }
        return k.isRequired() ? "required" : k.defaultText() == null ? "(none)" : k.defaultText().isEmpty() ? "(empty)" : "`" + k.defaultText() + "`";
    }

    public static String markdown() {
        StringBuilder sb = new StringBuilder();
        for (Section s : sections()) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            sb.append("#### ").append(s.heading()).append("\n\n");
            if (s.keys().isEmpty()) {
                sb.append("No keys of its own.\n");
            } else {
                table(sb, s.keys());
            }
        }
        return sb.toString();
    }

    private static void table(StringBuilder sb, List<Key> keys) {
        sb.append("| key | default | meaning |\n|---|---|---|\n");
        for (Key k : keys) {
            sb.append("| `").append(k.name()).append("` | ").append(defaultCell(k)).append(" | ").append(k.doc().replace("|", "\\|"))
                    .append(" |\n");
        }
    }
}

package io.sensorcast.config;

import java.util.Map;

/**
 * Every key with its default and meaning, as Markdown tables: what {@code sensorcast check --keys}
 * prints and what the README's configuration reference is (a test keeps the two the same).
 */
public final class KeyTable {

    private KeyTable() {}

    public static String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("#### Server\n\n");
        table(sb, "key", ConfigSchema.serverKeys());
        sb.append("\n#### Every device: `device.<id>.<key>`\n\n");
        table(sb, "key", ConfigSchema.deviceCommonKeys());
        for (Map.Entry<String, ConfigSchema.DeviceType> t : ConfigSchema.types().entrySet()) {
            ConfigSchema.DeviceType type = t.getValue();
            sb.append("\n#### `type = ").append(type.name()).append("`: ").append(type.summary())
                    .append(" (interval ").append(Values.format(type.defaultInterval())).append(")\n\n");
            if (type.keys().isEmpty()) {
                sb.append("No keys of its own.\n");
            } else {
                table(sb, "key", type.keys());
            }
        }
        return sb.toString();
    }

    private static void table(StringBuilder sb, String first, java.util.List<Key> keys) {
        sb.append("| ").append(first).append(" | default | meaning |\n|---|---|---|\n");
        for (Key k : keys) {
            String def = k.isRequired() ? "required" : k.defaultText() == null ? "(none)" : k.defaultText().isEmpty() ? "(empty)" : "`" + k.defaultText() + "`";
            if (k.defaultText() != null && k.defaultText().startsWith("(")) {
                def = k.defaultText();
            }
            sb.append("| `").append(k.name()).append("` | ").append(def).append(" | ").append(k.doc().replace("|", "\\|"))
                    .append(" |\n");
        }
    }
}

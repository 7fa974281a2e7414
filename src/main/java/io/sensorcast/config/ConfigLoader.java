package io.sensorcast.config;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads {@code sensorcast.conf} and then {@code conf.d/*.conf} beside it in name order, validates
 * everything against {@link ConfigSchema}, and reports every mistake at once with file, line and key.
 *
 * <p>Precedence: a later file overrides a key of an earlier one (that is what conf.d is for); the
 * same key twice in one file is a mistake. Devices: when no file defines any, the built-in ones run
 * (system channels and a simulated channel); once a file defines one, exactly the defined ones run.
 */
public final class ConfigLoader {

    public static final Path DEFAULT_FILE = Path.of("/etc/sensorcast/sensorcast.conf");
    private static final Pattern DEVICE_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
    static final String BUILT_IN = "(built-in)";
    private static final long MAX_FILE_BYTES = 1 << 20;

    /** The outcome: a config when {@link #errors()} is empty. */
    public record Result(Config config, List<ConfigError> errors) {
        public boolean ok() {
            return errors.isEmpty();
        }
    }

    private ConfigLoader() {}

    /**
     * Loads {@code mainFile} and its conf.d. A missing main file is the built-in configuration
     * unless {@code required} (a file named with --config must exist).
     */
    public static Result load(Path mainFile, boolean required) {
        List<ConfigError> errors = new ArrayList<>();
        List<ConfigEntry> entries = new ArrayList<>();
        List<String> files = new ArrayList<>();
        if (Files.exists(mainFile) || required) {
            read(mainFile, entries, files, errors);
        }
        Path confD = mainFile.toAbsolutePath().getParent() == null ? null : mainFile.toAbsolutePath().getParent().resolve("conf.d");
        if (confD != null && Files.isDirectory(confD)) {
            List<Path> parts = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(confD, "*.conf")) {
                ds.forEach(parts::add);
            } catch (IOException e) {
                errors.add(new ConfigError(confD.toString(), 0, "", "cannot list: " + e.getMessage()));
            } catch (DirectoryIteratorException e) {
                // Thrown by the iteration (readdir failing part-way), not by the open.
                IOException cause = e.getCause();
                String reason = cause instanceof FileSystemException f && f.getReason() != null ? f.getReason() : cause.getMessage();
                errors.add(new ConfigError(confD.toString(), 0, "", "cannot list: " + reason));
            }
            parts.sort(null);
            for (Path p : parts) {
                read(p, entries, files, errors);
            }
        }
        return validate(entries, errors, files);
    }

    /** Parses and validates file contents given as text (name → text, in order). For tests and tools. */
    public static Result fromTexts(Map<String, String> texts) {
        List<ConfigError> errors = new ArrayList<>();
        List<ConfigEntry> entries = new ArrayList<>();
        texts.forEach((name, text) -> entries.addAll(ConfigSyntax.parse(name, text, errors)));
        return validate(entries, errors, new ArrayList<>(texts.keySet()));
    }

    private static void read(Path file, List<ConfigEntry> entries, List<String> files, List<ConfigError> errors) {
        String name = file.toString();
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                errors.add(new ConfigError(name, 0, "", "larger than 1 MiB; is this the right file?"));
                return;
            }
            String text = Files.readString(file, StandardCharsets.UTF_8);
            files.add(name);
            entries.addAll(ConfigSyntax.parse(name, text, errors));
        } catch (NoSuchFileException e) {
            errors.add(new ConfigError(name, 0, "", "no such file"));
        } catch (MalformedInputException e) {
            errors.add(new ConfigError(name, 0, "", "not UTF-8 text"));
        } catch (IOException e) {
            errors.add(new ConfigError(name, 0, "", "cannot read: " + e.getMessage()));
        }
    }

    static Result validate(List<ConfigEntry> entries, List<ConfigError> errors, List<String> files) {
        Map<String, ConfigEntry> merged = merge(entries, errors);

        Settings.Builder settings = Settings.builder();
        Map<String, ConfigSchema.ServerKey> serverKeys = new LinkedHashMap<>();
        ConfigSchema.SERVER.forEach(k -> serverKeys.put(k.key().name, k));
        Map<String, Map<String, ConfigEntry>> deviceEntries = new LinkedHashMap<>();
        Map<String, Map<String, ConfigEntry>> notifyEntries = new LinkedHashMap<>();
        Map<String, Map<String, ConfigEntry>> alertEntries = new LinkedHashMap<>();

        for (ConfigEntry e : merged.values()) {
            if (NotifySettings.collect(e, notifyEntries, errors)) {
                continue;
            }
            if (e.key().startsWith("alert.") || e.key().equals("alert")) {
                String[] parts = e.key().split("\\.", 3);
                if (parts.length < 3 || parts[2].contains(".")) {
                    errors.add(e.error("alert keys look like alert.<name>.<key>, e.g. [alert.greenhouse-cold] then channel = ..."));
                } else if (!DEVICE_ID.matcher(parts[1]).matches()) {
                    errors.add(e.error("alert name '" + parts[1] + "' must be 1-32 characters of a-z, 0-9, '_' or '-'"));
                } else {
                    alertEntries.computeIfAbsent(parts[1], id -> new LinkedHashMap<>()).put(parts[2], e);
                }
                continue;
            }
            if (e.key().startsWith("device.") || e.key().equals("device")) {
                String[] parts = e.key().split("\\.", 3);
                if (parts.length < 3 || parts[2].contains(".")) {
                    errors.add(e.error("device keys look like device.<id>.<key>, e.g. device.greenhouse.type"));
                } else if (!DEVICE_ID.matcher(parts[1]).matches()) {
                    errors.add(e.error("device id '" + parts[1] + "' must be 1-32 characters of a-z, 0-9, '_' or '-'"));
                } else {
                    deviceEntries.computeIfAbsent(parts[1], id -> new LinkedHashMap<>()).put(parts[2], e);
                }
                continue;
            }
            ConfigSchema.ServerKey sk = serverKeys.get(e.key());
            if (sk == null) {
                errors.add(e.error("unknown key" + Suggestion.didYouMean(e.key(), serverKeys.keySet())));
                continue;
            }
            try {
                sk.apply().accept(settings, sk.key().parse(e.value()));
            } catch (IllegalArgumentException ex) {
                errors.add(e.error(ex.getMessage()));
            }
        }

        List<DeviceConfig> devices = new ArrayList<>();
        if (deviceEntries.isEmpty()) {
            deviceEntries.put("system", Map.of("type", new ConfigEntry(BUILT_IN, 0, "device.system.type", "system")));
            deviceEntries.put("sim", Map.of("type", new ConfigEntry(BUILT_IN, 0, "device.sim.type", "sim")));
        }
        Map<String, String> claimed = new HashMap<>();
        for (Map.Entry<String, Map<String, ConfigEntry>> d : deviceEntries.entrySet()) {
            DeviceConfig dc = device(d.getKey(), d.getValue(), errors);
            if (dc == null) {
                continue;
            }
            if (!dc.bool("enabled")) {
                continue; // a disabled device holds no pin or address
            }
            for (String claim : ConfigSchema.types().get(dc.type()).claims().apply(dc)) {
                String other = claimed.putIfAbsent(claim, dc.id() + " (" + dc.origin() + ")");
                if (other != null) {
                    ConfigEntry at = d.getValue().get("type");
                    errors.add(at.error(claim + " is already used by device " + other));
                }
            }
            devices.add(dc);
        }

        checkMqtt(merged, errors);
        settings.notifiers(NotifySettings.build(notifyEntries, errors));
        settings.alerts(AlertRules.of(alertEntries, notifierNames(merged), errors));
        Settings built = null;
        try {
            built = settings.build();
        } catch (IllegalArgumentException ex) {
            errors.add(new ConfigError(files.isEmpty() ? BUILT_IN : files.get(0), 0, "", ex.getMessage()));
        }
        return new Result(errors.isEmpty() ? new Config(built, List.copyOf(devices), List.copyOf(files)) : null,
                List.copyOf(errors));
    }

    /** The names of the {@code [notify.NAME]} sections, which a rule's {@code notify} may name. */
    private static Set<String> notifierNames(Map<String, ConfigEntry> merged) {
        Set<String> names = new TreeSet<>();
        for (String key : merged.keySet()) {
            String[] parts = key.split("\\.", 3);
            if (parts.length == 3 && parts[0].equals("notify")) {
                names.add(parts[1]);
            }
        }
        return names;
    }

    /** MQTT rules that span keys: one password source, a user name with it, a password file that can be read. */
    private static void checkMqtt(Map<String, ConfigEntry> merged, List<ConfigError> errors) {
        ConfigEntry password = nonEmpty(merged.get("mqtt.password"));
        ConfigEntry file = nonEmpty(merged.get("mqtt.password_file"));
        ConfigEntry user = nonEmpty(merged.get("mqtt.username"));
        if (password != null && file != null) {
            errors.add(file.error("set either mqtt.password or mqtt.password_file, not both (mqtt.password is on "
                    + password.file() + ":" + password.line() + ")"));
        }
        ConfigEntry secret = password != null ? password : file;
        if (secret != null && user == null) {
            errors.add(secret.error("a password needs mqtt.username too (MQTT sends no password without a user name)"));
        }
        if (file != null) {
            Path p = Path.of(file.value().strip());
            if (!Files.isRegularFile(p)) {
                errors.add(file.error("no such file: " + p));
            } else if (!Files.isReadable(p)) {
                errors.add(file.error("cannot read " + p + " as this user; the service reads it as its own user"
                        + " (chgrp sensorcast, chmod 640)"));
            }
        }
    }

    private static ConfigEntry nonEmpty(ConfigEntry e) {
        return e == null || e.value().isBlank() ? null : e;
    }

    /** Later files override earlier ones; a key twice in one file is an error. */
    private static Map<String, ConfigEntry> merge(List<ConfigEntry> entries, List<ConfigError> errors) {
        Map<String, ConfigEntry> merged = new LinkedHashMap<>();
        for (ConfigEntry e : entries) {
            ConfigEntry prev = merged.get(e.key());
            if (prev != null && prev.file().equals(e.file())) {
                errors.add(e.error("set twice in this file (first on line " + prev.line() + ")"));
                continue;
            }
            if (prev != null) {
                merged.remove(e.key()); // re-insert so file order follows the overriding entry
            }
            merged.put(e.key(), e);
        }
        return merged;
    }

    private static DeviceConfig device(String id, Map<String, ConfigEntry> keys, List<ConfigError> errors) {
        ConfigEntry typeEntry = keys.get("type");
        ConfigEntry first = keys.values().iterator().next();
        if (typeEntry == null) {
            errors.add(new ConfigError(first.file(), first.line(), "device." + id + ".type",
                    "missing: every device needs a type (" + String.join(", ", ConfigSchema.types().keySet()) + ")"));
            return null;
        }
        ConfigSchema.DeviceType type = ConfigSchema.types().get(typeEntry.value().strip());
        if (type == null) {
            errors.add(typeEntry.error("unknown device type '" + typeEntry.value() + "'"
                    + Suggestion.didYouMean(typeEntry.value().strip(), ConfigSchema.types().keySet())
                    + "; known: " + String.join(", ", ConfigSchema.types().keySet())));
            return null;
        }
        Map<String, Key> allowed = new LinkedHashMap<>();
        ConfigSchema.DEVICE_COMMON.forEach(k -> allowed.put(k.name, k));
        type.keys().forEach(k -> allowed.put(k.name, k));

        int errorsBefore = errors.size();
        Map<String, Object> values = new HashMap<>();
        for (Map.Entry<String, ConfigEntry> kv : keys.entrySet()) {
            ConfigEntry e = kv.getValue();
            Key k = allowed.get(kv.getKey());
            if (k == null) {
                errors.add(e.error("unknown key for a " + type.name() + " device"
                        + Suggestion.didYouMean(kv.getKey(), allowed.keySet())));
                continue;
            }
            try {
                values.put(k.name, k.name.equals("type") ? type.name() : k.parse(e.value()));
            } catch (IllegalArgumentException ex) {
                errors.add(e.error(ex.getMessage()));
            }
        }
        for (Key k : allowed.values()) {
            if (values.containsKey(k.name) || keys.containsKey(k.name)) {
                continue;
            }
            if (k.required) {
                errors.add(new ConfigError(typeEntry.file(), typeEntry.line(), "device." + id + "." + k.name,
                        "missing: a " + type.name() + " device needs " + k.name + " (" + k.doc + ")"));
            } else if (k.defaultText != null && !k.defaultText.startsWith("(")) {
                values.put(k.name, k.parse(k.defaultText));
            }
        }
        values.putIfAbsent("name", id);
        values.putIfAbsent("interval", type.defaultInterval());
        String origin = typeEntry.file() + (typeEntry.line() > 0 ? ":" + typeEntry.line() : "");
        DeviceConfig dc = new DeviceConfig(id, type.name(), values, origin);
        if (errors.size() == errorsBefore) {
            checkCombinations(dc, keys, typeEntry, errors);
        }
        return errors.size() == errorsBefore ? withRate(dc) : null;
    }

    /** Rules that span keys of one device. */
    private static void checkCombinations(DeviceConfig d, Map<String, ConfigEntry> keys, ConfigEntry typeEntry,
                                          List<ConfigError> errors) {
        String prefix = "device." + d.id() + ".";
        switch (d.type()) {
            case "sysfs" -> {
                if (d.has("path") == d.has("iio_device")) {
                    errors.add(typeEntry.error("a sysfs device needs either path or iio_device (with iio_channel), not "
                            + (d.has("path") ? "both" : "neither")));
                } else if (d.has("iio_device") && !d.has("iio_channel")) {
                    errors.add(keys.get("iio_device").error("iio_device needs iio_channel too (e.g. in_temp)"));
                }
                if (d.has("iio_device")) {
                    // IIO gives its own scale, offset and unit (sysfs-bus-iio); ours would be ignored.
                    for (String k : List.of("scale", "offset", "unit")) {
                        if (keys.containsKey(k)) {
                            errors.add(keys.get(k).error("applies to path only; an IIO channel brings its own"));
                        }
                    }
                }
                checkQuantity(d, keys, typeEntry, errors);
            }
            case "counter" -> checkQuantity(d, keys, typeEntry, errors);
            case "w1" -> {
                if (!Pattern.matches("28-[0-9a-f]{12}", d.string("sensor"))) {
                    errors.add(keys.get("sensor").error("'" + d.string("sensor")
                            + "' is not a DS18B20 id like 28-0316a2794ca5 (ls /sys/bus/w1/devices)"));
                }
            }
            case "mcp3008" -> {
                Set<Long> seen = new TreeSet<>();
                for (String s : d.list("inputs")) {
                    long in;
                    try {
                        in = Values.integer(s);
                    } catch (IllegalArgumentException e) {
                        in = -1;
                    }
                    if (in < 0 || in > 7 || !seen.add(in)) {
                        errors.add(at(keys, "inputs", typeEntry).error("'" + s + "' is not a distinct input 0-7"));
                    }
                }
                if (seen.isEmpty() && d.list("inputs").isEmpty()) {
                    errors.add(at(keys, "inputs", typeEntry).error("lists no input; write e.g. 0,1"));
                }
            }
            case "command" -> {
                checkQuantity(d, keys, typeEntry, errors);
                try {
                    if (CommandWords.split(d.string("command")).isEmpty()) {
                        errors.add(at(keys, "command", typeEntry).error("names no program"));
                    }
                } catch (IllegalArgumentException e) {
                    errors.add(at(keys, "command", typeEntry).error(e.getMessage()));
                }
                try {
                    Pattern.compile(d.string("pattern"));
                } catch (PatternSyntaxException e) {
                    errors.add(at(keys, "pattern", typeEntry).error("not a regular expression: " + e.getDescription()));
                }
            }
            case "sim" -> {
                if (d.number("min") > d.number("max")) {
                    errors.add(at(keys, "min", typeEntry).error("min " + d.number("min") + " is above max " + d.number("max")));
                }
            }
            default -> { }
        }
        if (d.onDemand() && d.type().equals("gpio")) {
            errors.add(at(keys, "mode", typeEntry).error("a gpio input reports edges as they happen; use mode = continuous"));
        }
        if (keys.containsKey("interval") && keys.containsKey("rate") && d.number("rate") > 0) {
            errors.add(keys.get("rate").error("set either rate or interval, not both (" + prefix + "interval)"));
        }
    }

    /** The quantity becomes the channel id's last part. */
    private static void checkQuantity(DeviceConfig d, Map<String, ConfigEntry> keys, ConfigEntry typeEntry,
                                      List<ConfigError> errors) {
        if (!Pattern.matches("[a-z0-9_-]{1,32}", d.string("quantity"))) {
            errors.add(at(keys, "quantity", typeEntry).error("may hold only a-z, 0-9, '_' and '-'"));
        }
    }

    private static ConfigEntry at(Map<String, ConfigEntry> keys, String key, ConfigEntry fallback) {
        ConfigEntry e = keys.get(key);
        return e != null ? e : new ConfigEntry(fallback.file(), fallback.line(),
                fallback.key().substring(0, fallback.key().lastIndexOf('.') + 1) + key, "");
    }

    /** sim: a rate in samples per second sets the interval (rates go beyond what 1ms can say). */
    private static DeviceConfig withRate(DeviceConfig d) {
        if (d.has("rate") && d.number("rate") > 0) {
            Map<String, Object> v = new HashMap<>(d.values());
            v.put("interval", Duration.ofNanos(Math.max(1, Math.round(1e9 / d.number("rate")))));
            return new DeviceConfig(d.id(), d.type(), Map.copyOf(v), d.origin());
        }
        return new DeviceConfig(d.id(), d.type(), Map.copyOf(d.values()), d.origin());
    }
}

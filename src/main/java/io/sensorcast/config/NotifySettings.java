package io.sensorcast.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One {@code [notify.NAME]} section, checked: where alerts are sent (a webhook or an ntfy topic).
 * The token is never logged or printed; a token file is read when the notifiers are built (start,
 * reload), not here.
 *
 * @param name       the section's name ("phone")
 * @param type       "webhook" or "ntfy"
 * @param url        http:// or https://; for ntfy the topic's URL
 * @param priority   ntfy's priority 1-5 for firing and repeated notifications; 0: by severity
 * @param token      sent as {@code Authorization: Bearer}; empty: none
 * @param tokenFile  a file whose first line is the token; null: none
 * @param timeout    one attempt, connect included
 * @param retries    attempts after the first one fails
 * @param origin     "file:line" of the section's type key, for messages
 */
public record NotifySettings(String name, String type, URI url, int priority, String token, Path tokenFile,
                             Duration timeout, int retries, String origin) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
    private static final List<String> PRIORITIES = List.of("min", "low", "default", "high", "max", "urgent");

    /** The keys of a {@code [notify.NAME]} section, for validation, {@code check --keys} and the man page. */
    static final List<Key> KEYS = List.of(
            Key.choice("type", null, List.of("webhook", "ntfy"),
                    "webhook: a JSON POST with the alert; ntfy: a push to the ntfy app on a phone").required(),
            Key.string("url", null, "http:// or https:// URL; for ntfy the topic, e.g. https://ntfy.sh/greenhouse-7f3k9").required(),
            Key.string("priority", "(by severity)", "ntfy only: min, low, default, high, max or 1-5 for firing alerts; by severity: critical high, warning default; resolved ones go at low"),
            Key.string("token", "", "sent as Authorization: Bearer (an ntfy access token tk_...); or token_file, not both"),
            Key.string("token_file", "", "a file whose first line is the token, readable by the service (mode 640)"),
            Key.duration("timeout", "10s", "1s", "5m", "an attempt with no answer by then fails (connect included)"),
            Key.integer("retries", 3, 0, 10, "attempts after a failed one, 1 s apart and doubling; then the notification is counted failed"),
            Key.bool("enabled", true, "false keeps the section in the file but sends nothing"));

    public static List<Key> keys() {
        return KEYS;
    }

    public boolean isNtfy() {
        return "ntfy".equals(type);
    }

    /** The URL as logs show it: scheme, host, port and path, never a query (it may hold a secret). */
    public String where() {
        return url.getScheme() + "://" + url.getRawAuthority() + (url.getRawPath() == null ? "" : url.getRawPath());
    }

    /** Collects {@code notify.<name>.<key>} entries by section; false if {@code e} is not such a key. */
    static boolean collect(ConfigEntry e, Map<String, Map<String, ConfigEntry>> sections, List<ConfigError> errors) {
        if (!e.key().startsWith("notify.") && !e.key().equals("notify")) {
            return false;
        }
        String[] parts = e.key().split("\\.", 3);
        if (parts.length < 3 || parts[2].contains(".")) {
            errors.add(e.error("notifier keys go in a section like [notify.phone]: notify.<name>.<key>"));
        } else if (!NAME.matcher(parts[1]).matches()) {
            errors.add(e.error("notifier name '" + parts[1] + "' must be 1-32 characters of a-z, 0-9, '_' or '-'"));
        } else {
            sections.computeIfAbsent(parts[1], n -> new LinkedHashMap<>()).put(parts[2], e);
        }
        return true;
    }

    /** The enabled notifiers of valid sections, in file order; each mistake goes to {@code errors}. */
    static List<NotifySettings> build(Map<String, Map<String, ConfigEntry>> sections, List<ConfigError> errors) {
        List<NotifySettings> out = new ArrayList<>();
        for (Map.Entry<String, Map<String, ConfigEntry>> s : sections.entrySet()) {
            NotifySettings n = one(s.getKey(), s.getValue(), errors);
            if (n != null) {
                out.add(n);
            }
        }
        return List.copyOf(out);
    }

    private static NotifySettings one(String name, Map<String, ConfigEntry> keys, List<ConfigError> errors) {
        int before = errors.size();
        ConfigEntry first = keys.values().iterator().next();
        Map<String, Key> allowed = new LinkedHashMap<>();
        KEYS.forEach(k -> allowed.put(k.name, k));
        Map<String, Object> v = new HashMap<>();
        for (Map.Entry<String, ConfigEntry> kv : keys.entrySet()) {
            Key k = allowed.get(kv.getKey());
            if (k == null) {
                errors.add(kv.getValue().error("unknown key for a notifier" + Suggestion.didYouMean(kv.getKey(), allowed.keySet())));
                continue;
            }
            try {
                v.put(k.name, k.parse(kv.getValue().value()));
            } catch (IllegalArgumentException ex) {
                errors.add(kv.getValue().error(ex.getMessage()));
            }
        }
        for (Key k : KEYS) {
            if (k.required && !keys.containsKey(k.name)) {
                errors.add(new ConfigError(first.file(), first.line(), "notify." + name + "." + k.name,
                        "missing: a notifier needs " + k.name + " (" + k.doc + ")"));
            } else if (!keys.containsKey(k.name) && !k.defaultText.startsWith("(")) {
                v.put(k.name, k.parse(k.defaultText));
            }
        }
        if (errors.size() > before) {
            return null;
        }
        String type = (String) v.get("type");
        URI url;
        int priority = 0;
        try {
            url = url((String) v.get("url"), type);
        } catch (IllegalArgumentException ex) {
            errors.add(keys.get("url").error(ex.getMessage()));
            return null;
        }
        if (keys.containsKey("priority")) {
            if (!"ntfy".equals(type)) {
                errors.add(keys.get("priority").error("applies to type = ntfy only"));
                return null;
            }
            try {
                priority = priority((String) v.get("priority"));
            } catch (IllegalArgumentException ex) {
                errors.add(keys.get("priority").error(ex.getMessage()));
                return null;
            }
        }
        String token = ((String) v.get("token")).strip();
        String file = ((String) v.get("token_file")).strip();
        if (!token.isEmpty() && !file.isEmpty()) {
            errors.add(keys.get("token_file").error("set either token or token_file, not both"));
            return null;
        }
        String problem = tokenProblem(token);
        if (problem != null) {
            errors.add(keys.get("token").error(problem));
            return null;
        }
        Path tokenFile = null;
        if (!file.isEmpty()) {
            tokenFile = Path.of(file);
            if (!Files.isRegularFile(tokenFile)) {
                errors.add(keys.get("token_file").error("no such file: " + tokenFile));
                return null;
            } else if (!Files.isReadable(tokenFile)) {
                errors.add(keys.get("token_file").error("cannot read " + tokenFile + " as this user; the service reads it"
                        + " as its own user (chgrp sensorcast, chmod 640)"));
                return null;
            }
        }
        if (!(Boolean) v.get("enabled")) {
            return null;
        }
        ConfigEntry at = keys.get("type");
        return new NotifySettings(name, type, url, priority, token, tokenFile, (Duration) v.get("timeout"),
                ((Long) v.get("retries")).intValue(), at.file() + (at.line() > 0 ? ":" + at.line() : ""));
    }

    /** http:// or https://, a host, no user name or password in it; ntfy's needs a topic. */
    static URI url(String raw, String type) {
        String s = raw.strip();
        URI u;
        try {
            u = new URI(s);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + s + "' is not a URL: " + e.getReason());
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("'" + s + "' is not an http:// or https:// URL"
                    + ("ntfy".equals(type) ? ", e.g. https://ntfy.sh/your-topic" : ""));
        }
        if (u.getHost() == null || u.getHost().isEmpty()) {
            throw new IllegalArgumentException("'" + s + "' names no host");
        }
        if (u.getRawUserInfo() != null) {
            throw new IllegalArgumentException("no user name or password in the URL: use token or token_file");
        }
        if (u.getRawFragment() != null) {
            throw new IllegalArgumentException("'" + s + "': a URL sent to a server has no #fragment");
        }
        String path = u.getRawPath() == null ? "" : u.getRawPath();
        if ("ntfy".equals(type) && (path.isEmpty() || path.equals("/") || path.substring(1).contains("/"))) {
            throw new IllegalArgumentException("'" + s + "' is not an ntfy topic's URL: server and topic, e.g."
                    + " https://ntfy.sh/greenhouse-7f3k9");
        }
        return u;
    }

    /** ntfy's priorities (docs.ntfy.sh, publish: message priority): a name or 1-5. */
    static int priority(String raw) {
        String p = raw.strip().toLowerCase(Locale.ROOT);
        int named = PRIORITIES.indexOf(p);
        if (named >= 0) {
            return Math.min(5, named + 1);
        }
        if (p.length() == 1 && p.charAt(0) >= '1' && p.charAt(0) <= '5') {
            return p.charAt(0) - '0';
        }
        throw new IllegalArgumentException("'" + raw.strip() + "' is not one of min, low, default, high, max or 1-5");
    }

    /** Why {@code token} cannot go in an Authorization header, or null. */
    public static String tokenProblem(String token) {
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return "a token is printable ASCII without spaces";
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return name + " (" + type + " " + where() + ")";
    }
}

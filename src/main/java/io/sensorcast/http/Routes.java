package io.sensorcast.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The server's routes: exact paths and path prefixes, each with the methods it answers. HEAD is
 * answered wherever GET is. What no route claims goes to the static files.
 */
public final class Routes {

    private record Route(Set<String> methods, HttpHandler handler) {}

    private final Map<String, Route> exact = new LinkedHashMap<>();
    private final Map<String, Route> prefixes = new LinkedHashMap<>();

    /** {@code path} is exact, or a prefix when it ends in "/" followed by "*" ("/api/channels/" + "*"). */
    public Routes add(String path, Set<String> methods, HttpHandler handler) {
        Route r = new Route(Set.copyOf(methods), handler);
        if (path.endsWith("/*")) {
            prefixes.put(path.substring(0, path.length() - 1), r);
        } else {
            exact.put(path, r);
        }
        return this;
    }

    public Routes get(String path, HttpHandler handler) {
        return add(path, Set.of("GET"), handler);
    }

    /** What a request resolved to: a handler, a 405 with the allowed methods, or nothing. */
    public record Match(HttpHandler handler, String allow) {}

    public Match match(String method, String path) {
        Route r = exact.get(path);
        if (r == null) {
            for (Map.Entry<String, Route> e : prefixes.entrySet()) {
                if (path.startsWith(e.getKey())) {
                    r = e.getValue();
                    break;
                }
            }
        }
        if (r == null) {
            return null;
        }
        String m = method.equals("HEAD") ? "GET" : method;
        if (r.methods.contains(m)) {
            return new Match(r.handler, null);
        }
        Set<String> allow = new TreeSet<>(r.methods);
        if (allow.contains("GET")) {
            allow.add("HEAD");
        }
        return new Match(null, String.join(", ", allow));
    }
}

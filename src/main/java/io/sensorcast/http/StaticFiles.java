package io.sensorcast.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The files packaged under {@code web/} on the classpath (in the jar), served read-only.
 *
 * <p>Path traversal is impossible by construction: at start the packaged files are listed once,
 * and a request is looked up by name in that list. A name that is not in it, however it is
 * spelled ({@code ..}, {@code %2e%2e}, backslashes), is simply not found; nothing is ever resolved
 * against a filesystem. Files are read into memory on first use (the dashboard is a few KiB).
 *
 * <p>Caching: every file has a strong ETag (a hash of its bytes) and {@code Cache-Control:
 * no-cache}, so a browser revalidates each time and usually gets a body-less 304: after an
 * upgrade of the device, a page never runs with stale scripts.
 */
public final class StaticFiles {

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("map", "application/json"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("txt", "text/plain; charset=utf-8"));

    private record File(byte[] bytes, String etag, String type) {}

    private final String root;
    private final Set<String> names;
    /** Served name to class-path resource, for files that live outside the root (WebJars). */
    private final Map<String, String> extra;
    private final Map<String, File> loaded = new HashMap<>();

    /** Lists the files under {@code root} (e.g. "web") on this class's class path. */
    public StaticFiles(String root) {
        this(root, Map.of());
    }

    /**
     * The files under {@code root}, plus {@code extra}: served name ("vendor/uPlot.iife.min.js") to
     * class-path resource ("META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.iife.min.js"). Only
     * the named files of a WebJar are served, never the rest of it; each must exist, checked here.
     */
    public StaticFiles(String root, Map<String, String> extra) {
        this.root = root;
        this.extra = Map.copyOf(extra);
        java.util.Set<String> all = new java.util.HashSet<>(list(root));
        for (Map.Entry<String, String> e : this.extra.entrySet()) {
            if (StaticFiles.class.getClassLoader().getResource(e.getValue()) == null) {
                throw new IllegalStateException("packaged file missing from the class path: " + e.getValue());
            }
            all.add(e.getKey());
        }
        this.names = Set.copyOf(all);
    }

    /** The packaged names, relative to the root ("index.html", "js/app.js"). */
    public Set<String> names() {
        return names;
    }

    /** Answers GET/HEAD for {@code path}, or returns null if no such file is packaged. */
    public HttpResponse serve(HttpRequest request) {
        String name = request.path().equals("/") ? "index.html" : request.path().substring(1);
        if (!names.contains(name)) {
            return null;
        }
        File f = loaded.computeIfAbsent(name, this::load);
        String inm = request.headers().get("If-None-Match");
        if (inm != null && matches(inm, f.etag)) {
            return HttpResponse.of(304).header("ETag", f.etag).header("Cache-Control", "no-cache");
        }
        return HttpResponse.of(200).header("Content-Type", f.type).header("ETag", f.etag)
                .header("Cache-Control", "no-cache")
                .header("X-Content-Type-Options", "nosniff")
                .body(f.bytes);
    }

    /** RFC 9110 13.1.2: If-None-Match is "*" or a list of entity tags, compared weakly. */
    static boolean matches(String ifNoneMatch, String etag) {
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.trim();
            if (c.startsWith("W/")) {
                c = c.substring(2);
            }
            if (c.equals("*") || c.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private File load(String name) {
        String resource = extra.getOrDefault(name, root + "/" + name);
        try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("listed but not readable: " + name);
            }
            byte[] bytes = in.readAllBytes();
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            String etag = "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
            int dot = name.lastIndexOf('.');
            String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
            return new File(bytes, etag, TYPES.getOrDefault(ext, "application/octet-stream"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Walks the packaged tree once: a directory when run from target/classes, a jar in production. */
    private static Set<String> list(String root) {
        URL url = StaticFiles.class.getClassLoader().getResource(root);
        if (url == null) {
            return Set.of();
        }
        try {
            URI uri = url.toURI();
            if (uri.getScheme().equals("jar")) {
                FileSystem fs;
                try {
                    fs = FileSystems.getFileSystem(uri);
                } catch (FileSystemNotFoundException e) {
                    fs = FileSystems.newFileSystem(uri, Map.of());
                }
                return walk(fs.getPath(root));
            }
            return walk(Path.of(uri));
        } catch (IOException | UncheckedIOException | URISyntaxException e) {
            throw new IllegalStateException("cannot list the packaged web files under " + root + ": " + e, e);
        }
    }

    private static Set<String> walk(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .map(p -> dir.relativize(p).toString().replace('\\', '/'))
                    .collect(java.util.stream.Collectors.toUnmodifiableSet());
        }
    }
}

package io.sensorcast.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.spi.FileSystemProvider;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The machine's own files, seen through a file system in which reading chosen directories fails, as a 32-bit JVM's directory reads do under qemu-user on ext4: the directory opens, and
 * reading it throws {@link DirectoryIteratorException} ("Value too large
 * for defined data type", EOVERFLOW). Everything else (reading files, attributes, access checks)
 * goes to the real file, so code under test runs unchanged on a {@link #view} path.
 */
public final class UnlistableDirectories {

    /** glibc's text for EOVERFLOW, which a 32-bit getdents under qemu-user returns. */
    public static final String EOVERFLOW = "Value too large for defined data type";

    private final FileSystem real = FileSystems.getDefault();
    private final Predicate<Path> unlistable;
    private final ViewProvider provider = new ViewProvider();
    private final ViewFileSystem fileSystem = new ViewFileSystem();

    private UnlistableDirectories(Predicate<Path> unlistable) {
        this.unlistable = unlistable;
    }

    /** {@code path} in a view where every directory for which {@code unlistable} holds (a real path) cannot be read. */
    public static Path view(Path path, Predicate<Path> unlistable) {
        return new UnlistableDirectories(unlistable).wrap(path);
    }

    /** {@code path} in a view where no directory can be read to the end. */
    public static Path view(Path path) {
        return view(path, dir -> true);
    }

    private ViewPath wrap(Path p) {
        return p == null ? null : new ViewPath(p);
    }

    private static Path unwrap(Path p) {
        if (p instanceof ViewPath v) {
            return v.real;
        }
        throw new IllegalArgumentException("not a path of this view: " + p);
    }

    private final class ViewPath implements Path {
        final Path real;

        ViewPath(Path real) {
            this.real = real;
        }

        @Override public FileSystem getFileSystem() { return fileSystem; }
        @Override public boolean isAbsolute() { return real.isAbsolute(); }
        @Override public Path getRoot() { return wrap(real.getRoot()); }
        @Override public Path getFileName() { return wrap(real.getFileName()); }
        @Override public Path getParent() { return wrap(real.getParent()); }
        @Override public int getNameCount() { return real.getNameCount(); }
        @Override public Path getName(int index) { return wrap(real.getName(index)); }
        @Override public Path subpath(int begin, int end) { return wrap(real.subpath(begin, end)); }
        @Override public boolean startsWith(Path other) { return real.startsWith(unwrap(other)); }
        @Override public boolean endsWith(Path other) { return real.endsWith(unwrap(other)); }
        @Override public Path normalize() { return wrap(real.normalize()); }
        @Override public Path resolve(Path other) { return wrap(real.resolve(unwrap(other))); }
        @Override public Path relativize(Path other) { return wrap(real.relativize(unwrap(other))); }
        @Override public URI toUri() { return real.toUri(); }
        @Override public Path toAbsolutePath() { return wrap(real.toAbsolutePath()); }
        @Override public Path toRealPath(LinkOption... options) throws IOException { return wrap(real.toRealPath(options)); }
        @Override public int compareTo(Path other) { return real.compareTo(unwrap(other)); }
        @Override public boolean equals(Object o) { return o instanceof ViewPath v && v.real.equals(real); }
        @Override public int hashCode() { return real.hashCode(); }
        @Override public String toString() { return real.toString(); }

        @Override
        public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers) {
            throw new UnsupportedOperationException("no watching in this view");
        }
    }

    private final class ViewFileSystem extends FileSystem {
        @Override public FileSystemProvider provider() { return provider; }
        @Override public void close() {}
        @Override public boolean isOpen() { return true; }
        @Override public boolean isReadOnly() { return real.isReadOnly(); }
        @Override public String getSeparator() { return real.getSeparator(); }
        @Override public Set<String> supportedFileAttributeViews() { return real.supportedFileAttributeViews(); }
        @Override public Path getPath(String first, String... more) { return wrap(real.getPath(first, more)); }
        @Override public UserPrincipalLookupService getUserPrincipalLookupService() { return real.getUserPrincipalLookupService(); }

        @Override
        public Iterable<Path> getRootDirectories() {
            List<Path> roots = new ArrayList<>();
            real.getRootDirectories().forEach(r -> roots.add(wrap(r)));
            return roots;
        }

        @Override
        public Iterable<FileStore> getFileStores() {
            return real.getFileStores();
        }

        @Override
        public PathMatcher getPathMatcher(String syntaxAndPattern) {
            PathMatcher m = real.getPathMatcher(syntaxAndPattern);
            return p -> m.matches(unwrap(p));
        }

        @Override
        public WatchService newWatchService() {
            throw new UnsupportedOperationException("no watching in this view");
        }
    }

    private final class ViewProvider extends FileSystemProvider {
        private FileSystemProvider real() {
            return real.provider();
        }

        @Override public String getScheme() { return "unlistable"; }
        @Override public FileSystem newFileSystem(URI uri, Map<String, ?> env) { throw new UnsupportedOperationException(); }
        @Override public FileSystem getFileSystem(URI uri) { throw new UnsupportedOperationException(); }
        @Override public Path getPath(URI uri) { throw new UnsupportedOperationException(); }

        @Override
        public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
                throws IOException {
            return real().newByteChannel(unwrap(path), options, attrs);
        }

        @Override
        public InputStream newInputStream(Path path, OpenOption... options) throws IOException {
            return real().newInputStream(unwrap(path), options);
        }

        @Override
        public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
                throws IOException {
            Path realDir = unwrap(dir);
            DirectoryStream<Path> inner = real().newDirectoryStream(realDir, p -> filter.accept(wrap(p)));
            boolean fails = unlistable.test(realDir);
            return new DirectoryStream<>() {
                @Override
                public Iterator<Path> iterator() {
                    Iterator<Path> it = inner.iterator();
                    return new Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            if (fails) {
                                // What UnixDirectoryStream throws when readdir(3) fails.
                                throw new DirectoryIteratorException(new FileSystemException(realDir.toString(), null, EOVERFLOW));
                            }
                            return it.hasNext();
                        }

                        @Override
                        public Path next() {
                            if (!hasNext()) {
                                throw new NoSuchElementException();
                            }
                            return wrap(it.next());
                        }
                    };
                }

                @Override
                public void close() throws IOException {
                    inner.close();
                }
            };
        }

        @Override
        public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
            real().createDirectory(unwrap(dir), attrs);
        }

        @Override public void delete(Path path) throws IOException { real().delete(unwrap(path)); }

        @Override
        public void copy(Path source, Path target, CopyOption... options) throws IOException {
            real().copy(unwrap(source), unwrap(target), options);
        }

        @Override
        public void move(Path source, Path target, CopyOption... options) throws IOException {
            real().move(unwrap(source), unwrap(target), options);
        }

        @Override
        public boolean isSameFile(Path a, Path b) throws IOException {
            return real().isSameFile(unwrap(a), unwrap(b));
        }

        @Override public boolean isHidden(Path path) throws IOException { return real().isHidden(unwrap(path)); }
        @Override public FileStore getFileStore(Path path) throws IOException { return real().getFileStore(unwrap(path)); }

        @Override
        public void checkAccess(Path path, AccessMode... modes) throws IOException {
            real().checkAccess(unwrap(path), modes);
        }

        @Override
        public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
            return real().getFileAttributeView(unwrap(path), type, options);
        }

        @Override
        public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
                throws IOException {
            return real().readAttributes(unwrap(path), type, options);
        }

        @Override
        public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
            return real().readAttributes(unwrap(path), attributes, options);
        }

        @Override
        public void setAttribute(Path path, String attribute, Object value, LinkOption... options) throws IOException {
            real().setAttribute(unwrap(path), attribute, value, options);
        }
    }
}

package io.sensorcast.sensor.sysfs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reading the small text files of sysfs and procfs, with errors a person can act on: every message
 * names the file and says what was wrong with it.
 *
 * <p>Why not {@code Files.readString}: a sysfs attribute is at most a page (4 KiB), but a path
 * configured wrong can point anywhere ({@code /dev/zero}, a log file); reads are bounded so such a
 * mistake is an error, not an {@code OutOfMemoryError} in a 64 MiB heap. And Java's own messages
 * for the two commonest failures are just the path ({@code AccessDeniedException.getMessage()} is
 * "/sys/x"), so {@link #reason} turns them into words.
 */
public final class SysfsFiles {

    /** Bound for one attribute: sysfs gives at most PAGE_SIZE; the margin covers 64 KiB pages. */
    public static final int MAX_ATTRIBUTE_BYTES = 64 * 1024;
    /** Bound for procfs tables: /proc/stat grows with CPUs and interrupts, still far below this. */
    public static final int MAX_PROC_BYTES = 1024 * 1024;

    /**
     * A decimal number as the kernel prints it: integers ("48686"), IIO fixed point
     * ("100.934882812", "-0.5"), rarely an exponent. Stricter than {@link Double#parseDouble},
     * which would also take "NaN", "Infinity", "1d" and hex floats.
     */
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");

    private SysfsFiles() {}

    /** The file's text, at most {@code maxBytes}; more is an error (the path is probably wrong). */
    public static String readText(Path file, int maxBytes) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(maxBytes + 1);
        } catch (IOException e) {
            throw new IOException("cannot read " + file + ": " + reason(e), e);
        }
        if (bytes.length > maxBytes) {
            throw new IOException(file + " is larger than " + maxBytes + " bytes, not a sensor attribute");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The attribute's text without surrounding white space (sysfs values end in a newline). */
    public static String readTrimmed(Path file) throws IOException {
        return readText(file, MAX_ATTRIBUTE_BYTES).strip();
    }

    /** The number the attribute holds. An empty file or anything but one number is an error. */
    public static double readNumber(Path file) throws IOException {
        return parseNumber(readTrimmed(file), file);
    }

    /** {@code text} (already trimmed) as a number; {@code file} is named in the error. */
    public static double parseNumber(String text, Path file) throws IOException {
        if (text.isEmpty()) {
            throw new IOException(file + " is empty, expected a number");
        }
        if (!NUMBER.matcher(text).matches()) {
            throw new IOException(file + " holds '" + excerpt(text) + "', not a number");
        }
        return Double.parseDouble(text);
    }

    /** The entries of {@code dir} whose names match {@code glob}, in directory order; see {@link #list(Path, DirectoryStream.Filter)}. */
    public static List<Path> list(Path dir, String glob) throws IOException {
        PathMatcher names = dir.getFileSystem().getPathMatcher("glob:" + glob);
        return list(dir, p -> names.matches(p.getFileName()));
    }

    /**
     * The entries of {@code dir} that {@code filter} accepts, in directory order. A directory that
     * cannot be read to the end is an IOException "cannot list DIR: reason", never the unchecked
     * {@link DirectoryIteratorException} a {@link DirectoryStream}'s iterator throws (a 32-bit JVM
     * under qemu-user meets it on every ext4 directory: "Value too large for defined data type").
     * A missing directory stays a {@link NoSuchFileException}, which callers take as nothing there.
     */
    public static List<Path> list(Path dir, DirectoryStream.Filter<? super Path> filter) throws IOException {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, filter)) {
            for (Path p : ds) {
                entries.add(p);
            }
        } catch (NoSuchFileException e) {
            throw e;
        } catch (DirectoryIteratorException e) {
            throw new IOException("cannot list " + dir + ": " + reason(e.getCause()), e.getCause());
        } catch (IOException e) {
            throw new IOException("cannot list " + dir + ": " + reason(e), e);
        }
        return entries;
    }

    /**
     * What went wrong, in words: Java reports a missing file or a refused open as just the path,
     * which reads badly after "cannot read /sys/...:".
     */
    public static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException) {
            String r = ((FileSystemException) e).getReason();
            if (r != null) {
                return r;
            }
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** At most 40 characters of {@code text}, control characters shown as '?', for messages. */
    public static String excerpt(String text) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < text.length() && b.length() < 40; i++) {
            char c = text.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        if (text.length() > 40) {
            b.append("...");
        }
        return b.toString();
    }
}

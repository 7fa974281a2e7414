package io.sensorcast.sensor.command;

import io.sensorcast.sensor.sysfs.SysfsFiles;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs a program once with a time limit and a size limit on what it prints, and leaves nothing of
 * its own running: on a timeout, too much output, or an interrupt of the calling thread, the
 * program and everything it started are killed (SIGKILL) before {@link #run} returns.
 *
 * <p>One thread, no blocking reads: the caller's thread takes what the pipes hold
 * ({@code available()}) and, when they are empty, waits for the exit in steps of {@link #POLL}. A blocking read
 * would hang for as long as a background process the program started keeps the pipe open, and it
 * would race the JDK's process reaper, which on exit swaps the pipe for the bytes it held
 * (ProcessPipeInputStream.processExited). Both pipes are emptied continuously, so a program that
 * fills one of them cannot hang either. stdin is /dev/null. The environment is the server's plus
 * {@code LC_ALL=C}, so that numbers come with a decimal point whatever the system locale.
 */
final class BoundedProcess {

    /** What a finished program printed. */
    record Output(String stdout, int exitStatus, String stderrFirstLine) {}

    /** How much of stderr is kept for the error message; the rest is read and dropped. */
    private static final int STDERR_KEEP = 4096;
    /** The longest the loop waits between looks at the pipes: the latency added to a run. */
    static final long POLL_MILLIS = 5;
    private static final Duration POLL = Duration.ofMillis(POLL_MILLIS);

    private BoundedProcess() {}

    /**
     * @param argv     the program and its arguments
     * @param display  how the command is named in messages
     * @param timeout  from start to exit
     * @param maxBytes the most stdout may hold; more is an error
     */
    static Output run(List<String> argv, String display, Duration timeout, int maxBytes)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(new File("/dev/null"));
        pb.environment().put("LC_ALL", "C");
        // systemd's notification socket and watchdog are this server's, not a command's to speak for.
        pb.environment().keySet().removeAll(List.of("NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException("cannot run '" + display + "': " + why(e), e);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Sink out = new Sink(maxBytes);
        Sink err = new Sink(STDERR_KEEP);
        try (InputStream stdout = p.getInputStream(); InputStream stderr = p.getErrorStream()) {
            while (true) {
                boolean exited = !p.isAlive(); // before draining: what it wrote before exiting is in the pipe now
                int moved = drain(stdout, out) + drain(stderr, err);
                if (out.overflow) {
                    killTree(p);
                    throw new IOException("'" + display + "' printed more than " + maxBytes + " bytes");
                }
                if (exited) {
                    break;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    killTree(p);
                    throw new IOException("'" + display + "' timed out after " + format(timeout));
                }
                if (moved == 0) {
                    p.waitFor(Math.min(left, POLL.toNanos()), TimeUnit.NANOSECONDS); // returns at once on exit
                }
            }
            return new Output(out.text(), p.exitValue(), firstLine(err.text()));
        } finally {
            if (p.isAlive()) {
                killTree(p); // interrupted while waiting, or failed above: leave nothing running
            }
        }
    }

    /** Moves what the pipe holds now into {@code sink}, without ever blocking; returns the bytes moved. */
    private static int drain(InputStream in, Sink sink) throws IOException {
        byte[] buf = new byte[8192];
        int total = 0;
        int n;
        while ((n = in.available()) > 0) {
            int got = in.read(buf, 0, Math.min(n, buf.length));
            if (got < 0) {
                break;
            }
            sink.add(buf, got);
            total += got;
        }
        return total;
    }

    /**
     * Kills the process and its descendants. The descendants are listed before the parent dies:
     * afterwards they belong to init and are no longer found through it.
     */
    static void killTree(Process p) {
        for (int round = 0; round < 3; round++) {
            List<ProcessHandle> children = p.descendants().collect(Collectors.toList());
            children.forEach(ProcessHandle::destroyForcibly);
            if (children.isEmpty()) {
                break;
            }
        }
        p.destroyForcibly();
    }

    /** "2s", "1500ms": how a person writes the timeout they configured. */
    static String format(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    private static String firstLine(String text) {
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                return line.strip();
            }
        }
        return "";
    }

    private static String why(IOException e) {
        // "Cannot run program "x": error=2, No such file or directory" -> the part after "error=N, "
        String m = e.getMessage() == null ? SysfsFiles.reason(e) : e.getMessage();
        int i = m.indexOf("error=");
        int comma = i < 0 ? -1 : m.indexOf(", ", i);
        return comma < 0 ? m : m.substring(comma + 2);
    }

    /** Keeps at most {@code keep} bytes and notes whether more came. */
    private static final class Sink {
        private final int keep;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        boolean overflow;

        Sink(int keep) {
            this.keep = keep;
        }

        void add(byte[] buf, int n) {
            int room = keep - kept.size();
            kept.write(buf, 0, Math.min(n, Math.max(0, room)));
            if (n > room) {
                overflow = true;
            }
        }

        String text() {
            return kept.toString(StandardCharsets.UTF_8);
        }
    }
}

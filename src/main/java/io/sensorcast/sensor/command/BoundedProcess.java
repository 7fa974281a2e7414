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
 * Runs a program once with a time limit and a size limit on what it prints, and always leaves
 * nothing behind: on a timeout, too much output, or an interrupt of the calling thread, the
 * program and everything it started are killed (SIGKILL) before {@link #run} returns.
 *
 * <p>stdout and stderr are read by two short-lived threads while the caller waits for the exit, so
 * a program that fills one pipe while nobody reads it cannot hang. stdin is /dev/null. The
 * environment is the server's plus {@code LC_ALL=C}, so that numbers come with a decimal point
 * whatever the system locale.
 */
final class BoundedProcess {

    /** What a finished program printed. */
    record Output(String stdout, int exitStatus, String stderrFirstLine) {}

    /** How much of stderr is kept for the error message; the rest is read and dropped. */
    private static final int STDERR_KEEP = 4096;

    private BoundedProcess() {}

    /**
     * @param argv     the program and its arguments
     * @param display  how the command is named in messages
     * @param timeout  from start to exit, output read
     * @param maxBytes the most stdout may hold; more is an error
     */
    static Output run(List<String> argv, String display, Duration timeout, int maxBytes)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(new File("/dev/null"));
        pb.environment().put("LC_ALL", "C");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException("cannot run '" + display + "': " + why(e), e);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Drain out = new Drain(p.getInputStream(), maxBytes, true, p);
        Drain err = new Drain(p.getErrorStream(), STDERR_KEEP, false, p);
        Thread outThread = start(out, display + " stdout");
        Thread errThread = start(err, display + " stderr");
        try {
            boolean exited = p.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (!exited) {
                killTree(p);
                throw new IOException("'" + display + "' timed out after " + format(timeout));
            }
            // The pipes close when the last holder exits; normally right after the program.
            outThread.join(remainingMillis(deadline));
            errThread.join(remainingMillis(deadline));
            if (out.overflow) {
                throw new IOException("'" + display + "' printed more than " + maxBytes + " bytes");
            }
            if (outThread.isAlive() || errThread.isAlive()) {
                throw new IOException("'" + display + "' exited, but a process it started in the background still holds"
                        + " its output open after " + format(timeout));
            }
            return new Output(out.text(), p.exitValue(), firstLine(err.text()));
        } finally {
            if (p.isAlive()) {
                killTree(p); // interrupted while waiting, or an error above: leave nothing running
            }
        }
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

    private static Thread start(Drain d, String name) {
        Thread t = new Thread(d, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static long remainingMillis(long deadline) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
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

    /** Reads one pipe to its end, keeping at most {@code keep} bytes. */
    private static final class Drain implements Runnable {
        private final InputStream in;
        private final int keep;
        private final boolean killOnOverflow;
        private final Process process;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private volatile boolean overflow;

        Drain(InputStream in, int keep, boolean killOnOverflow, Process process) {
            this.in = in;
            this.keep = keep;
            this.killOnOverflow = killOnOverflow;
            this.process = process;
        }

        @Override
        public void run() {
            byte[] buf = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    int room = keep - kept.size();
                    if (n > room) {
                        kept.write(buf, 0, Math.max(0, room));
                        if (killOnOverflow) {
                            overflow = true;
                            killTree(process); // no point waiting for the timeout: the answer is already wrong
                            return;
                        }
                    } else {
                        kept.write(buf, 0, n);
                    }
                }
            } catch (IOException e) {
                // The pipe broke because the process was killed; what was read is what there is.
            }
        }

        /** Call after the thread ended (joined): the join makes its writes visible. */
        String text() {
            return kept.toString(StandardCharsets.UTF_8);
        }
    }
}

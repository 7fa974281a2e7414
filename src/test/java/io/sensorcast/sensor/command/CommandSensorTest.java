package io.sensorcast.sensor.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorcast.hub.ChannelInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real processes (/bin/echo, /bin/sh), each bounded by a timeout; every one is gone when a test ends. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CommandSensorTest {

    private static final Duration EVERY = Duration.ofSeconds(10);
    private static final Duration GENEROUS = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    /** Background processes a test started on purpose, killed after it whatever happened. */
    private Path pidFile;

    @AfterEach
    void killLeftovers() throws Exception {
        if (pidFile != null && Files.exists(pidFile)) {
            String pid = Files.readString(pidFile).strip();
            if (!pid.isEmpty()) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    private static double[] read(CommandSensor s) throws Exception {
        double[] v = new double[s.channels().size()];
        s.read(v);
        return v;
    }

    private static CommandSensor argv(String regex, String... command) {
        return CommandSensor.single("probe", "value", "", List.of(command), false, regex, EVERY, GENEROUS);
    }

    private static CommandSensor shell(String script, String regex, Duration timeout) {
        return CommandSensor.single("probe", "value", "", List.of(script), true, regex, EVERY, timeout);
    }

    /** Waits, at most 5 s, for a process to be gone, and says whether it is. */
    private static boolean gone(long pid) throws Exception {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty()) {
            return true;
        }
        try {
            h.get().onExit().get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        }
        return !h.get().isAlive();
    }

    private long awaitPid() throws Exception {
        for (int i = 0; i < 500 && (!Files.exists(pidFile) || Files.readString(pidFile).isBlank()); i++) {
            Thread.sleep(10);
        }
        return Long.parseLong(Files.readString(pidFile).strip());
    }

    @Test
    void theWholeOutputIsTheNumberWithoutAPattern() throws Exception {
        CommandSensor s = argv(null, "/bin/echo", "42.5");
        assertEquals(List.of(new ChannelInfo("probe.value", "", "")), s.channels());
        assertArrayEquals(new double[] {42.5}, read(s));
    }

    @Test
    void aPatternTakesItsFirstGroup() throws Exception {
        // vcgencmd measure_temp prints "temp=48.3'C"
        assertArrayEquals(new double[] {48.3}, read(argv("temp=([0-9.]+)", "/bin/echo", "temp=48.3'C")));
    }

    @Test
    void aPatternWithoutAGroupTakesTheWholeMatch() throws Exception {
        assertArrayEquals(new double[] {-7.25}, read(argv("-?[0-9.]+", "/bin/echo", "offset -7.25 dB")));
    }

    @Test
    void oneRunCanFillSeveralChannels() throws Exception {
        CommandSensor s = new CommandSensor("room", List.of("/bin/echo", "t=21.5 h=40"), false,
                List.of(new CommandSensor.Field("temperature", "Room", "°C", "t=([0-9.]+)"),
                        new CommandSensor.Field("humidity", "Room", "%", "h=([0-9.]+)")),
                EVERY, GENEROUS, CommandSensor.DEFAULT_MAX_OUTPUT_BYTES);
        assertEquals(List.of("room.temperature", "room.humidity"), s.channels().stream().map(ChannelInfo::id).toList());
        assertArrayEquals(new double[] {21.5, 40.0}, read(s));
    }

    @Test
    void withoutShellNothingIsExpanded() {
        IOException e = assertThrows(IOException.class, () -> read(argv(null, "/bin/echo", "$((6*7))")));
        assertEquals("'/bin/echo $((6*7))' printed '$((6*7))', not a number", e.getMessage());
    }

    @Test
    void withShellTheCommandRunsThroughSh() throws Exception {
        assertArrayEquals(new double[] {42.0}, read(shell("echo $((6*7))", null, GENEROUS)));
    }

    @Test
    void theLocaleIsCSoNumbersHaveADecimalPoint() throws Exception {
        assertArrayEquals(new double[] {1.0}, read(shell("test \"$LC_ALL\" = C && echo 1 || echo 0", null, GENEROUS)));
    }

    @Test
    void standardInputIsEmptySoAReaderDoesNotHang() {
        IOException e = assertThrows(IOException.class, () -> read(argv(null, "/bin/cat")));
        assertEquals("'/bin/cat' printed nothing, expected a number", e.getMessage());
    }

    @Test
    void aTimeoutKillsTheProgramAndWhatItStartedAndSaysSo() throws Exception {
        pidFile = dir.resolve("pid");
        CommandSensor s = shell("sleep 30 & echo $! > " + pidFile + "; wait", null, Duration.ofSeconds(2));
        IOException e = assertThrows(IOException.class, () -> read(s));
        assertEquals("'sleep 30 & echo $! > " + pidFile + "; wait' timed out after 2s", e.getMessage());
        assertTrue(gone(awaitPid()), "the background sleep survived the timeout");
    }

    @Test
    void subSecondTimeoutsAreShownInMilliseconds() {
        IOException e = assertThrows(IOException.class, () -> read(shell("exec sleep 30", null, Duration.ofMillis(300))));
        assertEquals("'exec sleep 30' timed out after 300ms", e.getMessage());
    }

    @Test
    void interruptingTheSensorThreadKillsTheProgram() throws Exception {
        pidFile = dir.resolve("pid");
        CommandSensor s = shell("sleep 30 & echo $! > " + pidFile + "; wait", null, Duration.ofSeconds(50));
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                read(s);
            } catch (Throwable e) {
                outcome.set(e);
            }
        }, "command-test");
        t.start();
        long pid = awaitPid();
        t.interrupt(); // what SensorThread.stop() does
        t.join(5000);
        assertFalse(t.isAlive(), "read() did not return after the interrupt");
        assertInstanceOf(InterruptedException.class, outcome.get());
        assertTrue(gone(pid), "the background sleep survived the interrupt");
    }

    @Test
    void aNonZeroExitIsAnErrorWithTheFirstLineOfStderr() {
        IOException e = assertThrows(IOException.class,
                () -> read(shell("echo 'vcgencmd: not found' >&2; echo second >&2; exit 127", null, GENEROUS)));
        assertEquals("'echo 'vcgencmd: not found' >&2; echo second >&2; exit 127' exited with status 127: vcgencmd: not found",
                e.getMessage());
    }

    @Test
    void blankLinesBeforeTheErrorOnStderrAreSkipped() {
        IOException e = assertThrows(IOException.class, () -> read(shell("printf '\\n  \\nreal error\\n' >&2; exit 2", null, GENEROUS)));
        assertTrue(e.getMessage().endsWith("exited with status 2: real error"), e.getMessage());
    }

    @Test
    void aNonZeroExitWithoutStderrSaysSo() {
        IOException e = assertThrows(IOException.class, () -> read(argv(null, "/bin/false")));
        assertEquals("'/bin/false' exited with status 1: (nothing on stderr)", e.getMessage());
    }

    @Test
    void garbageOutputIsNotANumber() {
        IOException e = assertThrows(IOException.class, () -> read(shell("printf 'abc'", null, GENEROUS)));
        assertEquals("'printf 'abc'' printed 'abc', not a number", e.getMessage());
    }

    @Test
    void outputThatDoesNotMatchQuotesThePatternAndTheOutput() {
        IOException e = assertThrows(IOException.class, () -> read(argv("temp=([0-9.]+)", "/bin/echo", "error: VCHI init failed")));
        assertEquals("the output of '/bin/echo error: VCHI init failed' does not match /temp=([0-9.]+)/: 'error: VCHI init failed'",
                e.getMessage());
    }

    @Test
    void anOptionalGroupThatDidNotMatchIsAnError() {
        IOException e = assertThrows(IOException.class, () -> read(argv("temp(=[0-9.]+)?", "/bin/echo", "temp")));
        assertEquals("the output of '/bin/echo temp' matches /temp(=[0-9.]+)?/ but its group took no part in the match", e.getMessage());
    }

    @Test
    void outputUpToTheLimitIsFine() throws Exception {
        CommandSensor s = new CommandSensor("p", List.of("/bin/echo", "123456789"), false,
                List.of(new CommandSensor.Field("v", "", "", null)), EVERY, GENEROUS, 10); // 9 digits + newline = 10 bytes
        assertArrayEquals(new double[] {123456789.0}, read(s));
    }

    @Test
    void outputOverTheLimitIsAnError() {
        CommandSensor s = new CommandSensor("p", List.of("/bin/echo", "1234567890"), false,
                List.of(new CommandSensor.Field("v", "", "", null)), EVERY, GENEROUS, 10); // 11 bytes
        IOException e = assertThrows(IOException.class, () -> read(s));
        assertEquals("'/bin/echo 1234567890' printed more than 10 bytes", e.getMessage());
    }

    @Test
    void endlessOutputIsCutOffAtTheLimitNotAtTheTimeout() {
        // SIGPIPE ignored, as in programs that handle EPIPE themselves: closing the pipe alone would not stop it.
        String script = "trap '' PIPE; while :; do echo 0123456789 2>/dev/null; done";
        IOException e = assertThrows(IOException.class, () -> read(shell(script, null, GENEROUS)));
        assertEquals("'" + script + "' printed more than 65536 bytes", e.getMessage());
    }

    @Test
    void muchOnStderrDoesNotBlockTheProgram() throws Exception {
        // 200 kB on stderr would fill the pipe (64 KiB) and hang the program if nobody read it.
        assertArrayEquals(new double[] {5.0}, read(shell("head -c 200000 /dev/zero >&2; echo 5", null, GENEROUS)));
    }

    @Test
    void aFloodOnStderrIsReadButOnlyItsStartKept() throws Exception {
        // 100 MB would not fit the test's 64 MiB heap if it were all kept.
        assertArrayEquals(new double[] {7.0}, read(shell("head -c 100000000 /dev/zero >&2; echo 7", null, GENEROUS)));
    }

    @Test
    void aBackgroundProcessStillHoldingTheOutputDoesNotHoldUpTheRead() throws Exception {
        // The program is done once it exits, even though its sleep keeps the pipe open for 30 s;
        // waiting for the pipe to close would end in the 20 s timeout instead.
        pidFile = dir.resolve("pid");
        CommandSensor s = shell("sleep 30 & echo $! > " + pidFile + "; echo 5", null, GENEROUS);
        for (int i = 0; i < 20; i++) { // the exit and the reaper race differently each time
            assertArrayEquals(new double[] {5.0}, read(s));
            killLeftovers();
        }
    }

    @Test
    void aProgramThatDoesNotExistIsAnError() {
        IOException e = assertThrows(IOException.class, () -> read(argv(null, "/nonexistent/sensor-tool", "--read")));
        assertEquals("cannot run '/nonexistent/sensor-tool --read': No such file or directory", e.getMessage());
    }

    @Test
    void mistakesInTheConfigurationAreRejectedAtConstruction() {
        assertEquals("probe: with shell=true the command is one string, got 2", assertThrows(IllegalArgumentException.class,
                () -> CommandSensor.single("probe", "v", "", List.of("echo", "1"), true, null, EVERY, GENEROUS)).getMessage());
        assertEquals("probe: pattern '(a)(b)' has more than one group; the number is group 1 (use (?:...) for other groups)",
                assertThrows(IllegalArgumentException.class, () -> argv("(a)(b)", "/bin/echo")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> argv("temp=(", "/bin/echo")).getMessage()
                .startsWith("probe: bad pattern 'temp=(': "));
        assertEquals("probe: the command is empty", assertThrows(IllegalArgumentException.class,
                () -> CommandSensor.single("probe", "v", "", List.of(), false, null, EVERY, GENEROUS)).getMessage());
        assertEquals("probe: the timeout must be positive, was PT0S", assertThrows(IllegalArgumentException.class,
                () -> CommandSensor.single("probe", "v", "", List.of("/bin/true"), false, null, EVERY, Duration.ZERO)).getMessage());
    }
}

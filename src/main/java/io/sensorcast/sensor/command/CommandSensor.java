package io.sensorcast.sensor.command;

import io.sensorcast.hub.ChannelInfo;
import io.sensorcast.sensor.Sensor;
import io.sensorcast.sensor.sysfs.SysfsFiles;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A device whose readings come from running a program on every read and taking numbers from what
 * it prints: {@code vcgencmd measure_temp} prints "temp=48.3'C", and the field pattern
 * {@code temp=([0-9.]+)} takes 48.3.
 *
 * <p>The program runs without a shell (argv as given) unless {@code shell} is set, in which case
 * the single command string runs as {@code /bin/sh -c <command>}. Limits, each an error with a
 * message that names the command: a timeout (the program and everything it started are killed:
 * "'sleep 5' timed out after 2s"), at most {@code maxOutputBytes} of standard output, an exit status
 * other than 0 (with the first line of its standard error), and output that holds no number where
 * a field expects one. See {@link BoundedProcess} for how the process is run.
 */
public final class CommandSensor implements Sensor {

    /** Output beyond this is an error: a sensor prints a line, not a log. */
    public static final int DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024;

    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");

    /**
     * One number taken from the output.
     *
     * @param quantity the channel id's last part; the id is {@code deviceId.quantity}
     * @param name     what the dashboard shows; blank means the id
     * @param unit     the unit symbol, "" for none
     * @param regex    where the number is: the first match's group 1 (or the whole match if the
     *                 pattern has no group); null means the whole output, trimmed, is the number
     */
    public record Field(String quantity, String name, String unit, String regex) {
        public Field {
            Objects.requireNonNull(quantity, "quantity");
        }
    }

    private final String id;
    private final List<String> argv;
    private final String display;
    private final List<Field> fields;
    private final List<Pattern> patterns;
    private final List<ChannelInfo> channels;
    private final Duration interval;
    private final Duration timeout;
    private final int maxOutputBytes;

    /**
     * @param deviceId       the device id
     * @param command        the program and its arguments; with {@code shell}, exactly one string
     * @param shell          run {@code command} through {@code /bin/sh -c}
     * @param fields         one per channel, in channel order
     * @param interval       how often to run it
     * @param timeout        how long one run may take
     * @param maxOutputBytes the most standard output one run may print
     * @throws IllegalArgumentException for an empty command, a bad pattern, a pattern with more
     *                                  than one group, or a timeout or limit that is not positive
     */
    public CommandSensor(String deviceId, List<String> command, boolean shell, List<Field> fields, Duration interval,
                         Duration timeout, int maxOutputBytes) {
        if (command.isEmpty() || command.get(0).isBlank()) {
            throw new IllegalArgumentException(deviceId + ": the command is empty");
        }
        if (shell && command.size() != 1) {
            throw new IllegalArgumentException(deviceId + ": with shell=true the command is one string, got " + command.size());
        }
        if (fields.isEmpty()) {
            throw new IllegalArgumentException(deviceId + ": a command device needs at least one field");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException(deviceId + ": the timeout must be positive, was " + timeout);
        }
        if (maxOutputBytes <= 0) {
            throw new IllegalArgumentException(deviceId + ": the output limit must be positive, was " + maxOutputBytes);
        }
        this.id = deviceId;
        this.argv = shell ? List.of("/bin/sh", "-c", command.get(0)) : List.copyOf(command);
        this.display = String.join(" ", command);
        this.fields = List.copyOf(fields);
        List<Pattern> ps = new ArrayList<>();
        List<ChannelInfo> cs = new ArrayList<>();
        for (Field f : fields) {
            ps.add(compile(deviceId, f.regex()));
            cs.add(new ChannelInfo(deviceId + "." + f.quantity(), f.name(), f.unit()));
        }
        this.patterns = ps; // may hold nulls: "the whole output"
        this.channels = List.copyOf(cs);
        this.interval = interval;
        this.timeout = timeout;
        this.maxOutputBytes = maxOutputBytes;
    }

    /** One channel, {@code deviceId.quantity}, output limit {@link #DEFAULT_MAX_OUTPUT_BYTES}. */
    public static CommandSensor single(String deviceId, String quantity, String unit, List<String> command, boolean shell,
                                       String regex, Duration interval, Duration timeout) {
        return new CommandSensor(deviceId, command, shell, List.of(new Field(quantity, "", unit, regex)), interval, timeout,
                DEFAULT_MAX_OUTPUT_BYTES);
    }

    private static Pattern compile(String deviceId, String regex) {
        if (regex == null) {
            return null;
        }
        Pattern p;
        try {
            p = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(deviceId + ": bad pattern '" + regex + "': " + e.getDescription());
        }
        if (p.matcher("").groupCount() > 1) {
            throw new IllegalArgumentException(deviceId + ": pattern '" + regex
                    + "' has more than one group; the number is group 1 (use (?:...) for other groups)");
        }
        return p;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public List<ChannelInfo> channels() {
        return channels;
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public void read(double[] values) throws IOException, InterruptedException {
        BoundedProcess.Output out = BoundedProcess.run(argv, display, timeout, maxOutputBytes);
        if (out.exitStatus() != 0) {
            String why = out.stderrFirstLine().isEmpty() ? "(nothing on stderr)" : out.stderrFirstLine();
            throw new IOException("'" + display + "' exited with status " + out.exitStatus() + ": " + SysfsFiles.excerpt(why));
        }
        for (int i = 0; i < fields.size(); i++) {
            values[i] = extract(out.stdout(), patterns.get(i));
        }
    }

    private double extract(String stdout, Pattern pattern) throws IOException {
        String text;
        if (pattern == null) {
            text = stdout.strip();
            if (text.isEmpty()) {
                throw new IOException("'" + display + "' printed nothing, expected a number");
            }
        } else {
            Matcher m = pattern.matcher(stdout);
            if (!m.find()) {
                throw new IOException("the output of '" + display + "' does not match /" + pattern.pattern() + "/: '"
                        + SysfsFiles.excerpt(stdout.strip()) + "'");
            }
            String g = m.groupCount() == 1 ? m.group(1) : m.group();
            if (g == null) {
                throw new IOException("the output of '" + display + "' matches /" + pattern.pattern()
                        + "/ but its group took no part in the match");
            }
            text = g.strip();
        }
        if (!NUMBER.matcher(text).matches()) {
            throw new IOException("'" + display + "' printed '" + SysfsFiles.excerpt(text) + "', not a number");
        }
        return Double.parseDouble(text);
    }

    /** Nothing is held between reads: each read starts and ends its own process. */
    @Override
    public void close() {}
}

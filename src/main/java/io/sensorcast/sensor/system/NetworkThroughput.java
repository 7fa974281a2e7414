package io.sensorcast.sensor.system;

import io.sensorcast.hub.ChannelInfo;
import io.sensorcast.sensor.Sensor;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Bytes per second received and sent by one network interface, from two snapshots of
 * {@code /proc/net/dev} and the monotonic time between them. One device per interface, so that a
 * USB Wi-Fi stick that is pulled out marks only its own channels as failed.
 *
 * <p>A counter that went down means the counters restarted (driver reloaded, interface
 * re-created); the increase is then taken as the new value itself, the way Prometheus's rate()
 * treats a counter reset, instead of reporting a negative rate.
 *
 * <p>The first read primes and waits {@code min(interval, 1 s)}; see {@link Baseline}.
 */
public final class NetworkThroughput implements Sensor {

    private final String id;
    private final String iface;
    private final Path file;
    private final Duration interval;
    private final Baseline<NetDev.Counters> baseline;
    private final List<ChannelInfo> channels;

    /**
     * @param deviceId   the device id; channels are {@code deviceId.rx} and {@code deviceId.tx}, in B/s
     * @param procfsRoot where procfs is mounted ("/proc")
     * @param iface      the interface name as /proc/net/dev lists it ("eth0", "wlan0")
     */
    public NetworkThroughput(String deviceId, Path procfsRoot, String iface, Duration interval) {
        this(deviceId, procfsRoot, iface, interval, Monotonic.SYSTEM);
    }

    NetworkThroughput(String deviceId, Path procfsRoot, String iface, Duration interval, Monotonic clock) {
        this.id = deviceId;
        this.iface = iface;
        this.file = procfsRoot.resolve("net/dev");
        this.interval = interval;
        this.baseline = new Baseline<>(this::snapshot, clock, Baseline.windowFor(interval));
        this.channels = List.of(new ChannelInfo(deviceId + ".rx", iface + " received", "B/s"),
                new ChannelInfo(deviceId + ".tx", iface + " sent", "B/s"));
    }

    /**
     * One device per interface in {@code procfsRoot/net/dev}, except the loopback "lo", named
     * {@code net-<interface>} (lower case, other characters outside the id alphabet as '_').
     *
     * @param include interface names to keep; '*' and '?' match as in a shell ("eth*", "wlan?");
     *                empty keeps every interface but lo
     * @return empty when the file cannot be read (no procfs): no channels, not an error
     */
    public static List<NetworkThroughput> discover(Path procfsRoot, Duration interval, List<String> include) {
        Map<String, NetDev.Counters> present;
        try {
            present = NetDev.read(procfsRoot.resolve("net/dev"));
        } catch (IOException e) {
            return List.of();
        }
        List<Pattern> patterns = new ArrayList<>();
        for (String glob : include) {
            patterns.add(globToRegex(glob));
        }
        List<NetworkThroughput> list = new ArrayList<>();
        for (String name : present.keySet()) {
            if (name.equals("lo")) {
                continue;
            }
            if (!patterns.isEmpty() && patterns.stream().noneMatch(p -> p.matcher(name).matches())) {
                continue;
            }
            list.add(new NetworkThroughput(deviceIdFor(name), procfsRoot, name, interval));
        }
        return list;
    }

    /** "net-" and the interface name made safe for a channel id ("net-eth0", "net-br-lan"). */
    static String deviceIdFor(String iface) {
        return "net-" + iface.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]", "_");
    }

    private static Pattern globToRegex(String glob) {
        StringBuilder b = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*') {
                b.append(".*");
            } else if (c == '?') {
                b.append('.');
            } else {
                b.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(b.toString());
    }

    private NetDev.Counters snapshot() throws IOException {
        NetDev.Counters c = NetDev.read(file).get(iface);
        if (c == null) {
            throw new IOException(file + " no longer lists interface " + iface + " (unplugged or renamed?)");
        }
        return c;
    }

    public String iface() {
        return iface;
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
        Baseline.Window<NetDev.Counters> w = baseline.next();
        double seconds = w.seconds();
        values[0] = increase(w.before().rxBytes(), w.after().rxBytes()) / seconds;
        values[1] = increase(w.before().txBytes(), w.after().txBytes()) / seconds;
    }

    /** The counter's increase; after a reset (it went down) the new value is all there is. */
    private static double increase(long before, long after) {
        return Long.compareUnsigned(after, before) >= 0 ? (double) (after - before) : (double) after;
    }

    @Override
    public void close() {
        baseline.reset();
    }
}

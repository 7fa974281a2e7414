package io.sensorcast.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Every key sensorcast understands: the server's own, the keys every device has, and the keys of
 * each device type. The single place that knows them; validation, defaults and documentation all
 * come from here.
 */
public final class ConfigSchema {

    /** A server key and how it lands in {@link Settings}. */
    record ServerKey(Key key, BiConsumer<Settings.Builder, Object> apply) {}

    /** A device type: its own keys, its default interval, and the hardware it claims. */
    public record DeviceType(String name, String summary, Duration defaultInterval, List<Key> keys,
                             Function<DeviceConfig, List<String>> claims) {}

    static final List<ServerKey> SERVER = List.of(
            server(Key.string("http.bind", "0.0.0.0", "listen address; 127.0.0.1 keeps the server to the device"),
                    (b, v) -> b.bind((String) v)),
            server(Key.integer("http.port", 8080, 1, 65_535, "TCP port of the dashboard, /ws and /api"),
                    (b, v) -> b.port(((Long) v).intValue())),
            server(Key.list("http.allowed_origins", "", "origins allowed to open /ws besides the page's own, e.g. http://grafana.lan:3000"),
                    (b, v) -> b.allowedOrigins(castList(v))),
            server(Key.string("http.token", "", "access token /ws, /api and /metrics require (Bearer or the page's login); 16+ characters; empty: open"),
                    (b, v) -> b.accessToken((String) v)),
            server(Key.integer("http.max_connections", 1024, 1, 100_000, "open connections of any kind, monitors included; more are closed at once"),
                    (b, v) -> b.maxConnections(((Long) v).intValue())),
            server(Key.size("http.max_header_bytes", "8KiB", "1KiB", "64KiB", "request line plus header fields; over it: 431"),
                    (b, v) -> b.maxHeaderBytes(((Long) v).intValue())),
            server(Key.size("http.max_body_bytes", "8KiB", "0", "16MiB", "request body (only the login form has one); over it: 413"),
                    (b, v) -> b.maxBodyBytes(((Long) v).intValue())),
            server(Key.duration("http.handshake_timeout", "10s", "100ms", "5m", "time from connect to a complete request; then 408"),
                    (b, v) -> b.handshakeTimeout((Duration) v)),
            server(Key.duration("http.idle_timeout", "60s", "1s", "1h", "an idle keep-alive connection is closed after this"),
                    (b, v) -> b.idleTimeout((Duration) v)),
            server(Key.string("server.name", "(the host name)", "the device name shown on the dashboard"),
                    (b, v) -> b.deviceName((String) v)),
            server(Key.integer("ws.max_monitors", 1024, 1, 100_000, "monitors on /ws at once; more get 503 with Retry-After (why 1024 fits a 64 MiB heap: README, Memory at the limits)"),
                    (b, v) -> b.maxMonitors(((Long) v).intValue())),
            server(Key.size("ws.max_message_bytes", "8KiB", "125", "16MiB", "largest message a monitor may send (commands are small JSON); over it: close 1009"),
                    (b, v) -> b.maxMessageBytes(((Long) v).intValue())),
            server(Key.bool("ws.echo", false, "enables /ws/echo for WebSocket conformance suites"),
                    (b, v) -> b.wsEcho((Boolean) v)),
            server(Key.size("ws.echo_max_message_bytes", "16MiB", "125", "32MiB", "largest message on /ws/echo"),
                    (b, v) -> b.echoMaxMessageBytes(((Long) v).intValue())),
            server(Key.duration("ws.ping_interval", "30s", "1s", "1h", "a silent monitor is pinged after this"),
                    (b, v) -> b.pingInterval((Duration) v)),
            server(Key.duration("ws.pong_timeout", "10s", "1s", "10m", "then closed (1001) if it does not answer within this"),
                    (b, v) -> b.pongTimeout((Duration) v)),
            server(Key.size("ws.outbound_cap", "1MiB", "1KiB", "16MiB", "queued bytes per connection before the oldest samples are dropped"),
                    (b, v) -> b.outboundCapBytes(((Long) v).intValue())),
            server(Key.duration("ws.write_stall_timeout", "30s", "1s", "1h", "a peer that reads nothing for this long is closed (1008)"),
                    (b, v) -> b.writeStallTimeout((Duration) v)),
            server(Key.integer("loop.inbox_capacity", 65_536, 16, 1_048_576, "samples waiting for the loop before new ones are refused and counted"),
                    (b, v) -> b.inboxCapacity(((Long) v).intValue())),
            server(Key.duration("history.raw_window", "1h", "1m", "24h", "raw samples kept per channel (at most 65536 points)"),
                    (b, v) -> b.historyRawWindow((Duration) v)),
            server(Key.duration("history.aggregate_window", "7d", "1h", "31d", "per-minute min/avg/max kept per channel"),
                    (b, v) -> b.historyAggregateWindow((Duration) v)),
            server(Key.string("history.dir", "(state directory)", "where the minutes are kept on disk: $STATE_DIRECTORY/history under systemd (/var/lib/sensorcast/history), else ~/.local/state/sensorcast/history; none: memory only; read at start"),
                    (b, v) -> b.historyDir((String) v)),
            server(Key.duration("history.flush_interval", "10m", "1s", "1h", "finished minutes are appended to disk this often (one write, one fdatasync); a power cut loses at most this much"),
                    (b, v) -> b.historyFlushInterval((Duration) v)),
            server(Key.string("mqtt.broker", "", "the MQTT broker, mqtt://host:1883; empty: MQTT off (no TLS: mqtts:// is refused, see README, MQTT)"),
                    (b, v) -> b.mqttBroker((String) v)),
            server(Key.string("mqtt.username", "", "user name at the broker; empty: anonymous"),
                    (b, v) -> b.mqttUsername((String) v)),
            server(Key.string("mqtt.password", "", "password at the broker (or mqtt.password_file, not both)"),
                    (b, v) -> b.mqttPassword((String) v)),
            server(Key.string("mqtt.password_file", "", "a file whose first line is the password, readable by the service (e.g. /etc/sensorcast/mqtt.password, mode 640)"),
                    (b, v) -> b.mqttPasswordFile((String) v)),
            server(Key.string("mqtt.client_id", "(sensorcast-<server.name>)", "client id at the broker: unique per device"),
                    (b, v) -> b.mqttClientId((String) v)),
            server(Key.string("mqtt.topic_prefix", "(sensorcast/<server.name>)", "topics are <prefix>/<channel>/state, <prefix>/<channel>/attributes, <prefix>/status"),
                    (b, v) -> b.mqttTopicPrefix((String) v)),
            server(Key.integer("mqtt.qos", 0, 0, 1, "QoS of every publish: 0 (at most once) or 1 (acknowledged by the broker)"),
                    (b, v) -> b.mqttQos(((Long) v).intValue())),
            server(Key.duration("mqtt.publish_interval", "10s", "0s", "1h", "a channel's latest value at most this often; 0s: every sample; GPIO edges and state changes at once"),
                    (b, v) -> b.mqttPublishInterval((Duration) v)),
            server(Key.bool("mqtt.discovery", true, "publish Home Assistant discovery configs"),
                    (b, v) -> b.mqttDiscovery((Boolean) v)),
            server(Key.string("mqtt.discovery_prefix", "homeassistant", "Home Assistant's discovery prefix"),
                    (b, v) -> b.mqttDiscoveryPrefix((String) v)),
            server(Key.duration("mqtt.keepalive", "60s", "5s", "18h", "a PINGREQ this often; no answer by the next one: reconnect"),
                    (b, v) -> b.mqttKeepalive((Duration) v)),
            server(Key.string("paths.sysfs", "/sys", "where sysfs is mounted (tests point it at a captured tree)"),
                    (b, v) -> b.sysfsRoot(Path.of((String) v))),
            server(Key.string("paths.procfs", "/proc", "where procfs is mounted"),
                    (b, v) -> b.procfsRoot(Path.of((String) v))),
            server(Key.string("paths.dev", "/dev", "where device nodes are (detect looks for buses there)"),
                    (b, v) -> b.devRoot(Path.of((String) v))));

    /** Keys of every device, whatever its type. */
    static final List<Key> DEVICE_COMMON = List.of(
            Key.string("type", null, "the driver: one of the device types below").required(),
            Key.string("name", "(the device id)", "display name of the channel, for sim and sysfs devices"),
            Key.duration("interval", "(per type)", "1ms", "1d", "time between reads"),
            Key.duration("timeout", "5s", "10ms", "5m", "a read that takes longer marks the channels error"),
            Key.choice("mode", "continuous", List.of("continuous", "on-demand"),
                    "continuous: read from the start; on-demand: only while a monitor watches"),
            Key.duration("grace", "30s", "0s", "1h", "on-demand: keep reading this long after the last monitor leaves"),
            Key.bool("enabled", true, "false keeps the device in the file but does not run it"));

    /** Keys of an alert rule, {@code [alert.NAME]} (README, Alerts). */
    static final List<Key> ALERT = List.of(
            Key.list("channel", null, "channel ids or patterns with *, e.g. greenhouse.temperature or cpu.*").required(),
            Key.number("above", 0, -1e12, 1e12, "fires when the value is above this (or below, or state; one of the three)").optional(),
            Key.number("below", 0, -1e12, 1e12, "fires when the value is below this").optional(),
            Key.number("clear", 0, -1e12, 1e12, "hysteresis: the value at which it ends (default: the threshold)").optional(),
            Key.choice("state", "", List.of("error", "stale"), "fires when the channel is in this state").optional(),
            Key.duration("for", "0s", "0s", "31d", "the condition must hold this long before it fires"),
            Key.choice("severity", "warning", List.of("warning", "critical"), "warning or critical"),
            Key.duration("repeat", "0s", "0s", "31d", "notify again this often while it fires; 0s: never"),
            Key.list("notify", "", "notifiers ([notify.NAME] sections) to tell; empty: every one"),
            Key.bool("enabled", true, "false turns the rule off (a built-in one too)"));

    /**
     * Alert rules that are on unless turned off: a Pi's trouble that its owner rarely sees. Keys
     * set in {@code [alert.NAME]} of the same name override theirs.
     */
    static final Map<String, Map<String, String>> BUILT_IN_ALERTS = makeBuiltInAlerts();

    private static Map<String, Map<String, String>> makeBuiltInAlerts() {
        Map<String, Map<String, String>> m = new LinkedHashMap<>();
        // The firmware's sticky "has occurred" bit (bits 16-19 of get_throttled) catches a dip
        // between two reads; a mainline kernel has only hwmon's alarm.
        m.put("pi-under-voltage", Map.of("channel", "pi.under_voltage_occurred, pi.under_voltage_alarm",
                "above", "0.5", "severity", "critical"));
        m.put("pi-throttled", Map.of("channel", "pi.throttled_occurred", "above", "0.5"));
        // Pis throttle the CPU at 80 C (85 C hard limit); 75 ends it, so that a CPU at the limit
        // does not notify at every degree.
        m.put("cpu-hot", Map.of("channel", "cpu.temperature", "above", "80", "clear", "75", "for", "1m"));
        return m;
    }

    private static final Map<String, DeviceType> TYPES = new LinkedHashMap<>();

    static {
        type("system", "CPU temperature, load, CPU use, memory, disk, network, Pi throttling", "5s", List.of(
                Key.string("disk", "/", "mount point whose use is reported"),
                Key.list("interfaces", "", "network interfaces to report, patterns like eth* (default: all but lo)")),
                d -> List.of("the system channels (one system device per configuration)"));
        type("sim", "simulated signal for demos and tests", "1s", List.of(
                Key.choice("signal", "sine", List.of("sine", "random-walk", "step"), "the shape"),
                Key.number("rate", 0, 0, 1_000_000, "samples per second, instead of interval (for rates above 1000)"),
                Key.number("min", 15, -1e12, 1e12, "lowest value"),
                Key.number("max", 25, -1e12, 1e12, "highest value"),
                Key.duration("period", "60s", "10ms", "1d", "sine: one full wave; step: time between steps"),
                Key.string("unit", "", "unit shown with the value")),
                d -> List.of());
        type("sysfs", "a number in a file: hwmon, IIO (kernel drivers, dtoverlay=i2c-sensor)", "5s", List.of(
                Key.string("path", null, "the file, e.g. /sys/class/hwmon/hwmon2/temp1_input"),
                Key.string("iio_device", null, "an IIO device directory, e.g. /sys/bus/iio/devices/iio:device0"),
                Key.string("iio_channel", null, "with iio_device: in_temp, in_humidityrelative, in_pressure, ..."),
                Key.number("scale", 1, -1e12, 1e12, "value = (raw + offset) * scale"),
                Key.number("offset", 0, -1e12, 1e12, "added before scaling"),
                Key.string("quantity", "value", "channel id suffix: <device>.<quantity>"),
                Key.string("unit", "", "unit shown with the value")),
                d -> List.of());
        type("w1", "DS18B20 1-Wire thermometer", "5s", List.of(
                Key.string("sensor", null, "the 1-Wire id, e.g. 28-0316a2794ca5 (ls /sys/bus/w1/devices)").required()),
                d -> List.of("1-Wire sensor " + d.string("sensor")));
        type("bme280", "Bosch BME280 on I2C: temperature, humidity, pressure", "5s", List.of(
                Key.integer("bus", 1, 0, 31, "I2C bus number (/dev/i2c-N)"),
                Key.address("address", 0x76, 0x76, 0x77, "I2C address: 0x76 or 0x77")),
                d -> List.of(String.format("I2C bus %d address 0x%02x", d.integer("bus"), d.integer("address"))));
        type("mcp3008", "MCP3008 8-channel ADC on SPI, as volts", "1s", List.of(
                Key.integer("bus", 0, 0, 6, "SPI bus number (/dev/spidevB.C)"),
                Key.integer("chip_select", 0, 0, 2, "chip select (CE0 = 0, CE1 = 1)"),
                Key.list("inputs", "0", "ADC inputs to read, 0-7, e.g. 0,1,2"),
                Key.number("vref", 3.3, 0.1, 5.5, "reference voltage on VREF, in volts")),
                d -> List.of(String.format("SPI bus %d chip select %d", d.integer("bus"), d.integer("chip_select"))));
        type("gpio", "digital input: 0/1 with edges as they happen", "10s", List.of(
                Key.integer("pin", 0, 0, 27, "BCM GPIO number (not the header pin)").required(),
                Key.choice("pull", "off", List.of("up", "down", "off"), "internal pull resistor"),
                Key.duration("debounce", "10ms", "0s", "1s", "ignore edges closer than this")),
                d -> List.of("GPIO " + d.integer("pin")));
        type("counter", "pulse counter as a rate: anemometers, flow meters, rain gauges", "5s", List.of(
                Key.integer("pin", 0, 0, 27, "BCM GPIO number").required(),
                Key.choice("pull", "up", List.of("up", "down", "off"), "internal pull resistor"),
                Key.choice("edge", "falling", List.of("rising", "falling"), "which edges count"),
                Key.duration("debounce", "1ms", "0s", "1s", "ignore edges closer than this"),
                Key.number("factor", 1, -1e9, 1e9, "value = pulses per second * factor (e.g. 2.4 for km/h)"),
                Key.string("quantity", "rate", "channel id suffix: <device>.<quantity>, e.g. wind"),
                Key.string("unit", "Hz", "unit after the factor")),
                d -> List.of("GPIO " + d.integer("pin")));
        type("command", "a program's output as a number (vcgencmd measure_temp)", "10s", List.of(
                Key.string("command", null, "program and arguments, e.g. vcgencmd measure_temp").required(),
                Key.bool("shell", false, "run through /bin/sh -c (pipes, globs)"),
                Key.string("pattern", "", "regular expression; the first group (or the match) is the number"),
                Key.string("quantity", "value", "channel id suffix: <device>.<quantity>"),
                Key.string("unit", "", "unit shown with the value")),
                d -> List.of());
    }

    private ConfigSchema() {}

    public static Map<String, DeviceType> types() {
        return TYPES;
    }

    public static List<Key> serverKeys() {
        List<Key> keys = new ArrayList<>();
        SERVER.forEach(k -> keys.add(k.key()));
        return keys;
    }

    public static List<Key> deviceCommonKeys() {
        return DEVICE_COMMON;
    }

    public static List<Key> alertKeys() {
        return ALERT;
    }

    /** The built-in alert rules' names and keys, in order. */
    public static Map<String, Map<String, String>> builtInAlerts() {
        return BUILT_IN_ALERTS;
    }

    private static void type(String name, String summary, String interval, List<Key> keys,
                             Function<DeviceConfig, List<String>> claims) {
        TYPES.put(name, new DeviceType(name, summary, Values.duration(interval), keys, claims));
    }

    private static ServerKey server(Key key, BiConsumer<Settings.Builder, Object> apply) {
        return new ServerKey(key, apply);
    }

    @SuppressWarnings("unchecked")
    private static List<String> castList(Object v) {
        return (List<String>) v;
    }
}

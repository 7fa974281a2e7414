package io.sensorcast.bench;

import java.nio.file.Path;
import java.util.List;

/** The servers the benchmark compares, by the name used on the command line and in tables. */
enum ServerKind {
    SENSORCAST("sensorcast"),
    JAVA_WEBSOCKET("java-websocket"),
    NETTY("netty");

    final String id;

    ServerKind(String id) {
        this.id = id;
    }

    static ServerKind byId(String id) {
        for (ServerKind k : values()) {
            if (k.id.equals(id)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown server " + id + " (sensorcast, java-websocket, netty)");
    }

    /**
     * What follows "java -Xmx64m -XX:+UseSerialGC": sensorcast runs as the product, from its jar
     * with a config file; the peers from the benchmark's jar with --port and --rate.
     */
    List<String> arguments(Path productJar, Path benchJar, Path config, int port, double rate) {
        return switch (this) {
            case SENSORCAST -> List.of("-jar", productJar.toString(), "--config", config.toString());
            case JAVA_WEBSOCKET -> List.of("-cp", benchJar.toString(), JavaWebSocketPeer.class.getName(),
                    "--port", Integer.toString(port), "--rate", Double.toString(rate));
            case NETTY -> List.of("-cp", benchJar.toString(), NettyPeer.class.getName(),
                    "--port", Integer.toString(port), "--rate", Double.toString(rate));
        };
    }

    /**
     * sensorcast's configuration for the benchmark: loopback only, room for the monitors, and one
     * simulated device at the rate (defining a device turns the built-in ones off).
     */
    static String sensorcastConfig(int port, double rate, String extraDevices) {
        return sensorcastConfig(port, rate, "", extraDevices);
    }

    /** With {@code serverKeys} (whole lines, e.g. mqtt.*) among the server's keys, before the devices. */
    static String sensorcastConfig(int port, double rate, String serverKeys, String extraDevices) {
        return "http.bind = 127.0.0.1\n"
                + "http.port = " + port + "\n"
                + "http.max_connections = 4096\n"
                + "server.name = bench\n"
                + serverKeys
                + "[device.bench]\n"
                + "type = sim\n"
                + "rate = " + plain(rate) + "\n"
                + extraDevices;
    }

    private static String plain(double rate) {
        return rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
    }
}

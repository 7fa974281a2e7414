package io.sensorcast.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Ports for servers a test starts in another process, where it cannot bind port 0 itself. */
public final class Ports {

    private Ports() {}

    /** A port that was free on the loopback address a moment ago. */
    public static int freeLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        }
    }
}

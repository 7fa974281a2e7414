package io.sensorcast.testing;

import io.sensorcast.cli.Service;
import io.sensorcast.config.Settings;
import io.sensorcast.sensor.Device;
import io.sensorcast.sensor.Sensor;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** A real server on 127.0.0.1 and a free port, stopped by close(). */
public final class TestServer implements AutoCloseable {

    private final Service service;
    private final InetSocketAddress address;

    private TestServer(Service service, InetSocketAddress address) {
        this.service = service;
        this.address = address;
    }

    /** Settings with loopback and port 0 filled in; everything else as given. */
    public static Settings.Builder settings() {
        return Settings.builder().bind("127.0.0.1").port(0).deviceName("test-device");
    }

    public static TestServer start(Settings settings, List<Sensor> sensors) throws Exception {
        Service s = new Service(settings, sensors);
        return new TestServer(s, s.start());
    }

    /** With devices as the configuration would give them (on-demand, timeouts). */
    public static TestServer startDevices(Settings settings, List<Device> devices) throws Exception {
        Service s = new Service(settings, devices, List.of());
        return new TestServer(s, s.start());
    }

    public static TestServer start(List<Sensor> sensors) throws Exception {
        return start(settings().build(), sensors);
    }

    public int port() {
        return address.getPort();
    }

    public Service service() {
        return service;
    }

    /** Runs {@code task} on the loop thread and waits for its result (loop-owned state). */
    public <T> T onLoop(Callable<T> task) throws Exception {
        return service.loop().submit(task).get(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        service.stop();
    }
}

package io.sensorcast.config;

import java.util.List;

/**
 * A whole, valid configuration.
 *
 * @param settings the server's settings
 * @param devices  the devices to run, in file order; when the files define none, the built-in
 *                 ones (system and a simulated channel), so a fresh install shows live data
 * @param files    the files read, in order (main file first, then conf.d)
 */
public record Config(Settings settings, List<DeviceConfig> devices, List<String> files) {}

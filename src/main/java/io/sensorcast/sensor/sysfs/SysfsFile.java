package io.sensorcast.sensor.sysfs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/** One file that holds one number, read as it is: a GPIO-less thermistor ADC, a fan tachometer. */
public final class SysfsFile implements NumberSource {

    private final Path file;

    public SysfsFile(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    public Path file() {
        return file;
    }

    @Override
    public double read() throws IOException {
        return SysfsFiles.readNumber(file);
    }

    @Override
    public String toString() {
        return file.toString();
    }
}

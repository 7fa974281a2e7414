package io.sensorcast.sensor.pi4j;

/** Which transition of a GPIO input is one pulse. */
public enum Edge {
    /** Low to high. */
    RISING,
    /** High to low: a reed switch or open-collector sensor with a pull-up. */
    FALLING
}

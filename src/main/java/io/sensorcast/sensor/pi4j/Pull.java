package io.sensorcast.sensor.pi4j;

/** The bias a GPIO input gets from the SoC's internal resistor. */
public enum Pull {
    /** To 3.3 V: for a switch or open-collector output that pulls to ground. */
    UP,
    /** To ground: for a switch to 3.3 V. */
    DOWN,
    /** None: the device drives the line (or there is an external resistor). */
    NONE
}

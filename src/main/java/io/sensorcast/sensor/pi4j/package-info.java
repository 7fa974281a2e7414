/**
 * Drivers for devices on a Raspberry Pi's GPIO header, through Pi4J 2: a BME280 on I2C, an
 * MCP3008 on SPI, GPIO inputs and pulse counters.
 *
 * <p>Pi4J stays in this package: the rest of the program sees only {@link io.sensorcast.sensor.Sensor}
 * and {@link io.sensorcast.sensor.EventSensor}, and compiles and runs on machines without a board.
 * {@link io.sensorcast.sensor.pi4j.Pi4jBoard} is the one place that chooses Pi4J providers.
 */
package io.sensorcast.sensor.pi4j;

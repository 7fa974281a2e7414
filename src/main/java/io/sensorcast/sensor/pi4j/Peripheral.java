package io.sensorcast.sensor.pi4j;

/**
 * The kinds of hardware interface the drivers use, with what a person does to make each one
 * available on Raspberry Pi OS (the advice in the error messages).
 */
enum Peripheral {

    GPIO("gpio", "this kernel offers no GPIO character device (/dev/gpiochip*); the GPIO drivers need "
            + "Raspberry Pi OS or another kernel with GPIO character devices"),
    I2C("i2c", "enable I2C (sudo raspi-config, Interface Options, I2C; or dtparam=i2c_arm=on in "
            + "/boot/firmware/config.txt) and reboot"),
    SPI("spi", "enable SPI (sudo raspi-config, Interface Options, SPI; or dtparam=spi=on in "
            + "/boot/firmware/config.txt) and reboot");

    /** The group that owns the device nodes on Raspberry Pi OS (its udev rules). */
    private final String group;
    /** What to do when the device node does not exist. */
    private final String enableAdvice;

    Peripheral(String group, String enableAdvice) {
        this.group = group;
        this.enableAdvice = enableAdvice;
    }

    String group() {
        return group;
    }

    String enableAdvice() {
        return enableAdvice;
    }
}

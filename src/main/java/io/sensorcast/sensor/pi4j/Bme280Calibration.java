package io.sensorcast.sensor.pi4j;

/**
 * A BME280's trimming parameters, read once from its NVM copy in registers 0x88..0xA1 and
 * 0xE1..0xE7 (datasheet BST-BME280-DS002, section 4.2.2, Table 16 "Compensation parameter
 * storage, naming and data type"). Each chip has its own; without them the ADC values mean nothing.
 */
record Bme280Calibration(
        int digT1, int digT2, int digT3,
        int digP1, int digP2, int digP3, int digP4, int digP5, int digP6, int digP7, int digP8, int digP9,
        int digH1, int digH2, int digH3, int digH4, int digH5, int digH6) {

    /** Bytes in the first block, 0x88..0xA1 (0xA0 is unused). */
    static final int BLOCK1_LENGTH = 26;
    /** Bytes in the second block, 0xE1..0xE7. */
    static final int BLOCK2_LENGTH = 7;

    /**
     * Decodes the two register blocks as Table 16 lays them out: 16-bit words little-endian (LSB at
     * the lower address); dig_T1, dig_P1, dig_H1 and dig_H3 unsigned, the others signed.
     */
    static Bme280Calibration parse(byte[] block1, byte[] block2) {
        if (block1.length != BLOCK1_LENGTH || block2.length != BLOCK2_LENGTH) {
            throw new IllegalArgumentException("calibration blocks must be " + BLOCK1_LENGTH + " and "
                    + BLOCK2_LENGTH + " bytes, were " + block1.length + " and " + block2.length);
        }
        return new Bme280Calibration(
                u16(block1, 0), s16(block1, 2), s16(block1, 4),             // 0x88..0x8D
                u16(block1, 6), s16(block1, 8), s16(block1, 10),           // 0x8E..0x93
                s16(block1, 12), s16(block1, 14), s16(block1, 16),         // 0x94..0x99
                s16(block1, 18), s16(block1, 20), s16(block1, 22),         // 0x9A..0x9F
                u8(block1, 25),                                            // 0xA1
                s16(block2, 0),                                            // 0xE1/0xE2
                u8(block2, 2),                                             // 0xE3
                // dig_H4 and dig_H5 are 12-bit signed values sharing 0xE5 (Table 16):
                // dig_H4 = 0xE4[7:0] as bits 11:4, 0xE5[3:0] as bits 3:0;
                // dig_H5 = 0xE6[7:0] as bits 11:4, 0xE5[7:4] as bits 3:0.
                // The upper byte is taken as signed, which sign-extends the 12-bit value.
                (block2[3] << 4) | (block2[4] & 0x0F),                     // 0xE4, 0xE5 low
                (block2[5] << 4) | ((block2[4] & 0xFF) >> 4),              // 0xE6, 0xE5 high
                block2[6]);                                                // 0xE7, signed char
    }

    private static int u8(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8;
    }

    private static int s16(byte[] b, int i) {
        return (short) u16(b, i);
    }
}

package io.sensorcast.sensor.pi4j;

/**
 * Test data for the BME280: the worked example of the Bosch datasheets, and the datasheet's
 * double-precision formulas (BME280 datasheet section 8.1) as an oracle independent of the
 * integer code under test.
 */
final class Bme280Datasheet {

    private Bme280Datasheet() {}

    /*
     * The computation example of the BMP280 datasheet (section 3.12, Table 7; the BME280 shares
     * its temperature and pressure formulas): dig_T1..T3 = 27504, 26435, -1000; dig_P1..P9 =
     * 36477, -10685, 3024, 2855, 140, -7, 15500, -14600, 6000; adc_T = 519888, adc_P = 415148
     * give t_fine = 128422, T = 25.08 °C, p = 100653.27 Pa. (The 100653.27 is the floating-point
     * result computed with the unrounded t_fine 128422.2869; the int64 formula gives 25767233
     * in Q24.8, 100653.254 Pa, checked with an independent arbitrary-precision computation.)
     *
     * Humidity is not in that example; the case below is constructed, with dig_H1..H6 = 75, 362,
     * 10, 313, 50, 30 (typical of real chips, H3 made non-zero so that every term counts) and
     * adc_H = 27136 (0x6A00). At t_fine 128422 the datasheet's int32 formula gives 39975 in
     * Q22.10 (39.038 %RH), from an independent arbitrary-precision computation, and the double
     * formula of section 8.1 (below) 39.0418 %RH.
     */
    static final int ADC_T = 519888;
    static final int ADC_P = 415148;
    static final int ADC_H = 27136;
    static final int T_FINE = 128422;

    static Bme280Calibration calibration() {
        return new Bme280Calibration(27504, 26435, -1000,
                36477, -10685, 3024, 2855, 140, -7, 15500, -14600, 6000,
                75, 362, 10, 313, 50, 30);
    }

    /*
     * The same calibration as the chip stores it (datasheet Table 16), packed by hand:
     * little-endian words, two's complement for the signed ones; 0xA0 unused; dig_H1 at 0xA1.
     * 0x88: T1 27504 = 0x6B70, T2 26435 = 0x6743, T3 -1000 = 0xFC18,
     * 0x8E: P1 36477 = 0x8E7D, P2 -10685 = 0xD643, P3 3024 = 0x0BD0, P4 2855 = 0x0B27,
     * 0x96: P5 140 = 0x008C, P6 -7 = 0xFFF9, P7 15500 = 0x3C8C, P8 -14600 = 0xC6F8, P9 6000 = 0x1770,
     * 0xA0: unused, 0xA1: H1 75 = 0x4B.
     */
    static final byte[] CALIB_88_A1 = bytes(
            0x70, 0x6B, 0x43, 0x67, 0x18, 0xFC,
            0x7D, 0x8E, 0x43, 0xD6, 0xD0, 0x0B, 0x27, 0x0B,
            0x8C, 0x00, 0xF9, 0xFF, 0x8C, 0x3C, 0xF8, 0xC6, 0x70, 0x17,
            0x00, 0x4B);

    /*
     * 0xE1..0xE7: H2 362 = 0x016A (LSB first); H3 10 = 0x0A; H4 313 = 0x139 -> 0xE4 = 0x13 (bits
     * 11:4), 0xE5[3:0] = 0x9; H5 50 = 0x032 -> 0xE5[7:4] = 0x2 (bits 3:0), 0xE6 = 0x03 (bits 11:4);
     * so 0xE5 = 0x29; H6 30 = 0x1E.
     */
    static final byte[] CALIB_E1_E7 = bytes(0x6A, 0x01, 0x0A, 0x13, 0x29, 0x03, 0x1E);

    /*
     * 0xF7..0xFE for adc_P 415148 = 0x655AC (msb 0x65, lsb 0x5A, xlsb 0xC in bits 7:4),
     * adc_T 519888 = 0x7EED0 (0x7E, 0xED, 0x00), adc_H 0x6A00 (0x6A, 0x00).
     */
    static final byte[] DATA_F7_FE = bytes(0x65, 0x5A, 0xC0, 0x7E, 0xED, 0x00, 0x6A, 0x00);

    /** Datasheet section 8.1, bme280_compensate_H_double. */
    static double humidityDouble(int adcH, double tFine, Bme280Calibration c) {
        double h = tFine - 76800.0;
        h = (adcH - (c.digH4() * 64.0 + c.digH5() / 16384.0 * h))
                * (c.digH2() / 65536.0 * (1.0 + c.digH6() / 67108864.0 * h * (1.0 + c.digH3() / 67108864.0 * h)));
        h = h * (1.0 - c.digH1() * h / 524288.0);
        return Math.max(0.0, Math.min(100.0, h));
    }

    /** Datasheet section 8.1, BME280_compensate_P_double, in Pa. */
    static double pressureDouble(int adcP, double tFine, Bme280Calibration c) {
        double var1 = tFine / 2.0 - 64000.0;
        double var2 = var1 * var1 * c.digP6() / 32768.0;
        var2 = var2 + var1 * c.digP5() * 2.0;
        var2 = var2 / 4.0 + c.digP4() * 65536.0;
        var1 = (c.digP3() * var1 * var1 / 524288.0 + c.digP2() * var1) / 524288.0;
        var1 = (1.0 + var1 / 32768.0) * c.digP1();
        double p = 1048576.0 - adcP;
        p = (p - var2 / 4096.0) * 6250.0 / var1;
        var1 = c.digP9() * p * p / 2147483648.0;
        var2 = p * c.digP8() / 32768.0;
        return p + (var1 + var2 + c.digP7()) / 16.0;
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }
}

package io.sensorcast.sensor.pi4j;

/**
 * The BME280's compensation formulas, in the integer versions of the datasheet (BST-BME280-DS002,
 * section 4.2.3 "Compensation formulas"): int32 temperature with t_fine, int64 pressure, int32
 * humidity. (Section 8.1 has the same in double precision; the tests use it as an oracle.) They are what Bosch recommends, and being exact integer
 * arithmetic they give the same result on every JVM; Java's {@code >>} is arithmetic and its
 * {@code /} truncates, as the reference C code assumes. Widths follow the C code (int for
 * BME280_S32_t, long for BME280_S64_t) so that the results match it bit for bit.
 */
final class Bme280Compensation {

    private Bme280Compensation() {}

    /** t_fine, the fine temperature that pressure and humidity compensation need (section 4.2.3). */
    static int tFine(int adcT, Bme280Calibration c) {
        int var1 = (((adcT >> 3) - (c.digT1() << 1)) * c.digT2()) >> 11;
        int var2 = (((((adcT >> 4) - c.digT1()) * ((adcT >> 4) - c.digT1())) >> 12) * c.digT3()) >> 14;
        return var1 + var2;
    }

    /** Temperature in 0.01 °C: 5123 is 51.23 °C (BME280_compensate_T_int32). */
    static int temperatureCentiCelsius(int tFine) {
        return (tFine * 5 + 128) >> 8;
    }

    /**
     * Pressure in Pa as unsigned Q24.8: 24674867 is 24674867 / 256 = 96386.2 Pa
     * (BME280_compensate_P_int64). 0 when the calibration would divide by zero, as in the datasheet.
     */
    static long pressureQ24p8(int adcP, int tFine, Bme280Calibration c) {
        long var1 = (long) tFine - 128000;
        long var2 = var1 * var1 * c.digP6();
        var2 = var2 + ((var1 * c.digP5()) << 17);
        var2 = var2 + ((long) c.digP4() << 35);
        var1 = ((var1 * var1 * c.digP3()) >> 8) + ((var1 * c.digP2()) << 12);
        var1 = (((1L << 47) + var1) * c.digP1()) >> 33;
        if (var1 == 0) {
            return 0; // avoid exception caused by division by zero (datasheet)
        }
        long p = 1048576 - adcP;
        p = (((p << 31) - var2) * 3125) / var1;
        var1 = ((long) c.digP9() * (p >> 13) * (p >> 13)) >> 25;
        var2 = ((long) c.digP8() * p) >> 19;
        p = ((p + var1 + var2) >> 8) + ((long) c.digP7() << 4);
        return p & 0xFFFF_FFFFL; // the C function returns BME280_U32_t
    }

    /**
     * Relative humidity in % as unsigned Q22.10: 47445 is 47445 / 1024 = 46.333 %RH
     * (bme280_compensate_H_int32). The formula clamps to 0..100 %.
     */
    static long humidityQ22p10(int adcH, int tFine, Bme280Calibration c) {
        int v = tFine - 76800;
        v = ((((adcH << 14) - (c.digH4() << 20) - (c.digH5() * v)) + 16384) >> 15)
                * (((((((v * c.digH6()) >> 10) * (((v * c.digH3()) >> 11) + 32768)) >> 10) + 2097152)
                        * c.digH2() + 8192) >> 14);
        v = v - (((((v >> 15) * (v >> 15)) >> 7) * c.digH1()) >> 4);
        v = v < 0 ? 0 : v;
        v = v > 419430400 ? 419430400 : v;
        return (v >> 12) & 0xFFFF_FFFFL;
    }
}

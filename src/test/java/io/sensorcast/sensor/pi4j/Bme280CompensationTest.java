package io.sensorcast.sensor.pi4j;

import static io.sensorcast.sensor.pi4j.Bme280Datasheet.ADC_H;
import static io.sensorcast.sensor.pi4j.Bme280Datasheet.ADC_P;
import static io.sensorcast.sensor.pi4j.Bme280Datasheet.ADC_T;
import static io.sensorcast.sensor.pi4j.Bme280Datasheet.T_FINE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class Bme280CompensationTest {

    private final Bme280Calibration example = Bme280Datasheet.calibration();

    @Test
    void temperatureOfTheDatasheetExampleIs2508HundredthsWithTFine128422() {
        int tFine = Bme280Compensation.tFine(ADC_T, example);
        assertEquals(T_FINE, tFine);
        assertEquals(2508, Bme280Compensation.temperatureCentiCelsius(tFine));
    }

    @Test
    void pressureOfTheDatasheetExampleIs100653PaInQ24p8() {
        long q24p8 = Bme280Compensation.pressureQ24p8(ADC_P, T_FINE, example);
        assertEquals(25767233, q24p8);
        // The datasheet's 100653.27 Pa came from floating point; the integer result is within 0.02 Pa.
        assertEquals(100653.27, q24p8 / 256.0, 0.02);
        assertEquals(Bme280Datasheet.pressureDouble(ADC_P, T_FINE, example), q24p8 / 256.0, 0.01);
    }

    @Test
    void pressureIsZeroWhenTheCalibrationWouldDivideByZero() {
        Bme280Calibration noP1 = new Bme280Calibration(27504, 26435, -1000,
                0, -10685, 3024, 2855, 140, -7, 15500, -14600, 6000, 75, 362, 10, 313, 50, 30);
        assertEquals(0, Bme280Compensation.pressureQ24p8(ADC_P, T_FINE, noP1));
    }

    @Test
    void humidityOfTheConstructedCaseIs39975InQ22p10AndAgreesWithTheDoubleFormula() {
        long q22p10 = Bme280Compensation.humidityQ22p10(ADC_H, T_FINE, example);
        assertEquals(39975, q22p10);
        assertEquals(Bme280Datasheet.humidityDouble(ADC_H, T_FINE, example), q22p10 / 1024.0, 0.01);
    }

    @Test
    void humidityAgreesWithTheDoubleFormulaAcrossItsRange() {
        for (int adcH = 20000; adcH <= 36000; adcH += 1000) {
            for (int tFine = 60000; tFine <= 180000; tFine += 20000) {
                double expected = Bme280Datasheet.humidityDouble(adcH, tFine, example);
                assertEquals(expected, Bme280Compensation.humidityQ22p10(adcH, tFine, example) / 1024.0, 0.02,
                        "adc_H " + adcH + ", t_fine " + tFine);
            }
        }
    }

    @Test
    void humidityIsClampedTo0And100Percent() {
        assertEquals(0, Bme280Compensation.humidityQ22p10(0, T_FINE, example));
        assertEquals(100 * 1024, Bme280Compensation.humidityQ22p10(0xFFFF, T_FINE, example));
    }
}

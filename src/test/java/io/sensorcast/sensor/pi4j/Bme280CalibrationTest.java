package io.sensorcast.sensor.pi4j;

import static io.sensorcast.sensor.pi4j.Bme280Datasheet.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class Bme280CalibrationTest {

    @Test
    void parsesTheDatasheetExampleFromItsRegisterBytes() {
        Bme280Calibration c = Bme280Calibration.parse(Bme280Datasheet.CALIB_88_A1, Bme280Datasheet.CALIB_E1_E7);
        assertEquals(Bme280Datasheet.calibration(), c);
    }

    @Test
    void signExtendsTheTwelveBitDigH4AndDigH5AndTheSignedCharDigH6() {
        // H4 -200 = 0xF38 (12 bits): 0xE4 = 0xF3, 0xE5[3:0] = 0x8; H5 -7 = 0xFF9: 0xE5[7:4] = 0x9,
        // 0xE6 = 0xFF; so 0xE5 = 0x98. H6 -12 = 0xF4. H2 380 = 0x017C, H3 4.
        byte[] block2 = bytes(0x7C, 0x01, 0x04, 0xF3, 0x98, 0xFF, 0xF4);
        Bme280Calibration c = Bme280Calibration.parse(Bme280Datasheet.CALIB_88_A1, block2);
        assertEquals(380, c.digH2());
        assertEquals(4, c.digH3());
        assertEquals(-200, c.digH4());
        assertEquals(-7, c.digH5());
        assertEquals(-12, c.digH6());
    }

    @Test
    void readsTheUnsignedParametersWithoutSign() {
        byte[] block1 = Bme280Datasheet.CALIB_88_A1.clone();
        block1[0] = (byte) 0xFF; // dig_T1 = 0xFFFF
        block1[1] = (byte) 0xFF;
        block1[6] = (byte) 0xFE; // dig_P1 = 0xFFFE
        block1[7] = (byte) 0xFF;
        block1[25] = (byte) 0xC8; // dig_H1 = 200
        byte[] block2 = bytes(0x00, 0x80, 0xF0, 0x00, 0x00, 0x00, 0x00); // dig_H2 = -32768, dig_H3 = 240
        Bme280Calibration c = Bme280Calibration.parse(block1, block2);
        assertEquals(65535, c.digT1());
        assertEquals(65534, c.digP1());
        assertEquals(200, c.digH1());
        assertEquals(-32768, c.digH2());
        assertEquals(240, c.digH3());
    }

    @Test
    void rejectsBlocksOfTheWrongLength() {
        assertThrows(IllegalArgumentException.class, () -> Bme280Calibration.parse(new byte[25], new byte[7]));
        assertThrows(IllegalArgumentException.class, () -> Bme280Calibration.parse(new byte[26], new byte[8]));
    }
}

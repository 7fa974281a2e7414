package io.sensorcast.ws;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CloseCodesTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014,
        3000, 3999, 4000, 4999})
    void definedAndApplicationCodesMayBeSent(int code) {
        assertTrue(CloseCodes.isValidOnWire(code));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {-1, 0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535})
    void reservedAndUnassignedCodesMayNotBeSent(int code) {
        assertFalse(CloseCodes.isValidOnWire(code));
    }
}

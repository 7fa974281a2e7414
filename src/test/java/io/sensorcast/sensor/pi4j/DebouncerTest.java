package io.sensorcast.sensor.pi4j;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DebouncerTest {

    private static final long MS = 1_000_000;

    @Test
    void theFirstChangeAfterSeedingPassesAtOnce() {
        Debouncer d = new Debouncer(5 * MS);
        d.seed(false);
        assertTrue(d.accept(true, 0));
    }

    @Test
    void theSameLevelAgainIsNoEdge() {
        Debouncer d = new Debouncer(0);
        d.seed(false);
        assertFalse(d.accept(false, 10 * MS));
        assertTrue(d.accept(true, 20 * MS));
        assertFalse(d.accept(true, 30 * MS));
    }

    @Test
    void changesWithinTheWindowAfterAnEdgeAreBounce() {
        Debouncer d = new Debouncer(5 * MS);
        d.seed(false);
        assertTrue(d.accept(true, 100 * MS));
        assertFalse(d.accept(false, 101 * MS));
        assertFalse(d.accept(true, 102 * MS));
        assertFalse(d.accept(false, 104 * MS));
        assertTrue(d.accept(false, 105 * MS), "the window has passed: the line really went low");
    }

    @Test
    void aZeroWindowPassesEveryChange() {
        Debouncer d = new Debouncer(0);
        d.seed(true);
        assertTrue(d.accept(false, 0));
        assertTrue(d.accept(true, 0));
        assertTrue(d.accept(false, 0));
    }

    @Test
    void withoutSeedTheFirstLevelSeenIsAnEdge() {
        Debouncer d = new Debouncer(5 * MS);
        assertTrue(d.accept(false, 0));
    }

    @Test
    void seedingAgainStartsWithoutAWindow() {
        Debouncer d = new Debouncer(5 * MS);
        d.seed(false);
        assertTrue(d.accept(true, 100 * MS));
        d.seed(false); // re-opened: the line is low now
        assertTrue(d.accept(true, 101 * MS));
    }

    @Test
    void aNegativeWindowIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Debouncer(-1));
    }
}

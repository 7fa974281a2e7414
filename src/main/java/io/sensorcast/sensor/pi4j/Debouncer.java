package io.sensorcast.sensor.pi4j;

/**
 * Turns the raw levels of a bouncing contact into clean edges. An edge is passed on at once (no
 * waiting for the line to settle, so the dashboard sees a button press without delay), and for
 * {@code window} after it every further change is taken for bounce and ignored.
 *
 * <p>The price of passing edges at once: a glitch shorter than the window that ends on the other
 * level is taken for an edge, and the line's return within the window is missed until the next
 * edge. The drivers' {@code read()} reports the line as it is, which corrects that on the next
 * interval.
 *
 * <p>Time comes from the caller, so the logic is a pure function of levels and times. Thread-safe:
 * Pi4J calls back on its own thread while the device's thread seeds it.
 */
final class Debouncer {

    private final long windowNanos;
    private boolean known;
    private boolean level;
    private boolean everAccepted;
    private long acceptedAt;

    Debouncer(long windowNanos) {
        if (windowNanos < 0) {
            throw new IllegalArgumentException("debounce window must not be negative, was " + windowNanos + " ns");
        }
        this.windowNanos = windowNanos;
    }

    /** The level the line has now, with no edge: where edges start from (after open). */
    synchronized void seed(boolean high) {
        known = true;
        level = high;
        everAccepted = false;
    }

    /** Whether a raw {@code high} at {@code nowNanos} is a new edge; it becomes the level if so. */
    synchronized boolean accept(boolean high, long nowNanos) {
        if (known && high == level) {
            return false;
        }
        if (everAccepted && nowNanos - acceptedAt < windowNanos) {
            return false;
        }
        known = true;
        level = high;
        everAccepted = true;
        acceptedAt = nowNanos;
        return true;
    }
}

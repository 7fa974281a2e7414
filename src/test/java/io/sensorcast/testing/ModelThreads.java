package io.sensorcast.testing;

/**
 * For the bodies of Lincheck's {@code runConcurrentTest}: the threads whose interleavings the model
 * checker explores, and the check that fails an interleaving (Lincheck prints it).
 */
public final class ModelThreads {

    private ModelThreads() {
    }

    /** Starts every thread, then waits for each; Lincheck reports a body that never ends as hung. */
    public static void runAll(Thread... threads) {
        for (Thread t : threads) {
            t.start();
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    public static void check(boolean ok, String message) {
        if (!ok) {
            throw new AssertionError(message);
        }
    }
}

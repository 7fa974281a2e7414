package io.sensorcast.testing;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/**
 * A test that needs a real component of the machine (a tool, a browser). On a newcomer's machine a
 * missing one skips the test with what to install; in CI (CI=true), where .ci/run installs every
 * one of them, it fails: a skipped test there would hide a missing install step.
 */
public final class Requires {

    private Requires() {
    }

    /** Skips (or, in CI, fails) unless {@code present}; {@code missing} says what is missing and how to install it. */
    public static void component(boolean present, String missing) {
        if (present) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            fail(missing + " (CI installs it through .ci/run: it must be there)");
        }
        Assumptions.abort(missing);
    }
}

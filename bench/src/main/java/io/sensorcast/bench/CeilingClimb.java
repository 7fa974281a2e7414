package io.sensorcast.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One run up the ceiling's ladder: each rate in turn, until a step does not pass.
 *
 * <p>A step that misses a threshold is measured once more before the climb stops there. On a
 * shared VM a single stall of 100 ms (the hypervisor taking the core) puts about 1 % of a 10 s
 * window's samples 0-100 ms late: p99 about 50 ms, a failed step, for a server that is nowhere
 * near its limit (seen on 2026-12-04: Java-WebSocket at 41 % CPU, max 102 ms). A server at its
 * limit fails the second time too, so the ceiling stays where the server is, for every server
 * alike. A step that fails outright (a crash, out of memory) is not repeated.
 */
final class CeilingClimb {

    /** Measures one step of the ladder. */
    interface Step {
        CellResult run(int rate) throws IOException, InterruptedException;
    }

    private CeilingClimb() {}

    /** Climbs {@code ladder}; every cell measured goes to {@code cells} and to {@code progress}. */
    static Summary.CeilingRun climb(List<Integer> ladder, Step step, List<CellResult> cells, Consumer<CellResult> progress)
            throws IOException, InterruptedException {
        double reached = 0;
        CellResult atReached = null;
        List<Integer> repeated = new ArrayList<>();
        for (int rate : ladder) {
            CellResult r = measure(step, rate, cells, progress);
            if (!r.passes() && r.failure == null) {
                repeated.add(rate);
                r = measure(step, rate, cells, progress);
            }
            if (!r.passes()) {
                return new Summary.CeilingRun(reached, atReached, r, repeated);
            }
            reached = rate;
            atReached = r;
        }
        return new Summary.CeilingRun(reached, atReached, null, repeated);
    }

    private static CellResult measure(Step step, int rate, List<CellResult> cells, Consumer<CellResult> progress)
            throws IOException, InterruptedException {
        CellResult r = step.run(rate);
        progress.accept(r);
        cells.add(r);
        return r;
    }
}

package io.sensorcast.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CeilingClimbTest {

    private static final List<Integer> LADDER = List.of(1_000, 2_000, 3_000, 4_000);

    /** Each rate answers with its scripted p99s, in order; 1 ms passes, 80 ms does not. */
    private final Map<Integer, ArrayDeque<CellResult>> script = new HashMap<>();
    private final List<CellResult> cells = new ArrayList<>();
    private final List<CellResult> shown = new ArrayList<>();

    @Test
    void aStepThatFailsOnceIsMeasuredAgainAndTheClimbGoesOn() throws Exception {
        plan(1_000, 1);
        plan(2_000, 80, 1);
        plan(3_000, 80, 80);
        plan(4_000, 1);

        Summary.CeilingRun run = CeilingClimb.climb(LADDER, this::step, cells, shown::add);

        assertEquals(2_000, run.reached());
        assertEquals(2_000, run.atReached().spec.rate());
        assertEquals(3_000, run.firstFailing().spec.rate());
        assertEquals(List.of(2_000, 3_000), run.repeated());
        assertEquals("failed at 3k/s twice: p99 80 ms", run.stoppedAt());
        assertEquals(5, cells.size(), "every measurement is kept, the failed first tries too");
        assertEquals(cells, shown);
        assertEquals(1, script.get(4_000).size(), "the step above a ceiling is never measured");
    }

    @Test
    void aStepThatFailsOutrightIsNotRepeated() throws Exception {
        plan(1_000, 1);
        CellResult oom = CellResult.failed("netty", spec(2_000), "OOM");
        script.put(2_000, new ArrayDeque<>(List.of(oom, result(2_000, 1))));

        Summary.CeilingRun run = CeilingClimb.climb(LADDER, this::step, cells, shown::add);

        assertEquals(1_000, run.reached());
        assertSame(oom, run.firstFailing());
        assertEquals(List.of(), run.repeated());
        assertEquals("failed at 2k/s: OOM", run.stoppedAt());
    }

    @Test
    void theTopOfTheLadderPassedIsNoFailure() throws Exception {
        for (int rate : LADDER) {
            plan(rate, 1);
        }
        Summary.CeilingRun run = CeilingClimb.climb(LADDER, this::step, cells, shown::add);
        assertEquals(4_000, run.reached());
        assertNull(run.firstFailing());
        assertEquals("passed the top step", run.stoppedAt());
    }

    private CellResult step(int rate) {
        ArrayDeque<CellResult> left = script.get(rate);
        if (left == null || left.isEmpty()) {
            throw new AssertionError("measured " + rate + "/s more often than planned");
        }
        return left.poll();
    }

    private void plan(int rate, double... p99Millis) {
        ArrayDeque<CellResult> results = new ArrayDeque<>();
        for (double p99 : p99Millis) {
            results.add(result(rate, p99));
        }
        script.put(rate, results);
    }

    private static CellResult result(int rate, double p99Millis) {
        CellResult r = new CellResult("sensorcast", spec(rate));
        r.delivered((long) (10L * rate * 10), 10); // every frame of 10 monitors for 10 s
        r.p99Millis = p99Millis;
        return r;
    }

    private static CellSpec spec(int rate) {
        return new CellSpec(Scenario.CEILING.id, 10, rate, 0, 10);
    }
}

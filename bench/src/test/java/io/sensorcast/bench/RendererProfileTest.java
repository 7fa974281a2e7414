package io.sensorcast.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RendererProfileTest {

    @SuppressWarnings("unchecked")
    @Test
    void selfTimeIsTheDeltaToTheNextSampleSummedPerFunctionPerSecond() {
        // 2 s of profile; node 2 sampled for 3 ms + 1 ms, node 3 for 2 ms (2 ms / 2 s = 1 ms/s); the last sample has no next.
        Map<String, Object> profile = (Map<String, Object>) JsonRead.parse("""
                {"startTime":0,"endTime":2000000,
                 "nodes":[{"id":1,"callFrame":{"functionName":"(root)","url":"","lineNumber":-1}},
                          {"id":2,"callFrame":{"functionName":"flush","url":"http://127.0.0.1:1/app.js","lineNumber":9}},
                          {"id":3,"callFrame":{"functionName":"(garbage collector)","url":"","lineNumber":-1}}],
                 "samples":[2,3,2,2],
                 "timeDeltas":[5,3000,2000,1000]}""");
        Map<String, Double> self = RendererProfile.selfTimes(profile);
        assertEquals(List.of("flush app.js:10", "(garbage collector)"), List.copyOf(self.keySet()));
        assertEquals(2.0, self.get("flush app.js:10"), 1e-9);
        assertEquals(1.0, self.get("(garbage collector)"), 1e-9);
        assertEquals("flush app.js:10 2.00, (garbage collector) 1.00", RendererProfile.scriptLine(self, 5));
    }
}

package io.sensorcast.bench;

import org.HdrHistogram.Histogram;

/**
 * What one load-client thread counted: in the warm-up (thrown away), then in the window; merged
 * across threads at the end.
 */
final class ClientStats {

    /** Latencies up to an hour, in microseconds, three significant digits. */
    static final long MAX_LATENCY_MICROS = 3_600_000_000L;

    final Histogram latencyMicros = new Histogram(MAX_LATENCY_MICROS, 3);
    long samples;
    long lost;
    long reordered;
    long droppedReported;
    long statusErrors;
    long otherMessages;
    long bytes;
    long connectFailures;
    long closedByServer;

    void recordLatency(long micros) {
        latencyMicros.recordValue(Math.max(0, Math.min(MAX_LATENCY_MICROS, micros)));
    }

    /** Back to nothing counted: what the warm-up recorded is not part of the window. */
    void reset() {
        latencyMicros.reset();
        samples = 0;
        lost = 0;
        reordered = 0;
        droppedReported = 0;
        statusErrors = 0;
        otherMessages = 0;
        bytes = 0;
        connectFailures = 0;
        closedByServer = 0;
    }

    void add(ClientStats o) {
        latencyMicros.add(o.latencyMicros);
        samples += o.samples;
        lost += o.lost;
        reordered += o.reordered;
        droppedReported += o.droppedReported;
        statusErrors += o.statusErrors;
        otherMessages += o.otherMessages;
        bytes += o.bytes;
        connectFailures += o.connectFailures;
        closedByServer += o.closedByServer;
    }
}

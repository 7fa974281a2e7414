package io.sensorcast.bench;

import java.time.Instant;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The one producer thread every peer runs: emits sample JSON at a fixed rate, in the exact
 * format of sensorcast's sample frames, so every server carries the same bytes.
 *
 * <p>Paced on the monotonic clock: sample k is due at start + k/rate. When the thread wakes late
 * (parkNanos granularity, a GC pause) it emits every sample that is due in one batch instead of
 * sleeping per sample, so the average rate holds at any rate the thread can reach.
 */
final class SampleProducer implements Runnable {

    static final String CHANNEL = "bench.value";

    private final double rate;
    private final Consumer<String> sink;
    private volatile boolean running = true;

    SampleProducer(double rate, Consumer<String> sink) {
        if (!(rate > 0)) {
            throw new IllegalArgumentException("rate must be above 0: " + rate);
        }
        this.rate = rate;
        this.sink = sink;
    }

    /** Starts the producer on a daemon thread named "producer". */
    Thread start() {
        Thread t = new Thread(this, "producer");
        t.setDaemon(true);
        t.start();
        return t;
    }

    void stop() {
        running = false;
    }

    @Override
    public void run() {
        long start = System.nanoTime();
        long seq = 0;
        while (running) {
            long now = System.nanoTime();
            long due = (long) ((now - start) * rate / 1e9);
            while (seq < due && running) {
                seq++;
                sink.accept(json(seq, Instant.now(), Math.sin(seq / 1000.0) * 10 + 20));
            }
            long nextDue = start + (long) Math.ceil((seq + 1) * 1e9 / rate);
            long wait = nextDue - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
        }
    }

    /** {"type":"sample","channel":"bench.value","seq":42,"t":1732500000123.456,"v":48.3} */
    static String json(long seq, Instant t, double v) {
        long micros = t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
        long millis = micros / 1000;
        int fraction = (int) (micros % 1000);
        StringBuilder b = new StringBuilder(96);
        b.append("{\"type\":\"sample\",\"channel\":\"").append(CHANNEL).append("\",\"seq\":").append(seq)
                .append(",\"t\":").append(millis).append('.');
        if (fraction < 100) {
            b.append('0');
        }
        if (fraction < 10) {
            b.append('0');
        }
        b.append(fraction).append(",\"v\":").append(Math.round(v * 10) / 10.0).append('}');
        return b.toString();
    }
}

package io.sensorcast.loop;

import java.util.HashMap;
import java.util.Map;
import org.tinylog.TaggedLogger;

/**
 * Says a recurring problem once per window, with the number of times it was suppressed meanwhile,
 * so a flood of bad peers cannot flood the journal. Not thread-safe: the loop thread uses its own,
 * the notifiers theirs under their lock.
 */
public final class RateLimitedLog {

    private final TaggedLogger log;
    private final long windowNanos;
    private final Map<String, long[]> lastByKey = new HashMap<>(); // key -> {lastLoggedNanos, suppressed}

    public RateLimitedLog(TaggedLogger log, long windowNanos) {
        this.log = log;
        this.windowNanos = windowNanos;
    }

    public void warn(String key, String message) {
        say(key, message, false);
    }

    /** For what is expected now and then (an idle peer closed): the journal's info level. */
    public void info(String key, String message) {
        say(key, message, true);
    }

    private void say(String key, String message, boolean info) {
        long now = System.nanoTime();
        long[] state = lastByKey.get(key);
        if (state != null && now - state[0] < windowNanos) {
            state[1]++;
            return;
        }
        long suppressed = state == null ? 0 : state[1];
        lastByKey.put(key, new long[] {now, 0});
        String text = suppressed > 0 ? message + " (" + suppressed + " more like this since the last report)" : message;
        if (info) {
            log.info(text);
        } else {
            log.warn(text);
        }
    }
}

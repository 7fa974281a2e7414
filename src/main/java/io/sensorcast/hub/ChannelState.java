package io.sensorcast.hub;

import java.util.Locale;

/** What a monitor is told about a channel's health. */
public enum ChannelState {
    /** Samples arrive as configured. */
    OK,
    /** No sample for a few intervals: the value shown is old. */
    STALE,
    /** The sensor failed (exception, timeout, impossible value); the message says how. */
    ERROR;

    /** The wire and API spelling: "ok", "stale", "error". */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}

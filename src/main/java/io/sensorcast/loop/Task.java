package io.sensorcast.loop;

/** A piece of work for the loop thread, from {@link EventLoop#execute}: in the inbox like any message, in order. */
record Task(Runnable action) implements Message {
}

package io.sensorcast.loop;

/**
 * What another thread hands the loop through {@link EventLoop#post}: immutable from then on, never
 * touched again by its sender. The loop runs its own {@link Task}s and gives every other message
 * to its handler (the hub, whose messages are one sealed type).
 */
public interface Message {
}

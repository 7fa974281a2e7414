package io.sensorcast.hub;

/**
 * One reading of one channel, immutable, posted by a sensor thread to the loop.
 *
 * @param channel     the channel id ("cpu.temperature")
 * @param seq         per-channel sequence number, counted by the producer from 1: a gap seen by a
 *                    monitor is a sample lost on the way (inbox full, or dropped for a slow monitor)
 * @param epochMicros wall-clock time of the reading, microseconds since the epoch (timestamps only: schedules use the monotonic clock)
 * @param value       the value in the channel's unit; always finite
 */
public record Sample(String channel, long seq, long epochMicros, double value) implements HubMessage {}

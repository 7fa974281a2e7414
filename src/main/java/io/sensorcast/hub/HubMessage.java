package io.sensorcast.hub;

import io.sensorcast.loop.Message;

/** What sensor threads post to the hub through the loop: every kind there is, in one place. */
public sealed interface HubMessage extends Message permits Sample, StatusChange {
}

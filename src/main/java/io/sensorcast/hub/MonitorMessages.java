package io.sensorcast.hub;

import java.util.Collection;

/**
 * The monitor stream's JSON messages (the README's "Monitor protocol" section is their reference):
 * hello on connect, then sample, status and dropped as they happen; error answers a bad command.
 * Samples, the stream's bulk, are written by {@link StreamFrames}.
 */
public final class MonitorMessages {

    private MonitorMessages() {}

    public static byte[] status(StatusChange c) {
        return new JsonWriter().beginObject()
                .name("type").value("status")
                .name("channel").value(c.channel())
                .name("state").value(c.state().wireName())
                .name("message").value(c.message())
                .endObject().toUtf8();
    }

    public static byte[] hello(String device, String version, Collection<Hub.Channel> channels) {
        return hello(device, version, null, channels);
    }

    /** The hello; {@code board} (the device tree's model) only when known. */
    public static byte[] hello(String device, String version, String board, Collection<Hub.Channel> channels) {
        JsonWriter w = new JsonWriter().beginObject()
                .name("type").value("hello")
                .name("server").value("sensorcast")
                .name("version").value(version)
                .name("device").value(device);
        if (board != null) {
            w.name("board").value(board);
        }
        w.name("channels");
        channels(w, channels);
        return w.endObject().toUtf8();
    }

    /** After a reload: {@code {"type":"channels","channels":[...]}}, the list as in hello. */
    public static byte[] channelList(Collection<Hub.Channel> channels) {
        JsonWriter w = new JsonWriter().beginObject().name("type").value("channels").name("channels");
        channels(w, channels);
        return w.endObject().toUtf8();
    }

    public static byte[] dropped(long dropped, long total) {
        return new JsonWriter().beginObject()
                .name("type").value("dropped")
                .name("count").value(dropped)
                .name("total").value(total)
                .endObject().toUtf8();
    }

    public static byte[] subscribed(java.util.Collection<String> channels) {
        return subscribed(channels, false);
    }

    /** {@code "batch":true} only when the monitor asked for its samples in batches. */
    public static byte[] subscribed(java.util.Collection<String> channels, boolean batch) {
        JsonWriter w = new JsonWriter().beginObject().name("type").value("subscribed").name("channels").beginArray();
        channels.forEach(w::value);
        w.endArray();
        if (batch) {
            w.name("batch").value(true);
        }
        return w.endObject().toUtf8();
    }

    public static byte[] error(String message) {
        return new JsonWriter().beginObject()
                .name("type").value("error")
                .name("message").value(message)
                .endObject().toUtf8();
    }

    /** The channel list shared by hello and /api/channels. */
    public static void channels(JsonWriter w, Collection<Hub.Channel> channels) {
        w.beginArray();
        for (Hub.Channel c : channels) {
            w.beginObject()
                    .name("id").value(c.info().id())
                    .name("name").value(c.info().name())
                    .name("unit").value(c.info().unit())
                    .name("state").value(c.state().wireName());
            if (!c.message().isEmpty()) {
                w.name("message").value(c.message());
            }
            w.name("latest");
            Sample s = c.latest();
            if (s == null) {
                w.nullValue();
            } else {
                w.beginObject().name("seq").value(s.seq()).name("t").millisFromMicros(s.epochMicros())
                        .name("v").value(s.value()).endObject();
            }
            w.endObject();
        }
        w.endArray();
    }
}

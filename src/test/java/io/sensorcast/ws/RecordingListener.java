package io.sensorcast.ws;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Records parser events as readable strings ("text:Hello", "ping:48656c6c6f", "close:1000:bye"). */
final class RecordingListener implements FrameListener {
    final List<String> events = new ArrayList<>();
    final List<byte[]> payloads = new ArrayList<>();

    @Override
    public void onMessage(boolean text, byte[] payload) {
        payloads.add(payload);
        events.add(text ? "text:" + new String(payload, StandardCharsets.UTF_8) : "binary:" + hex(payload));
    }

    @Override
    public void onPing(byte[] payload) {
        payloads.add(payload);
        events.add("ping:" + hex(payload));
    }

    @Override
    public void onPong(byte[] payload) {
        payloads.add(payload);
        events.add("pong:" + hex(payload));
    }

    @Override
    public void onClose(int code, String reason) {
        events.add("close:" + code + ":" + reason);
    }

    private static String hex(byte[] b) {
        return b.length <= 32 ? HexFormat.of().formatHex(b) : b.length + " bytes";
    }
}

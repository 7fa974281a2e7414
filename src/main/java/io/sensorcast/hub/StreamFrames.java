package io.sensorcast.hub;

import io.sensorcast.loop.OutboundFrame;
import io.sensorcast.ws.FrameEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The monitor stream on the wire: the one hub class that knows WebSocket frames. Each message
 * becomes one frame, made once and shared read-only by every subscriber that gets it.
 *
 * <p>The sample message,
 * {@code {"type":"sample","channel":"cpu.temperature","seq":42,"t":1732500000123.456,"v":48.3}},
 * the fan-out's hot path, is encoded straight into its text frame: into one scratch array, then
 * copied once into the exact-size frame, and the constant start of each channel's messages is
 * made once per channel ({@link #prefix}), so a sample costs its digits and one copy (a String
 * first, copied char by char, was a third of the loop's time at 350,000 samples/s under C1).
 *
 * <p>Values are written as {@link JsonWriter} writes them, so a sample reads the same in the stream
 * and in hello. One instance per loop: the scratch array is not shared.
 */
public final class StreamFrames {

    /** The header goes before the payload: room for the longest one RFC 6455 has (5.2). */
    private static final int HEADER_ROOM = 10;
    private static final byte[] T = ascii(",\"t\":");
    private static final byte[] SAMPLES_START = ascii("{\"type\":\"samples\",\"samples\":[");
    private static final byte[] SAMPLES_END = ascii("]}");
    private static final byte[] V = ascii(",\"v\":");

    private byte[] scratch = new byte[256];
    private int at;

    /**
     * {@code {"type":"sample","channel":"<id>","seq":}} for a channel: the same for all its
     * samples. Ids are ASCII without quotes or backslashes ({@link ChannelInfo}), so nothing needs
     * escaping.
     */
    public static byte[] prefix(String channelId) {
        return ascii("{\"type\":\"sample\",\"channel\":\"" + channelId + "\",\"seq\":");
    }

    /** A reply to a monitor's command, as its text frame. */
    public static OutboundFrame reply(byte[] json) {
        return OutboundFrame.answer(FrameEncoder.text(json));
    }

    /**
     * A message that says a state (a channel's status, the channel list): a newer one with an equal
     * {@code key} replaces it while it waits unsent in a slow monitor's queue.
     */
    public static OutboundFrame state(Object key, byte[] json) {
        return OutboundFrame.state(key, FrameEncoder.text(json));
    }

    /** Any other message the server sends on its own (the hello, alerts): capped per monitor. */
    public static OutboundFrame pushed(byte[] json) {
        return OutboundFrame.pushed(FrameEncoder.text(json));
    }

    /**
     * Sample frames as one, for a monitor that asked for a moment's samples in one message
     * ({@code "batch":true} in its subscribe): {@code {"type":"samples","samples":[<each
     * sample message as it was>,...]}}. The frames are text frames of this class, whole messages
     * with an unmasked header (RFC 6455 5.2): their payloads are copied, the frames stay as they are.
     */
    public static OutboundFrame merge(OutboundFrame[] frames, int count) {
        int payload = SAMPLES_START.length + SAMPLES_END.length + count - 1;
        int samples = 0;
        for (int i = 0; i < count; i++) {
            payload += frames[i].length() - headerLength(frames[i]);
            samples += frames[i].samples();
        }
        byte[] out = new byte[FrameEncoder.headerLength(payload) + payload];
        int at = FrameEncoder.writeHeader(out, 0, FrameEncoder.OP_TEXT, payload);
        System.arraycopy(SAMPLES_START, 0, out, at, SAMPLES_START.length);
        at += SAMPLES_START.length;
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                out[at++] = ',';
            }
            int header = headerLength(frames[i]);
            int n = frames[i].length() - header;
            frames[i].copyTo(header, out, at, n);
            at += n;
        }
        System.arraycopy(SAMPLES_END, 0, out, at, SAMPLES_END.length);
        return OutboundFrame.samples(out, samples);
    }

    /** The header's length of a whole, unmasked frame from its second byte (RFC 6455 5.2). */
    private static int headerLength(OutboundFrame f) {
        int len7 = f.byteAt(1) & 0x7f;
        return len7 < 126 ? 2 : len7 == 126 ? 4 : 10;
    }

    /** The sample's whole text frame, header included, in a new exact-size array. */
    public byte[] frame(byte[] prefix, Sample s) {
        at = HEADER_ROOM;
        put(prefix);
        putLong(s.seq());
        put(T);
        putMillis(s.epochMicros());
        put(V);
        putDouble(s.value());
        putByte('}');
        int length = at - HEADER_ROOM;
        int start = HEADER_ROOM - FrameEncoder.headerLength(length);
        FrameEncoder.writeHeader(scratch, start, FrameEncoder.OP_TEXT, length);
        return Arrays.copyOfRange(scratch, start, at);
    }

    private void put(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, scratch, at, bytes.length);
        at += bytes.length;
    }

    private void putByte(char c) {
        ensure(1);
        scratch[at++] = (byte) c;
    }

    /** Decimal digits of {@code v}, with a '-' if it is negative. */
    private void putLong(long v) {
        ensure(20);
        if (v < 0) {
            scratch[at++] = '-';
        } else {
            v = -v; // digits are taken from the negative value: Long.MIN_VALUE has no positive twin
        }
        int digits = 1;
        for (long rest = v / 10; rest != 0; rest /= 10) {
            digits++;
        }
        int end = at + digits;
        for (int i = end - 1; i >= at; i--) {
            scratch[i] = (byte) ('0' - v % 10);
            v /= 10;
        }
        at = end;
    }

    /** Microseconds as milliseconds with three decimals, as {@link JsonWriter#appendMillis}. */
    private void putMillis(long epochMicros) {
        long millis = epochMicros / 1000;
        int frac = (int) Math.abs(epochMicros % 1000);
        if (epochMicros < 0 && millis == 0) {
            putByte('-'); // -1 µs is "-0.001"
        }
        putLong(millis);
        ensure(4);
        scratch[at++] = '.';
        scratch[at++] = (byte) ('0' + frac / 100);
        scratch[at++] = (byte) ('0' + frac / 10 % 10);
        scratch[at++] = (byte) ('0' + frac % 10);
    }

    /** A finite value (the hub refuses others), in the form {@link JsonWriter#decimals} chooses. */
    private void putDouble(double v) {
        int decimals = JsonWriter.decimals(v);
        if (decimals < 0) {
            putAscii(Double.toString(v));
            return;
        }
        long m = JsonWriter.scaled(v, decimals);
        if (decimals == 0) {
            putLong(m);
            return;
        }
        if (m < 0) {
            putByte('-');
            m = -m;
        }
        long unit = JsonWriter.LONG_POWERS[decimals];
        putLong(m / unit);
        long frac = m % unit;
        ensure(decimals + 1);
        scratch[at++] = '.';
        for (int i = at + decimals - 1; i >= at; i--) {
            scratch[i] = (byte) ('0' + frac % 10);
            frac /= 10;
        }
        at += decimals;
    }

    /** Digits, '.', '-' and 'E': the low byte of each char is the char. */
    @SuppressWarnings("deprecation") // the one String method that copies Latin-1 bytes into an array
    private void putAscii(String s) {
        int n = s.length();
        ensure(n);
        s.getBytes(0, n, scratch, at);
        at += n;
    }

    private void ensure(int more) {
        if (at + more > scratch.length) {
            scratch = Arrays.copyOf(scratch, Math.max(scratch.length * 2, at + more));
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}

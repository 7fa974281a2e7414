package io.sensorcast.ws;

import static io.sensorcast.ws.FrameEncoder.MAX_CONTROL_PAYLOAD;
import static io.sensorcast.ws.FrameEncoder.OP_BINARY;
import static io.sensorcast.ws.FrameEncoder.OP_CLOSE;
import static io.sensorcast.ws.FrameEncoder.OP_CONTINUATION;
import static io.sensorcast.ws.FrameEncoder.OP_PING;
import static io.sensorcast.ws.FrameEncoder.OP_PONG;
import static io.sensorcast.ws.FrameEncoder.OP_TEXT;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Incremental parser for the frames a client sends to this server (RFC 6455 section 5).
 *
 * <p>Input may be split anywhere. A partial header waits in a 14-byte scratch array; payload bytes are unmasked
 * straight into the array the listener will receive, so each payload byte is copied once (plus one trim copy at the
 * end of some fragmented messages). Between messages the parser holds nothing larger than that scratch array, which
 * keeps idle connections cheap. Not thread-safe: one instance per connection, driven by its event-loop thread.
 */
public final class FrameParser {
    private static final int MAX_HEADER = 2 + 8 + 4;  // 5.2: base header, 64-bit length, masking key
    private static final byte[] EMPTY = new byte[0];
    /**
     * Payload bytes allocated when a frame's header arrives; more as its bytes do. Allocating what
     * the header claims let 8 bytes from a peer pin 64 KiB (ws.max_message_bytes), and 1024 such
     * peers the whole 64 MiB heap. Now a peer holds about what it has sent, at most twice that.
     */
    private static final int FIRST_ALLOCATION = 4 * 1024;

    private static final ProtocolError RESERVED_BITS = protocolError("RSV bits set but no extension negotiated");
    private static final ProtocolError UNMASKED = protocolError("client frame is not masked");
    private static final ProtocolError RESERVED_OPCODE = protocolError("reserved opcode");
    private static final ProtocolError FRAGMENTED_CONTROL = protocolError("fragmented control frame");
    private static final ProtocolError CONTROL_TOO_LONG = protocolError("control frame payload over 125 bytes");
    private static final ProtocolError STRAY_CONTINUATION = protocolError("continuation frame without a message");
    private static final ProtocolError INTERLEAVED_MESSAGE = protocolError("data frame inside a fragmented message");
    private static final ProtocolError LENGTH_MSB_SET = protocolError("64-bit payload length has its top bit set");
    private static final ProtocolError CLOSE_BODY_ONE_BYTE = protocolError("close frame body of 1 byte");
    private static final ProtocolError BAD_TEXT =
            new ProtocolError(CloseCodes.INVALID_PAYLOAD, "invalid UTF-8 in text message");
    private static final ProtocolError BAD_CLOSE_REASON =
            new ProtocolError(CloseCodes.INVALID_PAYLOAD, "invalid UTF-8 in close reason");

    private final int maxMessageBytes;
    private final Utf8Validator utf8 = new Utf8Validator();

    // Header of the current frame, accumulated until headerNeeded bytes are in.
    private final byte[] header = new byte[MAX_HEADER];
    private int headerCount;
    private int headerNeeded = 2;
    private boolean fin;
    private int opcode;
    private final byte[] maskKey = new byte[4];

    // Payload of the current frame: unmasked into target[targetPos..], payloadRemaining bytes still to come.
    private boolean inPayload;
    private boolean textPayload;
    private byte[] target;
    private int targetPos;
    private int payloadRemaining;
    private int maskPhase;

    // Fragmented data message in progress (5.4); messageOpcode is OP_CONTINUATION (0) when there is none.
    private int messageOpcode = OP_CONTINUATION;
    private byte[] message = EMPTY;
    private int messageLength;

    private boolean finished;
    private ProtocolError error;

    /** maxMessageBytes: largest data message (sum of its fragments' payloads) accepted; above it → 1009. */
    public FrameParser(int maxMessageBytes) {
        if (maxMessageBytes < 0) {
            throw new IllegalArgumentException("maxMessageBytes must be >= 0: " + maxMessageBytes);
        }
        this.maxMessageBytes = maxMessageBytes;
    }

    /**
     * Consumes ALL remaining bytes of {@code in} (any split of the stream works), unmasking into the parser's own
     * buffers and calling the listener for each complete frame/message. Returns null while the stream is valid, or
     * the ProtocolError at the first violation. After an error, or after a close frame was delivered, further input
     * is consumed and ignored (7.1.7, 5.5.1) and the same error, or null, is returned. Never writes into {@code in}.
     */
    public ProtocolError parse(ByteBuffer in, FrameListener listener) {
        Objects.requireNonNull(listener, "listener");
        while (!finished && in.hasRemaining()) {
            ProtocolError e = inPayload ? readPayload(in, listener) : readHeader(in, listener);
            if (e != null) {
                error = e;
                finish();
            }
        }
        if (finished) {
            in.position(in.limit());
        }
        return error;
    }

    /** True once a close frame has been delivered or an error returned. */
    public boolean isFinished() {
        return finished;
    }

    private ProtocolError readHeader(ByteBuffer in, FrameListener listener) {
        int n = Math.min(headerNeeded - headerCount, in.remaining());
        in.get(header, headerCount, n);
        headerCount += n;
        if (headerCount < headerNeeded) {
            return null;
        }
        if (headerNeeded == 2) {
            // The first two bytes decide the header's full size; check them now so garbage fails before more arrives.
            ProtocolError e = checkBaseHeader();
            if (e == null) {
                int length7 = header[1] & 0x7F;
                headerNeeded = 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0) + 4;
            }
            return e;
        }
        return startPayload(listener);
    }

    /** Checks byte 0 (FIN, RSV1-3, opcode) and byte 1 (MASK, 7-bit length) of a frame, RFC 6455 5.2. */
    private ProtocolError checkBaseHeader() {
        int b0 = header[0] & 0xFF;
        int b1 = header[1] & 0xFF;
        fin = (b0 & 0x80) != 0;
        opcode = b0 & 0x0F;
        if ((b0 & 0x70) != 0) {
            return RESERVED_BITS;  // 5.2: nonzero RSV without an extension defining it
        }
        if ((b1 & 0x80) == 0) {
            return UNMASKED;  // 5.1: a server MUST close on an unmasked client frame
        }
        if (isControl(opcode)) {
            if (opcode > OP_PONG) {
                return RESERVED_OPCODE;  // 0xB-0xF
            }
            if (!fin) {
                return FRAGMENTED_CONTROL;  // 5.5: control frames MUST NOT be fragmented
            }
            if ((b1 & 0x7F) > MAX_CONTROL_PAYLOAD) {
                return CONTROL_TOO_LONG;  // 5.5
            }
        } else if (opcode > OP_BINARY) {
            return RESERVED_OPCODE;  // 0x3-0x7
        } else if (opcode == OP_CONTINUATION && messageOpcode == OP_CONTINUATION) {
            return STRAY_CONTINUATION;  // 5.4
        } else if (opcode != OP_CONTINUATION && messageOpcode != OP_CONTINUATION) {
            return INTERLEAVED_MESSAGE;  // 5.4: fragments of one message are not interleaved with another
        }
        return null;
    }

    /** The header is complete: decode length and mask (5.2), enforce the size limit, pick where the payload goes. */
    private ProtocolError startPayload(FrameListener listener) {
        long length = header[1] & 0x7F;
        int pos = 2;
        if (length == 126) {
            length = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
            pos = 4;
        } else if (length == 127) {
            length = 0;
            for (; pos < 10; pos++) {
                length = (length << 8) | (header[pos] & 0xFF);
            }
            if (length < 0) {
                return LENGTH_MSB_SET;  // 5.2: "the most significant bit MUST be 0"
            }
        }
        // Non-minimal length encodings are a sender error under 5.2 but harmless, so they are accepted.
        System.arraycopy(header, pos, maskKey, 0, 4);
        headerCount = 0;
        headerNeeded = 2;

        boolean control = isControl(opcode);
        if (!control && length > maxMessageBytes - messageLength) {
            // Decided from the header alone, so an oversized message never gets buffered.
            return new ProtocolError(CloseCodes.MESSAGE_TOO_BIG, "message exceeds " + maxMessageBytes + " bytes");
        }
        int n = (int) length;
        if (control || (fin && opcode != OP_CONTINUATION)) {
            // Control frame or unfragmented message: handed over as is, grown to its exact size by readPayload.
            target = new byte[Math.min(n, FIRST_ALLOCATION)];
            targetPos = 0;
        } else {
            if (opcode != OP_CONTINUATION) {
                messageOpcode = opcode;  // first fragment (5.4)
            }
            // The final fragment ends the message: growing never passes its end, so the array
            // handed over is the message's exact size with no trimming copy.
            growMessage(messageLength + Math.min(n, FIRST_ALLOCATION), fin ? messageLength + n : maxMessageBytes);
            target = message;
            targetPos = messageLength;
        }
        textPayload = opcode == OP_TEXT || (opcode == OP_CONTINUATION && messageOpcode == OP_TEXT);
        payloadRemaining = n;
        maskPhase = 0;
        inPayload = true;
        return n == 0 ? endFrame(listener) : null;
    }

    private ProtocolError readPayload(ByteBuffer in, FrameListener listener) {
        int n = Math.min(payloadRemaining, in.remaining());
        ensureRoom(targetPos + n, targetPos + payloadRemaining);
        in.get(target, targetPos, n);
        // 5.3: octet i of the payload is XORed with octet i mod 4 of the masking key.
        for (int i = targetPos, end = targetPos + n, k = maskPhase; i < end; i++, k++) {
            target[i] ^= maskKey[k & 3];
        }
        maskPhase = (maskPhase + n) & 3;
        // 8.1: validate as bytes arrive so a bad byte fails this call, even if the rest of the frame never comes.
        if (textPayload && !utf8.feed(target, targetPos, n)) {
            return BAD_TEXT;
        }
        targetPos += n;
        payloadRemaining -= n;
        return payloadRemaining == 0 ? endFrame(listener) : null;
    }

    /** The current frame's payload is complete. State is reset before calling out, in case the listener throws. */
    private ProtocolError endFrame(FrameListener listener) {
        inPayload = false;
        byte[] payload = target;
        target = null;
        if (isControl(opcode)) {
            return deliverControl(payload, listener);
        }
        if (!fin) {
            messageLength = targetPos;
            return null;
        }
        if (textPayload && !utf8.isComplete()) {
            // Ends inside a multi-byte sequence. A message that passes leaves utf8 at a boundary, ready for the next.
            return BAD_TEXT;
        }
        boolean text = textPayload;
        if (messageOpcode != OP_CONTINUATION) {
            payload = targetPos == message.length ? message : Arrays.copyOf(message, targetPos);
            messageOpcode = OP_CONTINUATION;
            message = EMPTY;
            messageLength = 0;
        }
        listener.onMessage(text, payload);
        return null;
    }

    private ProtocolError deliverControl(byte[] payload, FrameListener listener) {
        switch (opcode) {
            case OP_PING -> listener.onPing(payload);
            case OP_PONG -> listener.onPong(payload);
            default -> {
                return deliverClose(payload, listener);
            }
        }
        return null;
    }

    /** RFC 6455 5.5.1: an optional body of a 2-byte status code followed by a UTF-8 reason. */
    private ProtocolError deliverClose(byte[] body, FrameListener listener) {
        int code = CloseCodes.NO_STATUS;
        String reason = "";
        if (body.length == 1) {
            return CLOSE_BODY_ONE_BYTE;
        }
        if (body.length >= 2) {
            code = ((body[0] & 0xFF) << 8) | (body[1] & 0xFF);
            if (!CloseCodes.isValidOnWire(code)) {
                return protocolError("close code " + code + " not allowed on the wire");  // 7.4.1, 7.4.2
            }
            Utf8Validator reasonCheck = new Utf8Validator();  // separate: a text message may be mid-validation
            if (!reasonCheck.feed(body, 2, body.length - 2) || !reasonCheck.isComplete()) {
                return BAD_CLOSE_REASON;
            }
            reason = new String(body, 2, body.length - 2, StandardCharsets.UTF_8);
        }
        finish();
        listener.onClose(code, reason);
        return null;
    }

    /** Drops buffers: nothing more will be parsed, and a half-received message must not pin its memory. */
    private void finish() {
        finished = true;
        inPayload = false;
        target = null;
        message = EMPTY;
        messageLength = 0;
    }

    /**
     * Room for {@code needed} bytes in target, doubling but never past {@code frameEnd}, where this
     * frame ends: so an unfragmented message's array, and a final fragment's, end at its exact size.
     */
    private void ensureRoom(int needed, int frameEnd) {
        if (needed <= target.length) {
            return;
        }
        byte[] grown = Arrays.copyOf(target, (int) Math.min(frameEnd, Math.max(needed, 2L * target.length)));
        if (target == message) {
            message = grown;
        }
        target = grown;
    }

    /** Grows the message buffer to hold {@code required} bytes, doubling, but never past {@code limit}. */
    private void growMessage(int required, int limit) {
        if (required <= message.length) {
            return;
        }
        int capacity = (int) Math.min(limit, Math.max(required, 2L * message.length));
        message = Arrays.copyOf(message, capacity);
    }

    /** Bytes of payload buffers this parser holds now (for tests of what a peer can make it allocate). */
    int heldBytes() {
        int t = target == null || target == message ? 0 : target.length;
        return t + message.length;
    }

    private static boolean isControl(int opcode) {
        return (opcode & 0x8) != 0;  // 5.5: control opcodes have the high bit of the opcode set
    }

    private static ProtocolError protocolError(String reason) {
        return new ProtocolError(CloseCodes.PROTOCOL_ERROR, reason);
    }
}

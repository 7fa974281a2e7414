package io.sensorcast.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A deliberately plain blocking WebSocket client for tests: it writes whatever frames a test asks
 * for (also invalid ones) and reads the server's frames one by one. Independent of the server's
 * own codec, so that a bug there cannot hide itself.
 */
public final class WsTestClient implements AutoCloseable {

    /** A frame as the server sent it. */
    public record Frame(boolean fin, int opcode, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** For a close frame: the status code, or 1005 if none. */
        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
        }

        public String closeReason() {
            return payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final String responseHead;

    private WsTestClient(Socket socket, String responseHead) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.responseHead = responseHead;
    }

    /** Connects and does the opening handshake; throws if the answer is not 101. */
    public static WsTestClient connect(int port, String path) throws IOException {
        WsTestClient c = open(port, path, "");
        if (!c.responseHead.startsWith("HTTP/1.1 101")) {
            c.close();
            throw new IOException("handshake refused: " + c.responseHead);
        }
        return c;
    }

    /** Sends a handshake with {@code extraHeaders} ("Name: value\r\n"...) and keeps whatever answer. */
    public static WsTestClient open(int port, String path, String extraHeaders) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(10_000);
        s.setTcpNoDelay(true);
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String req = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n";
        s.getOutputStream().write(req.getBytes(StandardCharsets.ISO_8859_1));
        return new WsTestClient(s, readHead(s.getInputStream()));
    }

    /** The handshake response's status line and header fields. */
    public String responseHead() {
        return responseHead;
    }

    public Socket socket() {
        return socket;
    }

    public void setReadTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    /** A masked frame from the client, FIN set, no reserved bits. */
    public void send(int opcode, byte[] payload) throws IOException {
        sendFrame(true, 0, opcode, payload, true);
    }

    public void sendText(String text) throws IOException {
        send(0x1, text.getBytes(StandardCharsets.UTF_8));
    }

    public void sendClose(int code, String reason) throws IOException {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        byte[] p = new byte[2 + r.length];
        p[0] = (byte) (code >> 8);
        p[1] = (byte) code;
        System.arraycopy(r, 0, p, 2, r.length);
        send(0x8, p);
    }

    /** Any frame, valid or not: {@code rsv} is the three reserved bits (0-7). */
    public void sendFrame(boolean fin, int rsv, int opcode, byte[] payload, boolean masked) throws IOException {
        out.write(encode(fin, rsv, opcode, payload, masked));
        out.flush();
    }

    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    public static byte[] encode(boolean fin, int rsv, int opcode, byte[] payload, boolean masked) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(payload.length + 14);
        b.write((fin ? 0x80 : 0) | (rsv & 7) << 4 | (opcode & 0xF));
        int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126) {
            b.write(maskBit | payload.length);
        } else if (payload.length < 65_536) {
            b.write(maskBit | 126);
            b.write(payload.length >> 8);
            b.write(payload.length);
        } else {
            b.write(maskBit | 127);
            for (int i = 7; i >= 0; i--) {
                b.write((int) ((long) payload.length >> (8 * i)));
            }
        }
        byte[] mask = new byte[4];
        if (masked) {
            ThreadLocalRandom.current().nextBytes(mask);
            b.write(mask, 0, 4);
        }
        for (int i = 0; i < payload.length; i++) {
            b.write(payload[i] ^ mask[i & 3]);
        }
        return b.toByteArray();
    }

    /** The next frame from the server; throws EOFException if the server closed the TCP connection. */
    public Frame readFrame() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        if ((b1 & 0x80) != 0) {
            throw new IOException("server frames must not be masked (RFC 6455 5.1)");
        }
        long len = b1 & 0x7F;
        if (len == 126) {
            len = in.readUnsignedShort();
        } else if (len == 127) {
            len = in.readLong();
        }
        if (len > 64L << 20) {
            throw new IOException("frame of " + len + " bytes is beyond what a test expects");
        }
        byte[] payload = new byte[(int) len];
        in.readFully(payload);
        return new Frame((b0 & 0x80) != 0, b0 & 0x0F, payload);
    }

    /** The next text frame's content, skipping pings. */
    public String readText() throws IOException {
        while (true) {
            Frame f = readFrame();
            if (f.opcode() == 0x9) {
                continue;
            }
            if (f.opcode() != 0x1) {
                throw new IOException("expected a text frame, got opcode " + f.opcode()
                        + (f.opcode() == 0x8 ? " (close " + f.closeCode() + " " + f.closeReason() + ")" : ""));
            }
            return f.text();
        }
    }

    /** Reads until a close frame and returns it (data frames before it are skipped). */
    public Frame readUntilClose() throws IOException {
        for (int i = 0; i < 1_000_000; i++) {
            Frame f = readFrame();
            if (f.opcode() == 0x8) {
                return f;
            }
        }
        throw new IOException("no close frame within a million frames");
    }

    /** True if the server closed the TCP connection (EOF) within the read timeout. */
    public boolean awaitEof() throws IOException {
        try {
            while (in.read() >= 0) {
                // discard anything before the EOF
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (EOFException e) {
            return true;
        } catch (IOException e) {
            return true; // reset: closed as well
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("connection closed during the handshake; got: " + head);
            }
            head.write(c);
            state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
            if (head.size() > 16_384) {
                throw new IOException("handshake response too long");
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }
}

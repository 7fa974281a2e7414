package io.sensorcast.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * HTTP/1.1 over a plain blocking socket to 127.0.0.1: the test writes exactly the bytes it wants
 * (pipelined, half-finished, malformed) and reads responses one by one. Framing is read the way a
 * client must (RFC 9112 6.3): no body for HEAD, 1xx, 204 and 304; else chunked (a streamed answer,
 * the CSV history) or Content-Length, which this server sends otherwise.
 */
public final class RawHttp implements AutoCloseable {

    /** One response as received. Header names keep their spelling; lookups ignore case. */
    public record Response(String statusLine, List<String[]> headers, byte[] body) {

        public int status() {
            return Integer.parseInt(statusLine.split(" ", 3)[1]);
        }

        /** The first value of the named header, or null. */
        public String header(String name) {
            for (String[] h : headers) {
                if (h[0].equalsIgnoreCase(name)) {
                    return h[1];
                }
            }
            return null;
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder(statusLine);
            for (String[] h : headers) {
                b.append(" | ").append(h[0]).append(": ").append(h[1]);
            }
            return b.append(" | body ").append(body.length).append(" B").toString();
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    public static RawHttp connect(int port) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(5000);
            s.setTcpNoDelay(true);
            return new RawHttp(s);
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /** One GET on a fresh connection; the connection is closed afterwards. */
    public static Response get(int port, String target) throws IOException {
        try (RawHttp c = connect(port)) {
            c.send("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n");
            return c.read();
        }
    }

    public Socket socket() {
        return socket;
    }

    public void setReadTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    /** Writes {@code request} (ISO-8859-1, one byte per char) in one write. */
    public void send(String request) throws IOException {
        send(request.getBytes(StandardCharsets.ISO_8859_1));
    }

    public void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next response, with its body. */
    public Response read() throws IOException {
        return read(false);
    }

    /** The next response to a HEAD request: its Content-Length announces a body that is not sent. */
    public Response readHead() throws IOException {
        return read(true);
    }

    private Response read(boolean toHead) throws IOException {
        Response r = readResponseHead();
        int status = r.status();
        if (toHead || status < 200 || status == 204 || status == 304) {
            return r;
        }
        if (r.header("Transfer-Encoding") != null) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            readChunks(body, 64 << 20);
            return new Response(r.statusLine(), r.headers(), body.toByteArray());
        }
        String length = r.header("Content-Length");
        if (length == null) {
            throw new IOException("no Content-Length in: " + r);
        }
        byte[] body = in.readNBytes(Integer.parseInt(length.trim()));
        if (body.length < Integer.parseInt(length.trim())) {
            throw new EOFException("body cut short after " + body.length + " bytes: " + r);
        }
        return new Response(r.statusLine(), r.headers(), body);
    }

    /**
     * A response's status line and header fields only: its body (chunked, say) is read next by
     * {@link #readChunks}, for bodies too big to keep.
     */
    public Response readResponseHead() throws IOException {
        String head = readHeaderSection();
        String[] lines = head.split("\r\n");
        List<String[]> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed header line '" + lines[i] + "' in:\n" + head);
            }
            headers.add(new String[] {lines[i].substring(0, colon), lines[i].substring(colon + 1).trim()});
        }
        return new Response(lines[0], headers, new byte[0]);
    }

    /**
     * A chunked body (RFC 9112 7.1), strictly (hex size, CRLF after the size and the data, no
     * extensions, no trailers), into {@code sink}; at most {@code maxBytes}. Returns the chunk count.
     */
    public long readChunks(OutputStream sink, long maxBytes) throws IOException {
        long total = 0;
        byte[] buf = new byte[64 * 1024];
        for (long chunks = 0; ; chunks++) {
            String size = readLine();
            int n = Integer.parseInt(size, 16);
            if (n == 0) {
                if (!readLine().isEmpty()) {
                    throw new IOException("trailer fields or no CRLF after the last chunk");
                }
                return chunks;
            }
            total += n;
            if (total > maxBytes) {
                throw new IOException("chunked body over " + maxBytes + " bytes");
            }
            for (int left = n; left > 0; ) {
                int got = in.read(buf, 0, Math.min(left, buf.length));
                if (got < 0) {
                    throw new EOFException("chunk cut short");
                }
                sink.write(buf, 0, got);
                left -= got;
            }
            if (!readLine().isEmpty()) {
                throw new IOException("no CRLF after a chunk's data");
            }
        }
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); ; c = in.read()) {
            if (c < 0) {
                throw new EOFException("connection closed in a chunk's framing after '" + line + "'");
            }
            if (c == '\r') {
                if (in.read() != '\n') {
                    throw new IOException("CR without LF in a chunk's framing");
                }
                return line.toString();
            }
            line.append((char) c);
            if (line.length() > 64) {
                throw new IOException("chunk framing line over 64 bytes: " + line);
            }
        }
    }

    /**
     * Reads until EOF and returns what came before it, or throws SocketTimeoutException if the
     * connection is still open when the read timeout passes. A reset counts as closed.
     */
    public byte[] readToEof() throws IOException {
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                rest.write(buf, 0, n);
                if (rest.size() > 1 << 20) {
                    throw new IOException("more than 1 MiB without an EOF");
                }
            }
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException e) {
            if (!isReset(e)) {
                throw e;
            }
        }
        return rest.toByteArray();
    }

    /** True if the server ended the connection (EOF or reset) with nothing more to read in time. */
    public boolean isClosedByServer() throws IOException {
        try {
            return readToEof().length == 0;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private String readHeaderSection() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("connection closed before a complete response head; got: '"
                        + head.toString(StandardCharsets.ISO_8859_1) + "'");
            }
            head.write(c);
            byte[] b = head.toByteArray();
            int n = b.length;
            if (n >= 4 && b[n - 4] == '\r' && b[n - 3] == '\n' && b[n - 2] == '\r' && b[n - 1] == '\n') {
                return new String(b, 0, n - 4, StandardCharsets.ISO_8859_1);
            }
            if (n > 16_384) {
                throw new IOException("response head over 16 KiB");
            }
        }
    }

    private static boolean isReset(IOException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return m.contains("reset") || m.contains("broken pipe");
    }
}

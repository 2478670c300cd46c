package io.herald.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The load generator's HTTP/1.1 client: blocking calls on the caller's (virtual) thread over pooled keep-alive
 * connections, one write per request, the answer parsed from the socket's bytes. Written by hand, as wrk is, because
 * the generator shares two cores with the server and its database and its cost per request is taken from them:
 * {@code java.net.http.HttpClient} spent 0.25-0.35 ms of CPU per single send at 32 callers and about 0.5 ms per
 * request of the open-loop steady scenario (its selector thread and hand-offs between threads), {@code HttpURLConnection}
 * 0.18 ms (header maps, a liveness probe per reused connection), against about 0.4 ms of the server's own per send
 * (docs/benchmarks.md). It speaks only what Herald answers:
 * Content-Length or chunked bodies, keep-alive unless the server says close.
 */
final class LeanHttp implements AutoCloseable {

    record Answer(int status, String body) {
    }

    private final String host;
    private final int port;
    private final int timeoutMillis;
    private final byte[] fixedHeaders;
    private final Deque<Connection> idle = new ConcurrentLinkedDeque<>();

    /** @param headers sent with every request, e.g. "Authorization: Basic ...", without line ends */
    LeanHttp(URI base, int timeoutMillis, String... headers) {
        this.host = base.getHost();
        this.port = base.getPort() > 0 ? base.getPort() : 80;
        this.timeoutMillis = timeoutMillis;
        StringBuilder b = new StringBuilder("Host: ").append(host).append(':').append(port).append("\r\n");
        for (String h : headers) b.append(h).append("\r\n");
        this.fixedHeaders = b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * One exchange. A pooled connection that the server closed while it was idle fails before any byte of an answer:
     * then the request goes once more on a new connection (Herald's sends carry eventIds, so a repeat is a replay).
     */
    Answer exchange(String method, String path, String json) throws IOException {
        byte[] request = request(method, path, json);
        Connection pooled = idle.pollFirst();
        if (pooled != null) {
            try {
                return answer(pooled, request);
            } catch (StaleConnection stale) {
                // closed while idle: once more on a new connection
            }
        }
        try {
            return answer(new Connection(host, port, timeoutMillis), request);
        } catch (StaleConnection e) {
            throw new EOFException("the server closed a new connection without answering");
        }
    }

    /** Sends the request and reads the answer; the connection goes back to the pool, or is closed on any failure. */
    private Answer answer(Connection c, byte[] request) throws IOException {
        try {
            try {
                c.out.write(request);
                c.out.flush();
                if (!c.fill()) throw new StaleConnection();
            } catch (java.net.SocketTimeoutException slow) {
                throw slow; // the server has the request: not a stale connection
            } catch (java.net.SocketException reset) {
                throw new StaleConnection();
            }
            Answer a = c.read();
            if (c.reusable) idle.offerFirst(c);
            else
                c.close();
            return a;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private byte[] request(String method, String path, String json) {
        byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        byte[] line = (method + " " + path + " HTTP/1.1\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = (json == null ? "\r\n" : "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[line.length + fixedHeaders.length + tail.length + body.length];
        int p = 0;
        System.arraycopy(line, 0, all, p, line.length);
        System.arraycopy(fixedHeaders, 0, all, p += line.length, fixedHeaders.length);
        System.arraycopy(tail, 0, all, p += fixedHeaders.length, tail.length);
        System.arraycopy(body, 0, all, p + tail.length, body.length);
        return all;
    }

    @Override
    public void close() {
        for (Connection c; (c = idle.pollFirst()) != null;) c.close();
    }

    /** The connection ended before the first byte of an answer. */
    private static final class StaleConnection extends IOException {
        StaleConnection() {
            super("connection closed by the server before an answer");
        }
    }

    /** One socket and its read buffer. */
    private static final class Connection {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private final byte[] buf = new byte[16 * 1024];
        private int pos, limit;
        private boolean reusable;

        Connection(String host, int port, int timeoutMillis) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 5_000);
            socket.setSoTimeout(timeoutMillis);
            out = socket.getOutputStream();
            in = socket.getInputStream();
        }

        /** The answer, once {@link #fill} has read its first bytes. */
        Answer read() throws IOException {
            String status = line();
            if (!status.startsWith("HTTP/1.")) throw new IOException("not an HTTP answer: " + status);
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            reusable = status.startsWith("HTTP/1.1");
            for (String h = line(); !h.isEmpty(); h = line()) {
                int colon = h.indexOf(':');
                if (colon < 0) continue;
                String name = h.substring(0, colon).trim(), value = h.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Content-Length")) length = Long.parseLong(value);
                else if (name.equalsIgnoreCase("Transfer-Encoding")) chunked = value.equalsIgnoreCase("chunked");
                else if (name.equalsIgnoreCase("Connection") && value.equalsIgnoreCase("close")) reusable = false;
            }
            byte[] body;
            if (chunked) body = chunks();
            else if (length >= 0) body = bytes((int) length);
            else {
                body = rest(); // no length: the body runs to the end of the connection
                reusable = false;
            }
            return new Answer(code, new String(body, StandardCharsets.UTF_8));
        }

        private byte[] chunks() throws IOException {
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
            for (;;) {
                String size = line();
                int semi = size.indexOf(';');
                int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                if (n == 0) break;
                body.write(bytes(n));
                if (!line().isEmpty()) throw new IOException("chunk not followed by CRLF");
            }
            while (!line().isEmpty()) {
                // trailers: none expected, skipped
            }
            return body.toByteArray();
        }

        private byte[] bytes(int n) throws IOException {
            byte[] b = new byte[n];
            for (int got = 0; got < n;) {
                if (pos == limit && !fill()) throw new EOFException("body ended after " + got + " of " + n + " bytes");
                int k = Math.min(n - got, limit - pos);
                System.arraycopy(buf, pos, b, got, k);
                pos += k;
                got += k;
            }
            return b;
        }

        private byte[] rest() throws IOException {
            java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
            while (pos < limit || fill()) {
                b.write(buf, pos, limit - pos);
                pos = limit;
            }
            return b.toByteArray();
        }

        /** A header line without its CRLF (ASCII). */
        private String line() throws IOException {
            StringBuilder s = null;
            for (;;) {
                if (pos == limit && !fill()) throw new EOFException("answer ended inside its head");
                int start = pos;
                while (pos < limit && buf[pos] != '\n') pos++;
                boolean done = pos < limit;
                int end = done && pos > start && buf[pos - 1] == '\r' ? pos - 1 : pos;
                String part = new String(buf, start, end - start, StandardCharsets.ISO_8859_1);
                if (done) pos++;
                if (done && s == null) return part;
                if (s == null) s = new StringBuilder();
                s.append(part);
                if (done) {
                    int n = s.length();
                    return n > 0 && s.charAt(n - 1) == '\r' ? s.substring(0, n - 1) : s.toString();
                }
            }
        }

        /** Reads more into the buffer (what is left of it moved to its start first); false at the end of the stream. */
        private boolean fill() throws IOException {
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, limit - pos);
                limit -= pos;
                pos = 0;
            }
            if (limit == buf.length) throw new IOException("an answer's head line over " + buf.length + " bytes");
            int n = in.read(buf, limit, buf.length - limit);
            if (n < 0) return false;
            limit += n;
            return true;
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing is best effort
            }
        }
    }
}

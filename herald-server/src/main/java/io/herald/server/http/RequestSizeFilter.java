package io.herald.server.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * 413 for bodies over the limit, however they arrive: a declared Content-Length is refused before anything is
 * read; a chunked (or understated) body is counted as it is read and refused at the first byte past the limit.
 */
public final class RequestSizeFilter extends OncePerRequestFilter {

    /** Thrown by the counting stream; {@link io.herald.server.api.ApiErrors} and this filter turn it into a 413. */
    public static final class TooLargeException extends IOException {
        public TooLargeException(long limit) {
            super("The body is larger than the limit of " + limit + " bytes.");
        }
    }

    private final long maxBytes;

    public RequestSizeFilter(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws ServletException, IOException {
        long length = req.getContentLengthLong();
        if (length > maxBytes) {
            Problems.write(res, 413, "Request too large", "The body has " + length + " bytes; the limit is " + maxBytes + ".");
            return;
        }
        try {
            chain.doFilter(new Bounded(req, maxBytes), res);
        } catch (ServletException | IOException | RuntimeException e) {
            if (!tooLarge(e) || res.isCommitted()) throw e;
            res.resetBuffer();
            Problems.write(res, 413, "Request too large", "The body is larger than the limit of " + maxBytes + " bytes.");
        }
    }

    public static boolean tooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TooLargeException) return true;
        }
        return false;
    }

    /** The request with its body stream counted. */
    private static final class Bounded extends HttpServletRequestWrapper {
        private final long max;
        private ServletInputStream stream;

        Bounded(HttpServletRequest req, long max) {
            super(req);
            this.max = max;
        }

        @Override
        public synchronized ServletInputStream getInputStream() throws IOException {
            if (stream == null) stream = new Counting(super.getInputStream(), max);
            return stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String enc = getCharacterEncoding();
            Charset cs = enc == null ? StandardCharsets.UTF_8 : Charset.forName(enc);
            return new BufferedReader(new InputStreamReader(getInputStream(), cs));
        }
    }

    private static final class Counting extends ServletInputStream {
        private final ServletInputStream in;
        private final long max;
        private long count;

        Counting(ServletInputStream in, long max) {
            this.in = in;
            this.max = max;
        }

        private int counted(int n) throws TooLargeException {
            if (n > 0) {
                count += n;
                if (count > max) throw new TooLargeException(max);
            }
            return n;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) counted(1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return counted(in.read(b, off, len));
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}

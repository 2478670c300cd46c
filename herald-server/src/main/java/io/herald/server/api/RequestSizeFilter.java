package io.herald.server.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/** 413 for bodies over the limit, decided from Content-Length before anything is read. */
public final class RequestSizeFilter extends OncePerRequestFilter {

    private final long maxBytes;

    public RequestSizeFilter(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest req, HttpServletResponse res, FilterChain chain) throws ServletException, IOException {
        long length = req.getContentLengthLong();
        if (length > maxBytes) {
            Problems.write(res, 413, "Request too large", "The body has " + length + " bytes; the limit is " + maxBytes + ".");
            return;
        }
        chain.doFilter(req, res);
    }
}

package io.herald.server.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.concurrent.Semaphore;

/**
 * Load shedding for the API: at most {@code limit} requests in progress at once; past it, 503 with Retry-After at once,
 * before anything is read or done. A request in progress holds about 100 KB of heap (Tomcat's buffers, the request's
 * virtual thread; docs/benchmarks.md), so a flood above what the database can store, left unbounded, ends in
 * OutOfMemoryError for every caller (6,000 sends/s from 4,096 connections did, on the default 256 MB heap); bounded,
 * the server stores what it can and tells the rest to come back.
 */
public final class RequestsInProgressFilter extends OncePerRequestFilter {

    private final int limit;
    private final Semaphore permits;
    private final Counter shed;

    public RequestsInProgressFilter(int limit, MeterRegistry registry) {
        if (limit < 1) throw new IllegalArgumentException("herald.api.max-requests-in-progress must be 1 or more");
        this.limit = limit;
        this.permits = new Semaphore(limit);
        this.shed = Counter.builder("herald.api.shed").tag("reason", "requests-in-progress")
                .description("API requests refused with 503 because the server was at capacity").register(registry);
        Gauge.builder("herald.api.requests.in-progress", this, RequestsInProgressFilter::inProgress)
                .description("API requests in progress (at most herald.api.max-requests-in-progress)").register(registry);
    }

    public int limit() {
        return limit;
    }

    public int inProgress() {
        return limit - permits.availablePermits();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws ServletException, IOException {
        if (!permits.tryAcquire()) {
            shed.increment();
            res.setHeader("Retry-After", "1");
            Problems.write(res, 503, "Service unavailable", "Herald is at capacity: " + limit
                    + " API requests are in progress. Nothing was done; retry after 1 s.");
            return;
        }
        try {
            chain.doFilter(req, res);
        } finally {
            permits.release();
        }
    }
}

package io.herald.server.security;

import io.herald.core.ratelimit.Limit;
import io.herald.core.ratelimit.RateLimiter;
import io.herald.server.http.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * Per client app request quota on the API: a token bucket per app (burst, then a steady rate). Past it the
 * app gets 429 with Retry-After, so one misbehaving service cannot starve the others. Counted per process,
 * in memory: the quota is a guard rail for the API tier, not a billing meter, and must cost no database trip.
 */
public final class AppQuotaFilter extends OncePerRequestFilter {

    private final RateLimiter limiter;
    private final Limit limit;

    public AppQuotaFilter(RateLimiter limiter, Limit limit) {
        this.limiter = limiter;
        this.limit = limit;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws ServletException, IOException {
        Object app = req.getAttribute(AuthFilter.APP);
        if (app instanceof AppPrincipal p) {
            var decision = limiter.tryConsume("api:" + p.id(), limit);
            if (!decision.granted()) {
                long seconds = Math.max(1, (decision.delay().toMillis() + 999) / 1000);
                res.setHeader("Retry-After", String.valueOf(seconds));
                Problems.write(res, 429, "Too many requests",
                        "App " + p.appKey() + " is over its API quota of " + limit.capacity() + " requests per "
                                + limit.refillPeriod() + "; retry after " + seconds + " s.");
                return;
            }
        }
        chain.doFilter(req, res);
    }
}

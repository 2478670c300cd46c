package io.herald.server.inbox;

import io.herald.core.inbox.InboxTokens;
import io.herald.server.http.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * End-user authentication of the inbox endpoints: only an inbox token, as {@code Authorization: Bearer}, or as
 * {@code ?token=} on the stream alone (EventSource cannot send headers; elsewhere a token in a URL would end up in
 * logs for nothing). App credentials are not accepted here: an app acts for its users through the send API.
 */
public final class InboxAuthFilter extends OncePerRequestFilter {

    public static final String USER = "herald.inbox.user";
    public static final String PREFIX = "/v1/inbox";
    static final String STREAM = PREFIX + "/stream";

    private final InboxTokens tokens;

    public InboxAuthFilter(InboxTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest req) {
        String path = req.getRequestURI().substring(req.getContextPath().length());
        return !(path.equals(PREFIX) || path.startsWith(PREFIX + "/")) || "OPTIONS".equals(req.getMethod());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws ServletException, IOException {
        String path = req.getRequestURI().substring(req.getContextPath().length());
        String token = bearer(req.getHeader("Authorization"));
        if (token == null && path.equals(STREAM)) token = req.getParameter("token");
        if (token == null) {
            res.setHeader("WWW-Authenticate", "Bearer realm=\"herald-inbox\"");
            Problems.write(res, 401, "Missing inbox token", "Send Authorization: Bearer <token>, a token the app's backend got from "
                    + "POST /v1/users/{userId}/inbox-token" + (path.equals(STREAM) ? " (or ?token= on this stream)." : "."));
            return;
        }
        InboxTokens.Verdict verdict;
        try {
            verdict = tokens.verify(token);
        } catch (DataAccessResourceFailureException | TransientDataAccessException e) {
            res.setHeader("Retry-After", "5");
            Problems.write(res, 503, "Service unavailable", "The database is unavailable. Retry later.");
            return;
        }
        switch (verdict) {
            case InboxTokens.Verdict.Invalid inv -> {
                res.setHeader("WWW-Authenticate", "Bearer realm=\"herald-inbox\", error=\"invalid_token\"");
                Problems.write(res, 401, "Invalid inbox token", inv.why());
            }
            case InboxTokens.Verdict.Valid v -> {
                req.setAttribute(USER, v.user());
                chain.doFilter(req, res);
            }
        }
    }

    private static String bearer(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) return null;
        String t = header.substring(7).trim();
        return t.isEmpty() ? null : t;
    }
}

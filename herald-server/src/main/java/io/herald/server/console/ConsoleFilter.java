package io.herald.server.console;

import io.herald.core.admin.AccountAdmin;
import io.herald.core.admin.ConsoleSessions;
import io.herald.server.security.AuthFilter;
import io.herald.server.security.OperatorPrincipal;
import io.herald.server.security.Role;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UriUtils;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Optional;

/**
 * Session and CSRF guard of every /console request. A small mechanism of our own rather than Spring Security:
 * the API already authenticates with a hand-written filter, and Spring Security's auto-configured chain would
 * have to be taught to leave every API path exactly as it is. Here:
 * <ul>
 * <li>the session cookie (HttpOnly, SameSite=Lax, Secure over HTTPS) names a row in console_sessions; the
 *     account is read again on every request, so a disabled account or a changed role takes effect at once;</li>
 * <li>every request other than GET/HEAD must carry the session's CSRF token (form field {@code _csrf} or header
 *     {@code X-CSRF-Token}); the login form, before any session, uses a double-submit cookie;</li>
 * <li>the operator is put where the API's role checks look ({@link AuthFilter#OPERATOR}), so console and API
 *     apply the same role rules through the same code.</li>
 * </ul>
 */
final class ConsoleFilter extends OncePerRequestFilter {

    static final String COOKIE = "HERALD_CONSOLE";
    static final String LOGIN_COOKIE = "HERALD_CONSOLE_LOGIN";
    static final String SESSION = "herald.console.session";

    private final ConsoleSessions sessions;
    private final AccountAdmin accounts;
    private final Clock clock;
    private final boolean served;

    /** @param served false on worker-only processes, which do not serve the console (404) */
    ConsoleFilter(ConsoleSessions sessions, AccountAdmin accounts, Clock clock, boolean served) {
        this.sessions = sessions;
        this.accounts = accounts;
        this.clock = clock;
        this.served = served;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest req) {
        String path = path(req);
        return !(path.equals("/console") || path.startsWith("/console/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws ServletException, IOException {
        String path = path(req);
        if (!served) {
            res.sendError(404);
            return;
        }
        res.setHeader("Cache-Control", "no-store");
        res.setHeader("X-Frame-Options", "DENY");
        res.setHeader("X-Content-Type-Options", "nosniff");
        res.setHeader("Referrer-Policy", "same-origin");
        // no inline script anywhere; email previews are sandboxed srcdoc frames, which inherit this policy
        res.setHeader("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                + "img-src 'self' data: https:; frame-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
        boolean safe = req.getMethod().equals("GET") || req.getMethod().equals("HEAD");
        if (path.startsWith("/console/assets/")) {
            chain.doFilter(req, res);
            return;
        }
        if (path.equals("/console/login")) {
            if (!safe && !loginTokenMatches(req)) {
                refuse(res, "The login form expired or did not come from this console. Reload the page and sign in again.");
                return;
            }
            chain.doFilter(req, res);
            return;
        }
        Optional<ConsoleSessions.Session> session = sessions.find(cookie(req, COOKIE), clock.instant());
        Optional<OperatorPrincipal> operator = session.flatMap(s -> accounts.get(s.username())
                .filter(AccountAdmin.AccountRow::active)
                .map(a -> new OperatorPrincipal(a.username(), Role.valueOf(a.role()))));
        if (operator.isEmpty()) {
            String query = req.getQueryString();
            String next = safe ? path + (query == null ? "" : "?" + query) : "/console";
            String login = req.getContextPath() + "/console/login?next=" + UriUtils.encodeQueryParam(next, StandardCharsets.UTF_8);
            if (req.getHeader("HX-Request") != null) {
                res.setHeader("HX-Redirect", login); // htmx follows this with a full page load
                res.setStatus(401);
            } else {
                res.setStatus(303);
                res.setHeader("Location", login);
            }
            return;
        }
        if (!safe) {
            String sent = req.getHeader("X-CSRF-Token");
            if (sent == null) sent = req.getParameter("_csrf");
            if (!equal(sent, session.get().csrfToken())) {
                refuse(res, "This form is missing its security token or the token is from another session. Reload the page and try again.");
                return;
            }
        }
        req.setAttribute(AuthFilter.OPERATOR, operator.get());
        req.setAttribute(SESSION, session.get());
        chain.doFilter(req, res);
    }

    private static boolean loginTokenMatches(HttpServletRequest req) {
        String cookie = cookie(req, LOGIN_COOKIE);
        return cookie != null && equal(req.getParameter("_csrf"), cookie);
    }

    static String cookie(HttpServletRequest req, String name) {
        Cookie[] cookies = req.getCookies();
        if (cookies == null) return null;
        for (Cookie c : cookies) {
            if (c.getName().equals(name)) return c.getValue();
        }
        return null;
    }

    private static boolean equal(String a, String b) {
        return a != null && b != null && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static void refuse(HttpServletResponse res, String message) throws IOException {
        res.setStatus(403);
        res.setContentType("text/html;charset=UTF-8");
        res.getWriter().write("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Refused · Herald</title>"
                + "<link rel=\"stylesheet\" href=\"/console/assets/console.css\"></head><body><main class=\"narrow\">"
                + "<h1>Request refused</h1><p role=\"alert\">" + message
                + "</p><p><a href=\"/console\">Back to the console</a></p></main></body></html>");
    }

    private static String path(HttpServletRequest req) {
        return req.getRequestURI().substring(req.getContextPath().length());
    }
}

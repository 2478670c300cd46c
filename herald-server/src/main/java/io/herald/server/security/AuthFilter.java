package io.herald.server.security;

import io.herald.server.http.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Authenticates every API request before it reaches a controller. Client-app endpoints take appKey:appSecret,
 * management endpoints take an operator's username:password; health, metrics, docs and signed callback
 * endpoints are open. Role checks happen in the management controllers.
 */
public final class AuthFilter extends OncePerRequestFilter {

    public static final String APP = "herald.app";
    public static final String OPERATOR = "herald.operator";

    private static final List<String> APP_PATHS = List.of("/v1/users", "/v1/notifications", "/v1/topics", "/v1/broadcasts");
    private static final List<String> ENGAGEMENT_APP_PATHS = List.of("/v1/webhooks", "/v1/analytics", "/v1/suppressions",
            "/v1/conversions", "/v1/tracking");
    // signed by the provider instead of app credentials
    private static final List<String> PROVIDER_CALLBACK_PATHS = List.of("/v1/webhooks/twilio", "/v1/webhooks/sendgrid");
    private static final List<String> OPERATOR_PATHS = List.of("/v1/accounts", "/v1/apps", "/v1/templates", "/v1/audit",
            "/v1/queues", "/v1/dead-letters", "/v1/preference-settings", "/v1/providers", "/v1/campaigns");

    private final Authenticator authenticator;

    public AuthFilter(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws ServletException, IOException {
        String path = req.getRequestURI().substring(req.getContextPath().length());
        boolean appPath = under(path, APP_PATHS) || (under(path, ENGAGEMENT_APP_PATHS) && !under(path, PROVIDER_CALLBACK_PATHS));
        boolean operatorPath = under(path, OPERATOR_PATHS);
        if (!appPath && !operatorPath) {
            chain.doFilter(req, res);
            return;
        }
        Optional<BasicCredentials> creds = BasicCredentials.parse(req.getHeader("Authorization"));
        if (creds.isEmpty()) {
            deny(res, "Missing credentials", appPath
                    ? "Send Authorization: Basic base64(appKey:appSecret)."
                    : "Send Authorization: Basic base64(username:password) of an operator account.");
            return;
        }
        try {
            if (appPath) {
                var app = authenticator.app(creds.get());
                if (app.isEmpty()) {
                    deny(res, "Invalid credentials", "Unknown or revoked appKey, or wrong appSecret.");
                    return;
                }
                var needed = Scope.requiredFor(req.getMethod(), path);
                if (needed.isPresent() && !app.get().may(needed.get())) {
                    Problems.write(res, 403, "Forbidden", "This app lacks the '" + needed.get().apiName() + "' scope; its scopes are "
                            + app.get().scopes().stream().map(Scope::apiName).sorted().toList() + ".");
                    return;
                }
                req.setAttribute(APP, app.get());
            } else {
                // getRemoteAddr is the proxy's client address when server.forward-headers-strategy trusts that proxy
                switch (authenticator.operator(creds.get(), req.getRemoteAddr())) {
                    case Authenticator.OperatorLogin.Granted g -> req.setAttribute(OPERATOR, g.principal());
                    case Authenticator.OperatorLogin.Denied d -> {
                        deny(res, "Invalid credentials", "Unknown or disabled account, or wrong password.");
                        return;
                    }
                    case Authenticator.OperatorLogin.Throttled t -> {
                        long seconds = Math.max(1, (t.retryAfter().toMillis() + 999) / 1000);
                        res.setHeader("Retry-After", String.valueOf(seconds));
                        Problems.write(res, 429, "Too many failed logins",
                                "Too many failed logins for this account or from this address; retry after " + seconds + " s.");
                        return;
                    }
                }
            }
        } catch (DataAccessResourceFailureException | TransientDataAccessException e) {
            // credentials not in the cache and the database unreachable: the same 503 as ApiErrors gives, not a 500
            res.setHeader("Retry-After", "5");
            Problems.write(res, 503, "Service unavailable", "The database is unavailable; nothing was stored. Retry later.");
            return;
        }
        chain.doFilter(req, res);
    }

    private static boolean under(String path, List<String> prefixes) {
        for (String p : prefixes) {
            if (path.equals(p) || path.startsWith(p + "/")) return true;
        }
        return false;
    }

    private static void deny(HttpServletResponse res, String title, String detail) throws IOException {
        res.setHeader("WWW-Authenticate", "Basic realm=\"herald\", charset=\"UTF-8\"");
        Problems.write(res, 401, title, detail);
    }
}

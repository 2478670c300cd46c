package io.herald.server.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * 400 before anything else for query strings and paths no endpoint can take: malformed percent-encoding,
 * NUL characters (PostgreSQL refuses them in text), and query values longer than anything the API accepts.
 * Naming the parameter here means no controller ever sees such a value.
 */
public final class UnsafeCharactersFilter extends OncePerRequestFilter {

    /** Longer than any query value the API accepts (cursors included). */
    static final int MAX_QUERY_VALUE = 2048;

    @Override
    protected void doFilterInternal(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws ServletException, IOException {
        String problem = queryProblem(req.getQueryString());
        if (problem == null) problem = pathProblem(req.getRequestURI());
        if (problem != null) {
            Problems.write(res, 400, "Bad parameter", problem);
            return;
        }
        chain.doFilter(req, res);
    }

    static String queryProblem(String query) {
        if (query == null || query.isEmpty()) return null;
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String rawName = eq < 0 ? pair : pair.substring(0, eq);
            String rawValue = eq < 0 ? "" : pair.substring(eq + 1);
            String name;
            String value;
            try {
                name = URLDecoder.decode(rawName, StandardCharsets.UTF_8);
                value = URLDecoder.decode(rawValue, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return "query parameter " + printable(rawName) + ": malformed percent-encoding";
            }
            String p = StrictJson.problemWith(name, 64);
            if (p != null) return "query parameter name " + printable(name) + " " + p;
            p = StrictJson.problemWith(value, MAX_QUERY_VALUE);
            if (p != null || value.indexOf('\uFFFD') >= 0) return "query parameter " + name + " " + (p != null ? p : "is not valid UTF-8");
        }
        return null;
    }

    static String pathProblem(String uri) {
        if (uri == null) return null;
        String path;
        try {
            path = URLDecoder.decode(uri.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "the path has malformed percent-encoding";
        }
        String p = StrictJson.problemWith(path, MAX_QUERY_VALUE);
        return p == null ? null : "the path " + p;
    }

    private static String printable(String s) {
        String cut = s.length() > 64 ? s.substring(0, 64) + "…" : s;
        return "'" + cut.replace("\u0000", "\\u0000") + "'";
    }
}

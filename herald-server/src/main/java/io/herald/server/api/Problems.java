package io.herald.server.api;

import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Writes RFC 9457 problem+json where Spring MVC's exception handling does not reach (filters). */
public final class Problems {

    private Problems() {
    }

    public static void write(HttpServletResponse res, int status, String title, String detail) throws IOException {
        res.setStatus(status);
        res.setContentType("application/problem+json");
        res.setCharacterEncoding("UTF-8");
        String body = "{\"type\":\"about:blank\",\"title\":" + json(title) + ",\"status\":" + status + ",\"detail\":" + json(detail) + "}";
        res.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    }

    private static String json(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}

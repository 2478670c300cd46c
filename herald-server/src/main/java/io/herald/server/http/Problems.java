package io.herald.server.http;

import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** Writes RFC 9457 problem+json where Spring MVC's exception handling does not reach (filters). */
public final class Problems {

    private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();

    private Problems() {
    }

    public static void write(HttpServletResponse res, int status, String title, String detail) throws IOException {
        res.setStatus(status);
        res.setContentType("application/problem+json");
        res.setCharacterEncoding("UTF-8");
        var body = new java.util.LinkedHashMap<String, Object>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        res.getOutputStream().write(JSON.writeValueAsBytes(body));
    }
}

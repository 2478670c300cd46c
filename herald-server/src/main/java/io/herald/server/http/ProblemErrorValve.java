package io.herald.server.http;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

import java.io.IOException;
import java.io.Writer;
import java.util.LinkedHashMap;

/**
 * Tomcat's own error page, as problem+json instead of HTML: for requests Tomcat refuses before any filter or
 * controller sees them (a path with %00, malformed percent-encoding or invalid UTF-8).
 */
public final class ProblemErrorValve extends ErrorReportValve {

    private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) return;
        var body = new LinkedHashMap<String, Object>();
        body.put("type", "about:blank");
        body.put("title", status == 400 ? "Bad request" : status == 404 ? "Not found" : "Request refused");
        body.put("status", status);
        body.put("detail", status == 400
                ? "The request line or path is malformed (bad percent-encoding, a NUL character or invalid UTF-8)."
                : "The server refused this request (HTTP " + status + ").");
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(JSON.writeValueAsString(body));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response is done: nothing more to say
        }
    }
}

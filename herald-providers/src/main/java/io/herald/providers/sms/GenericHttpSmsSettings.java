package io.herald.providers.sms;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of {@link GenericHttpSmsProvider}, for an SMS gateway with a plain HTTP API.
 *
 * @param name                 provider name in traces, default "http-sms"
 * @param url                  endpoint; may contain {@code ${ENV_NAME}} references
 * @param method               POST (default), PUT or GET; with GET the rendered form body becomes the query string
 * @param headers              extra headers; values may contain {@code ${ENV_NAME}}, e.g. {@code Bearer ${SMS_KEY}}
 * @param format               how the template is rendered and which Content-Type is sent, default FORM
 * @param bodyTemplate         e.g. {@code to={{to}}&from={{from}}&text={{text}}&ref={{id}}} or
 *                             {@code {"to":"{{to}}","text":"{{text}}"}}; in JSON, put placeholders inside quotes
 * @param from                 the sender, substituted for {{from}}
 * @param messageIdPointer     JSON pointer to the gateway's message id in a 2xx response, e.g. {@code /messages/0/id}
 * @param messageIdRegex       used when no pointer is set: group 1 (or the whole match) of the response body
 * @param permanentStatusCodes statuses that mean "never retry" beyond the 4xx rule, e.g. a 500 the gateway uses for
 *                             invalid numbers
 * @param timeout              connect and request timeout, default 10 s
 */
public record GenericHttpSmsSettings(String name, String url, String method, Map<String, String> headers,
                                     BodyFormat format, String bodyTemplate, String from, String messageIdPointer,
                                     String messageIdRegex, Set<Integer> permanentStatusCodes, Duration timeout) {

    /** Body encoding and Content-Type. */
    public enum BodyFormat {
        FORM("application/x-www-form-urlencoded"), JSON("application/json");

        final String contentType;

        BodyFormat(String contentType) {
            this.contentType = contentType;
        }
    }

    public GenericHttpSmsSettings {
        name = name == null || name.isBlank() ? "http-sms" : name;
        Objects.requireNonNull(url, "url");
        method = method == null || method.isBlank() ? "POST" : method.toUpperCase(java.util.Locale.ROOT);
        if (!Set.of("POST", "PUT", "GET").contains(method)) throw new IllegalArgumentException("unsupported method " + method);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        format = format == null ? BodyFormat.FORM : format;
        Objects.requireNonNull(bodyTemplate, "bodyTemplate");
        if ("GET".equals(method) && format != BodyFormat.FORM) {
            throw new IllegalArgumentException("GET sends the template as a query string: use FORM");
        }
        permanentStatusCodes = permanentStatusCodes == null ? Set.of() : Set.copyOf(permanentStatusCodes);
        timeout = timeout == null || timeout.isZero() || timeout.isNegative() ? Duration.ofSeconds(10) : timeout;
    }

    @Override
    public String toString() {
        // header values may hold secrets once resolved; these are the unresolved templates, still keep them out
        return "GenericHttpSmsSettings[" + name + ", " + method + " " + url + ", " + format + "]";
    }
}

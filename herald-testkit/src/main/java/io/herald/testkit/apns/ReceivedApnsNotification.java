package io.herald.testkit.apns;

import java.util.Map;

/**
 * One HTTP/2 request as the mock APNs server received it, before it decided to accept or reject it.
 *
 * @param headers           every header, names in lower case as HTTP/2 sends them, pseudo-headers included
 *                          ({@code :method}, {@code :path}, ...)
 * @param payload           the request body (the JSON payload), decoded as UTF-8
 * @param clientCertificate the subject of the TLS client certificate, or null when the client used token auth
 */
public record ReceivedApnsNotification(Map<String, String> headers, String payload, String clientCertificate) {

    public ReceivedApnsNotification {
        headers = Map.copyOf(headers);
    }

    /** @return the header value, or null */
    public String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    /** The device token from {@code :path /3/device/<token>}. */
    public String deviceToken() {
        String path = header(":path");
        return path == null ? null : path.substring(path.lastIndexOf('/') + 1);
    }
}

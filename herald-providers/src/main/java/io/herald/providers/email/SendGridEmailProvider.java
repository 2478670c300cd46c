package io.herald.providers.email;

import io.herald.core.model.Channel;
import io.herald.core.model.Reason;
import io.herald.core.model.Target;
import io.herald.core.provider.ChannelProvider;
import io.herald.core.provider.OutboundMessage;
import io.herald.core.provider.SendResult;
import io.herald.providers.http.RetryAfter;
import jakarta.mail.internet.InternetAddress;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Instant;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Sends email through the SendGrid v3 Mail Send API ({@code POST /v3/mail/send}), e.g. as the failover of
 * {@link SmtpEmailProvider}. The request carries the notification id in {@code custom_args}, so SendGrid's event
 * webhook can be matched back, and the same List-Unsubscribe headers as SMTP.
 *
 * <p>Outcomes, after SendGrid's documented responses
 * (https://www.twilio.com/docs/sendgrid/api-reference/mail-send/mail-send#responses):
 * 202 is {@link SendResult.Accepted} with the {@code X-Message-Id} header; 400, 403, 413 and other 4xx are
 * {@link SendResult.Rejected} ({@link Reason#INVALID_RECIPIENT} when the error names a {@code to} address, else
 * {@link Reason#PROVIDER_REJECTED}); 401 (bad API key), 429 (with its Retry-After) and 5xx, timeouts and connection
 * errors are {@link SendResult.Failed}. A 401 is not the message's fault: failing transiently keeps every message
 * while the key is replaced.
 *
 * <p>Thread-safe: the HttpClient and the ObjectMapper are shared.
 */
public final class SendGridEmailProvider implements ChannelProvider, AutoCloseable {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final SendGridSettings settings;
    private final FromAddresses from;
    private final UnsubscribeLinks unsubscribe;
    private final HttpClient http;
    private final boolean ownsClient;
    private final URI endpoint;

    public SendGridEmailProvider(SendGridSettings settings, FromAddresses from, UnsubscribeLinks unsubscribe,
                                 HttpClient http) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.from = Objects.requireNonNull(from, "from");
        this.unsubscribe = unsubscribe == null ? UnsubscribeLinks.NONE : unsubscribe;
        this.ownsClient = http == null;
        this.http = http != null ? http : HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
        String base = settings.baseUrl().toString();
        this.endpoint = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/v3/mail/send");
    }

    public SendGridEmailProvider(SendGridSettings settings, FromAddresses from, UnsubscribeLinks unsubscribe) {
        this(settings, from, unsubscribe, null);
    }

    @Override
    public String name() {
        return "sendgrid";
    }

    @Override
    public Channel channel() {
        return Channel.EMAIL;
    }

    @Override
    public SendResult send(OutboundMessage message) {
        if (!(message.target() instanceof Target.Email email)) {
            return SendResult.rejected(Reason.INVALID_RECIPIENT, "sendgrid: not an email target");
        }
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(settings.timeout())
                .header("Authorization", "Bearer " + settings.apiKey())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body(message, email))))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            return SendResult.failed("sendgrid: timed out after " + settings.timeout());
        } catch (IOException e) {
            return SendResult.failed("sendgrid: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return SendResult.failed("sendgrid: interrupted");
        }
        return classify(response);
    }

    private SendResult classify(HttpResponse<String> response) {
        int status = response.statusCode();
        if (status == 202 || status == 200) {
            return SendResult.accepted(response.headers().firstValue("X-Message-Id").orElse(null));
        }
        String detail = "sendgrid " + status + ": " + errors(response.body());
        if (status == 401 || status == 429 || status >= 500) {
            return SendResult.failed(detail,
                    RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), Instant.now()));
        }
        if (status >= 400) {
            return SendResult.rejected(namesRecipient(response.body())
                    ? Reason.INVALID_RECIPIENT
                    : Reason.PROVIDER_REJECTED, detail);
        }
        return SendResult.failed(detail); // 1xx/3xx: not part of the API, so do not give the message up
    }

    ObjectNode body(OutboundMessage message, Target.Email email) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode personalization = root.putArray("personalizations").addObject();
        personalization.putArray("to").addObject().put("email", email.address());
        InternetAddress sender = from.forApp(message.appId());
        ObjectNode fromNode = root.putObject("from").put("email", sender.getAddress());
        if (sender.getPersonal() != null) fromNode.put("name", sender.getPersonal());
        root.put("subject", message.content().subject());
        EmailBody body = EmailBody.of(message.content());
        // SendGrid requires text/plain first, then text/html
        ArrayNode content = root.putArray("content");
        content.addObject().put("type", "text/plain").put("value", body.text());
        if (body.html() != null) content.addObject().put("type", "text/html").put("value", body.html());
        root.putObject("custom_args").put("herald_notification_id", message.id().toString());
        unsubscribe.oneClickUrl(UnsubscribeScope.ofAddress(message.appId(), email.address(), message.category()))
                .ifPresent(link -> root.putObject("headers")
                        .put("List-Unsubscribe", "<" + link + ">")
                        .put("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"));
        return root;
    }

    /** SendGrid error body: {@code {"errors":[{"message":"...","field":"...","help":"..."}]}}. */
    private static String errors(String body) {
        JsonNode errors = parse(body).path("errors");
        if (!errors.isArray() || errors.isEmpty()) return body == null ? "" : body.strip();
        return errors.valueStream()
                .map(e -> e.path("field").isString()
                        ? e.path("field").asString() + ": " + e.path("message").asString()
                        : e.path("message").asString())
                .collect(Collectors.joining("; "));
    }

    private static boolean namesRecipient(String body) {
        return parse(body).path("errors").valueStream()
                .anyMatch(e -> e.path("field").asString("").matches("personalizations\\.\\d+\\.to(\\.\\d+\\.email)?"));
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (JacksonException e) {
            return JSON.createObjectNode();
        }
    }

    /** Closes the HTTP client this provider created (a caller's client stays open). */
    @Override
    public void close() {
        if (ownsClient) http.close();
    }
}

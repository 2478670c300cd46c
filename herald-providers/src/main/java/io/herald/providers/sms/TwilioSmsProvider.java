package io.herald.providers.sms;

import io.herald.core.model.Channel;
import io.herald.core.model.Reason;
import io.herald.core.model.Target;
import io.herald.core.provider.ChannelProvider;
import io.herald.core.provider.OutboundMessage;
import io.herald.core.provider.SendResult;
import io.herald.providers.http.RetryAfter;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Sends SMS with one call to Twilio's Messages resource
 * ({@code POST /2010-04-01/Accounts/{AccountSid}/Messages.json}, https://www.twilio.com/docs/messaging/api/message-resource),
 * without the Twilio SDK.
 *
 * <p>Outcomes: 201 is {@link SendResult.Accepted} with the message SID ("SM..."), which status callbacks quote (see
 * {@link TwilioStatusCallback}). Twilio errors are {@code {code, message, more_info, status}}
 * (https://www.twilio.com/docs/api/errors): 21211 (invalid 'To') and 21614 ('To' not reachable by SMS, e.g. a
 * landline) are {@link Reason#INVALID_RECIPIENT}; 21610 (the recipient replied STOP, so the carrier-level opt-out
 * blocks every message until they reply START) and other 4xx are {@link Reason#PROVIDER_REJECTED}. 401 (bad
 * credentials), 429 and 5xx, timeouts and connection errors are {@link SendResult.Failed}, honouring Retry-After.
 * A 401 is not the message's fault, so it is retried rather than given up while credentials are fixed.
 *
 * <p>Thread-safe: the HttpClient is shared.
 */
public final class TwilioSmsProvider implements ChannelProvider, AutoCloseable {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final TwilioSettings settings;
    private final HttpClient http;
    private final boolean ownsClient;
    private final URI endpoint;
    private final String authorization;

    public TwilioSmsProvider(TwilioSettings settings, HttpClient http) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.ownsClient = http == null;
        this.http = http != null ? http : HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
        String base = settings.baseUrl().toString();
        this.endpoint = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
                + "/2010-04-01/Accounts/" + Forms.encode(settings.accountSid()) + "/Messages.json");
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                (settings.accountSid() + ":" + settings.authToken()).getBytes(StandardCharsets.UTF_8));
    }

    public TwilioSmsProvider(TwilioSettings settings) {
        this(settings, null);
    }

    @Override
    public String name() {
        return "twilio";
    }

    @Override
    public Channel channel() {
        return Channel.SMS;
    }

    @Override
    public SendResult send(OutboundMessage message) {
        if (!(message.target() instanceof Target.Phone phone)) {
            return SendResult.rejected(Reason.INVALID_RECIPIENT, "twilio: not a phone target");
        }
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(settings.timeout())
                .header("Authorization", authorization)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Forms.encode(form(message, phone))))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            return SendResult.failed("twilio: timed out after " + settings.timeout());
        } catch (IOException e) {
            return SendResult.failed("twilio: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return SendResult.failed("twilio: interrupted");
        }
        return classify(response);
    }

    private Map<String, String> form(OutboundMessage message, Target.Phone phone) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("To", phone.e164());
        if (settings.messagingServiceSid() != null && !settings.messagingServiceSid().isBlank()) {
            form.put("MessagingServiceSid", settings.messagingServiceSid());
        } else {
            form.put("From", settings.from());
        }
        String text = message.content().smsText();
        form.put("Body", text == null ? "" : text);
        if (settings.statusCallbackUrl() != null) form.put("StatusCallback", settings.statusCallbackUrl().toString());
        return form;
    }

    private static SendResult classify(HttpResponse<String> response) {
        int status = response.statusCode();
        JsonNode body = parse(response.body());
        if (status == 201 || status == 200) {
            String sid = body.path("sid").asString(null);
            return sid != null
                    ? SendResult.acceptedWithReceipts(sid) // its status callback reports by sid
                    : SendResult.failed("twilio " + status + " without a message sid"); // not Twilio's documented answer
        }
        int code = body.path("code").asInt(0);
        String detail = "twilio " + status + (code != 0 ? " code " + code : "") + ": "
                + body.path("message").asString(response.body() == null ? "" : response.body().strip());
        if (status == 401 || status == 429 || status >= 500) {
            return SendResult.failed(detail,
                    RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), Instant.now()));
        }
        if (status >= 400) {
            return switch (code) {
                case 21211, 21614 -> SendResult.rejected(Reason.INVALID_RECIPIENT, detail);
                case 21610 -> SendResult.rejected(Reason.PROVIDER_REJECTED, "opted out at carrier (STOP): " + detail);
                default -> SendResult.rejected(Reason.PROVIDER_REJECTED, detail);
            };
        }
        return SendResult.failed(detail);
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

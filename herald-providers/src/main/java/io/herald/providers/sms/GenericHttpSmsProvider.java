package io.herald.providers.sms;

import io.herald.core.model.Channel;
import io.herald.core.model.Reason;
import io.herald.core.model.Target;
import io.herald.core.provider.ChannelProvider;
import io.herald.core.provider.OutboundMessage;
import io.herald.core.provider.SendResult;
import io.herald.providers.http.RetryAfter;
import tools.jackson.core.JacksonException;
import tools.jackson.core.io.JsonStringEncoder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends SMS through any gateway with an HTTP API, described by {@link GenericHttpSmsSettings}: a URL, a method,
 * headers and a body template with {{to}}, {{from}}, {{text}} and {{id}} (the notification id, for gateways that
 * take a client reference). Values are escaped for the body format: percent-encoded in a form, JSON-string escaped in
 * JSON. {@code ${ENV_NAME}} references in the URL and headers are resolved once, at construction, and a missing
 * variable fails then, not at the first send.
 *
 * <p>Outcomes: 2xx is {@link SendResult.Accepted} with the id found by the pointer or regex (the notification id when
 * none is found, so the message stays traceable); a configured permanent status, or any other 4xx except 429, is
 * {@link SendResult.Rejected} ({@link Reason#PROVIDER_REJECTED}); 429, 5xx, other statuses, timeouts and connection
 * errors are {@link SendResult.Failed}, honouring Retry-After.
 *
 * <p>Thread-safe: immutable after construction; the HttpClient is shared.
 */
public final class GenericHttpSmsProvider implements ChannelProvider, AutoCloseable {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([a-z]+)\\s*}}");
    private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Set<String> KNOWN = Set.of("to", "from", "text", "id");

    private final GenericHttpSmsSettings settings;
    private final HttpClient http;
    private final boolean ownsClient;
    private final String url;
    private final Map<String, String> headers;
    private final Pattern messageIdRegex;

    /** @param env looks up environment variables; {@code System::getenv} in production */
    public GenericHttpSmsProvider(GenericHttpSmsSettings settings, Function<String, String> env, HttpClient http) {
        this.settings = Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(env, "env");
        Matcher m = PLACEHOLDER.matcher(settings.bodyTemplate());
        while (m.find()) {
            if (!KNOWN.contains(m.group(1))) throw new IllegalArgumentException("unknown placeholder {{" + m.group(1) + "}}");
        }
        this.url = resolveEnv(settings.url(), env);
        URI.create(url); // fail fast on a malformed URL
        Map<String, String> resolved = new LinkedHashMap<>();
        settings.headers().forEach((k, v) -> resolved.put(k, resolveEnv(v, env)));
        this.headers = Map.copyOf(resolved);
        this.messageIdRegex = settings.messageIdRegex() == null ? null : Pattern.compile(settings.messageIdRegex());
        this.ownsClient = http == null;
        this.http = http != null ? http : HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
    }

    public GenericHttpSmsProvider(GenericHttpSmsSettings settings) {
        this(settings, System::getenv, null);
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public Channel channel() {
        return Channel.SMS;
    }

    @Override
    public SendResult send(OutboundMessage message) {
        if (!(message.target() instanceof Target.Phone phone)) {
            return SendResult.rejected(Reason.INVALID_RECIPIENT, name() + ": not a phone target");
        }
        String text = message.content().smsText();
        String body = render(Map.of("to", phone.e164(), "from", settings.from() == null ? "" : settings.from(),
                "text", text == null ? "" : text, "id", message.id().toString()));
        HttpRequest request = request(body);
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            return SendResult.failed(name() + ": timed out after " + settings.timeout());
        } catch (IOException e) {
            return SendResult.failed(name() + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return SendResult.failed(name() + ": interrupted");
        }
        return classify(response, message);
    }

    String render(Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(settings.bodyTemplate());
        StringBuilder out = new StringBuilder();
        while (m.find()) m.appendReplacement(out, Matcher.quoteReplacement(escape(values.get(m.group(1)))));
        m.appendTail(out);
        return out.toString();
    }

    private String escape(String value) {
        return switch (settings.format()) {
            case FORM -> Forms.encode(value);
            case JSON -> {
                StringBuilder quoted = new StringBuilder();
                JsonStringEncoder.getInstance().quoteAsString(value, quoted);
                yield quoted.toString();
            }
        };
    }

    private HttpRequest request(String body) {
        boolean get = "GET".equals(settings.method());
        String target = get ? url + (url.contains("?") ? "&" : "?") + body : url;
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target)).timeout(settings.timeout());
        if (!get) b.header("Content-Type", settings.format().contentType + "; charset=UTF-8");
        headers.forEach(b::setHeader); // configured headers win, e.g. a gateway that wants its own Content-Type
        return get ? b.GET().build() : b.method(settings.method(), HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private SendResult classify(HttpResponse<String> response, OutboundMessage message) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            String id = extractId(response.body());
            return SendResult.accepted(id != null ? id : message.id().toString());
        }
        String detail = name() + " " + status + ": " + abbreviate(response.body());
        if (settings.permanentStatusCodes().contains(status)) return SendResult.rejected(Reason.PROVIDER_REJECTED, detail);
        if (status >= 400 && status < 500 && status != 429) return SendResult.rejected(Reason.PROVIDER_REJECTED, detail);
        return SendResult.failed(detail,
                RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), Instant.now()));
    }

    private String extractId(String body) {
        if (body == null || body.isBlank()) return null;
        if (settings.messageIdPointer() != null) {
            try {
                JsonNode node = JSON.readTree(body).at(settings.messageIdPointer());
                return node.isValueNode() && !node.isNull() ? node.asString() : null;
            } catch (JacksonException e) {
                return null;
            }
        }
        if (messageIdRegex != null) {
            Matcher m = messageIdRegex.matcher(body);
            if (m.find()) return m.groupCount() >= 1 ? m.group(1) : m.group();
        }
        return null;
    }

    private static String resolveEnv(String value, Function<String, String> env) {
        Matcher m = ENV.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = env.apply(m.group(1));
            if (v == null) throw new IllegalArgumentException("environment variable " + m.group(1) + " is not set");
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String abbreviate(String body) {
        if (body == null) return "";
        String s = body.strip().replaceAll("\\s+", " ");
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    /** Closes the HTTP client this provider created (a caller's client stays open). */
    @Override
    public void close() {
        if (ownsClient) http.close();
    }
}

package io.herald.providers.sms;

import io.herald.core.model.Reason;
import io.herald.core.provider.OutboundMessage;
import io.herald.core.provider.SendResult;
import io.herald.providers.sms.GenericHttpSmsSettings.BodyFormat;
import io.herald.testkit.sms.FakeSmsGateway;
import io.herald.testkit.sms.FakeSmsGateway.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** GenericHttpSmsProvider against a recording gateway, in form, JSON and GET variants. */
class GenericHttpSmsProviderTest {

    private static final String TRICKY = "Hi \"Ann\" & co = 100% {ok}\nline 2 \\ 😀 인증";
    private static final Map<String, String> ENV = Map.of("SMS_API_KEY", "key-123", "SMS_ACCOUNT", "acct");

    private final FakeSmsGateway gateway = new FakeSmsGateway();

    @AfterEach
    void close() {
        gateway.close();
    }

    private GenericHttpSmsProvider provider(String path, String method, BodyFormat format, String template,
                                            String pointer, String regex, Set<Integer> permanent) {
        return new GenericHttpSmsProvider(new GenericHttpSmsSettings("acme-sms", gateway.baseUrl() + path, method,
                Map.of("Authorization", "Bearer ${SMS_API_KEY}", "X-Account", "${SMS_ACCOUNT}"), format, template,
                "HERALD", pointer, regex, permanent, Duration.ofSeconds(5)), ENV::get, null);
    }

    @Test
    void formVariantEncodesEveryValueAndResolvesEnvInHeaders() {
        GenericHttpSmsProvider provider = provider("/send", "POST", BodyFormat.FORM,
                "to={{to}}&from={{from}}&text={{text}}&ref={{id}}", "/messages/0/id", null, null);
        OutboundMessage message = SmsTestMessages.sms("+14155550100", TRICKY);

        SendResult result = provider.send(message);

        assertThat(result).isEqualTo(SendResult.accepted("gw-1"));
        FakeSmsGateway.Request request = gateway.requests().getFirst();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/send");
        assertThat(request.headers()).containsEntry("authorization", "Bearer key-123").containsEntry("x-account", "acct");
        assertThat(request.headers().get("content-type")).startsWith("application/x-www-form-urlencoded");
        assertThat(request.form()).containsExactly(Map.entry("to", "+14155550100"), Map.entry("from", "HERALD"),
                Map.entry("text", TRICKY), Map.entry("ref", message.id().toString()));
    }

    @Test
    void jsonVariantEscapesValuesIntoValidJson() throws Exception {
        GenericHttpSmsProvider provider = provider("/v2/sms", "POST", BodyFormat.JSON,
                "{\"recipient\":\"{{to}}\",\"sender\":\"{{from}}\",\"message\":{\"text\":\"{{text}}\"},\"clientRef\":\"{{id}}\"}",
                "/messages/0/id", null, null);
        OutboundMessage message = SmsTestMessages.sms("+821012345678", TRICKY);

        assertThat(provider.send(message)).isEqualTo(SendResult.accepted("gw-1"));

        FakeSmsGateway.Request request = gateway.requests().getFirst();
        assertThat(request.headers().get("content-type")).startsWith("application/json");
        JsonNode json = JsonMapper.builder().build().readTree(request.body());
        assertThat(json.at("/recipient").asString()).isEqualTo("+821012345678");
        assertThat(json.at("/sender").asString()).isEqualTo("HERALD");
        assertThat(json.at("/message/text").asString()).isEqualTo(TRICKY);
        assertThat(json.at("/clientRef").asString()).isEqualTo(message.id().toString());
    }

    @Test
    void getVariantSendsTheFormAsAQueryAndARegexFindsTheId() {
        gateway.enqueue(Reply.text(200, "OK: queued as msg-77 for delivery"));
        GenericHttpSmsProvider provider = provider("/api?user=${SMS_ACCOUNT}", "GET", BodyFormat.FORM,
                "to={{to}}&text={{text}}", null, "queued as (\\S+)", null);

        assertThat(provider.send(SmsTestMessages.sms("+14155550100", "a&b=c"))).isEqualTo(SendResult.accepted("msg-77"));

        FakeSmsGateway.Request request = gateway.requests().getFirst();
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.form()).containsEntry("user", "acct").containsEntry("to", "+14155550100").containsEntry("text", "a&b=c");
    }

    @Test
    void a2xxWithoutAnIdStillCountsAsAcceptedUnderTheNotificationId() {
        gateway.enqueue(Reply.json(202, "{}"));
        GenericHttpSmsProvider provider = provider("/send", "POST", BodyFormat.FORM, "to={{to}}&text={{text}}", "/id", null, null);
        OutboundMessage message = SmsTestMessages.sms("+14155550100", "hi");
        assertThat(provider.send(message)).isEqualTo(SendResult.accepted(message.id().toString()));
    }

    @Test
    void statusCodesAreClassified() {
        GenericHttpSmsProvider provider = provider("/send", "POST", BodyFormat.FORM, "to={{to}}&text={{text}}", "/id",
                null, Set.of(500));
        gateway.enqueue(Reply.json(400, "{\"error\":\"invalid number\"}"));
        gateway.enqueue(Reply.json(500, "{\"error\":\"unknown subscriber\"}")); // configured as permanent
        gateway.enqueue(Reply.json(429, "{\"error\":\"slow down\"}").withHeader("Retry-After", "12"));
        gateway.enqueue(Reply.json(503, "{\"error\":\"maintenance\"}"));

        assertThat(provider.send(SmsTestMessages.sms("+14155550100", "hi"))).isInstanceOfSatisfying(SendResult.Rejected.class, r -> {
            assertThat(r.reason()).isEqualTo(Reason.PROVIDER_REJECTED);
            assertThat(r.detail()).contains("400").contains("invalid number");
        });
        assertThat(provider.send(SmsTestMessages.sms("+14155550100", "hi"))).isInstanceOfSatisfying(SendResult.Rejected.class,
                r -> assertThat(r.detail()).contains("500"));
        assertThat(provider.send(SmsTestMessages.sms("+14155550100", "hi"))).isInstanceOfSatisfying(SendResult.Failed.class,
                f -> assertThat(f.retryAfter()).isEqualTo(Duration.ofSeconds(12)));
        assertThat(provider.send(SmsTestMessages.sms("+14155550100", "hi"))).isInstanceOfSatisfying(SendResult.Failed.class,
                f -> assertThat(f.detail()).contains("503"));
    }

    @Test
    void misconfigurationFailsAtConstruction() {
        assertThatThrownBy(() -> new GenericHttpSmsProvider(new GenericHttpSmsSettings(null, "http://127.0.0.1/x", null,
                Map.of("Authorization", "${MISSING_VAR}"), null, "to={{to}}", null, null, null, null, null), ENV::get, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MISSING_VAR");
        assertThatThrownBy(() -> new GenericHttpSmsProvider(new GenericHttpSmsSettings(null, "http://127.0.0.1/x", null,
                null, null, "to={{to}}&x={{recipient}}", null, null, null, null, null), ENV::get, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("recipient");
    }
}

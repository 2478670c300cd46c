package io.herald.server.channels;

import io.herald.providers.sms.TwilioSignature;
import io.herald.server.channels.Http.Reply;
import io.herald.testkit.TestPostgres;
import io.herald.testkit.email.ScriptedSmtpServer;
import io.herald.testkit.sms.FakeTwilioServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Providers configured the way the README says: two named SMTP instances failing over end to end beside the
 * legacy smtp section (against a plain server that offers no STARTTLS, which its start-up check reports with the
 * fix), Twilio joining SMS without a channel list and getting delivery receipts from the public base URL alone,
 * PUSH left on the sandbox (a warning), and the routing table in the log and at GET /v1/providers.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
class ProviderRoutingEndToEndTest {

    private static final String SCHEMA = TestPostgres.newSchema("routing");
    private static final String TWILIO_SID = "AC" + "00112233445566778899aabbccddeeff";
    private static final String TWILIO_TOKEN = "twilio-auth-token-routing";
    private static final String BASE_URL = "https://herald.example.test";
    private static final int DEAD_PORT = Http.closedPort();
    private static final ScriptedSmtpServer PLAIN = new ScriptedSmtpServer(null, null);
    private static final FakeTwilioServer TWILIO = new FakeTwilioServer(TWILIO_SID, TWILIO_TOKEN);
    private static final java.nio.file.Path DIR = Http.tempDir("herald-routing-e2e-");

    static {
        Http.cleanUpAtExit(SCHEMA, DIR);
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        Http.serverOn(r, SCHEMA, DIR);
        r.add("herald.public.base-url", () -> BASE_URL);

        // two named instances of one type: nothing listens on relay-a's port, relay-b is a plain relay
        r.add("herald.providers.instances.relay-a.type", () -> "smtp");
        r.add("herald.providers.instances.relay-a.host", () -> "127.0.0.1");
        r.add("herald.providers.instances.relay-a.port", () -> DEAD_PORT);
        r.add("herald.providers.instances.relay-a.security", () -> "OFF");
        r.add("herald.providers.instances.relay-a.from", () -> "Herald <noreply@herald.test>");
        r.add("herald.providers.instances.relay-b.type", () -> "smtp");
        r.add("herald.providers.instances.relay-b.host", () -> "127.0.0.1");
        r.add("herald.providers.instances.relay-b.port", PLAIN::port);
        r.add("herald.providers.instances.relay-b.security", () -> "OFF");
        r.add("herald.providers.instances.relay-b.from", () -> "Herald <noreply@herald.test>");
        // the legacy section, on its default security (STARTTLS required) against the same plain relay
        r.add("herald.providers.smtp.host", () -> "127.0.0.1");
        r.add("herald.providers.smtp.port", PLAIN::port);
        r.add("herald.providers.smtp.from", () -> "Herald <noreply@herald.test>");
        r.add("herald.providers.channels.EMAIL", () -> "relay-a,relay-b,smtp");

        // Twilio without status-callback-url and without an SMS channel list
        r.add("herald.providers.twilio.base-url", () -> TWILIO.baseUrl().toString());
        r.add("herald.providers.twilio.account-sid", () -> TWILIO_SID);
        r.add("herald.providers.twilio.auth-token", () -> TWILIO_TOKEN);
        r.add("herald.providers.twilio.from", () -> "+15005550006");
    }

    @AfterAll
    static void closePeers() {
        Http.closeQuietly(PLAIN);
        Http.closeQuietly(TWILIO);
    }

    @LocalServerPort
    int port;

    private Http http() {
        return new Http(port);
    }

    @Test
    void theRoutingTableIsLoggedAtStartUpAndServedToAdmins(CapturedOutput output) {
        String relay = "127.0.0.1:" + PLAIN.port();
        assertThat(output.getOut()).contains("Provider routing (failover order):")
                .contains("EMAIL -> relay-a (127.0.0.1:" + DEAD_PORT + "), relay-b (" + relay + "), smtp (" + relay + ")")
                .contains("SMS -> twilio (" + TWILIO.baseUrl().getHost() + ":" + TWILIO.baseUrl().getPort() + ")")
                .contains("PUSH/IOS -> sandbox (sandbox: not delivered)")
                .contains("PUSH has only the sandbox provider: its notifications show SENT but are NOT delivered")
                .doesNotContain("EMAIL has only the sandbox").doesNotContain(TWILIO_TOKEN);

        Http http = http();
        assertThat(http.call("GET", "/v1/providers", Http.APP, null).status()).as("apps are not operators").isEqualTo(401);
        Reply r = http.call("GET", "/v1/providers", Http.ADMIN, null);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.raw()).doesNotContain(TWILIO_TOKEN);
        List<JsonNode> providers = StreamSupport.stream(r.body().get("providers").spliterator(), false).toList();
        assertThat(providers).extracting(p -> p.get("channel").asString() + ":" + p.get("name").asString())
                .containsExactly("PUSH:sandbox", "SMS:twilio", "EMAIL:relay-a", "EMAIL:relay-b", "EMAIL:smtp", "IN_APP:inbox");
        JsonNode relayB = providers.get(3);
        assertThat(relayB.get("type").asString()).isEqualTo("smtp");
        assertThat(relayB.get("endpoint").asString()).isEqualTo(relay);
        assertThat(relayB.get("breakerState").asString()).isEqualTo("CLOSED");
        assertThat(relayB.get("platforms")).isEmpty();
        assertThat(providers.getFirst().get("type").asString()).isEqualTo("sandbox");
        assertThat(providers.getFirst().get("platforms")).extracting(JsonNode::asString).containsExactly("IOS", "ANDROID", "WEB");
        assertThat(r.body().get("routes")).anySatisfy(route -> {
            assertThat(route.get("channel").asString()).isEqualTo("EMAIL");
            assertThat(route.get("providers")).extracting(JsonNode::asString).containsExactly("relay-a", "relay-b", "smtp");
        });
    }

    @Test
    void theStartUpCheckFindsThePlainServerAndNamesTheFix() {
        Reply health = Http.await(() -> http().call("GET", "/actuator/health/providers", null, null),
                h -> h.body() != null && !h.raw().contains("pending"));
        assertThat(health.raw()).doesNotContain("pending");
        assertThat(health.status()).as(health.raw()).isEqualTo(503);
        assertThat(health.body().get("status").asString()).isEqualTo("DOWN");
        JsonNode details = health.body().get("details");
        assertThat(details.get("smtp").asString()).startsWith("failed: smtp: server offers no STARTTLS")
                .contains("set herald.providers.smtp.security=SMTPS (implicit TLS, usually port 465) if the server has it, or OFF");
        assertThat(details.get("relay-b").asString()).isEqualTo("ok: EHLO ok, plain text");
        assertThat(details.get("relay-a").asString()).startsWith("failed: relay-a: cannot connect to 127.0.0.1:" + DEAD_PORT)
                .contains("check herald.providers.instances.relay-a.host and herald.providers.instances.relay-a.port");
        assertThat(details.get("twilio").asString()).startsWith("not checked");
        // the overview shows the same
        Reply providers = http().call("GET", "/v1/providers", Http.ADMIN, null);
        assertThat(providers.raw()).contains("failed: smtp: server offers no STARTTLS");
    }

    @Test
    void twoSmtpInstancesFailOverEndToEnd() {
        String address = "fo-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        Reply sent = http().call("POST", "/v1/notifications", Http.APP, """
                {"eventId":"named-%s","to":{"email":"%s"},"content":{"subject":"Relays","text":"Around a dead relay."}}"""
                .formatted(address, address));
        assertThat(sent.status()).as(sent.raw()).isEqualTo(202);
        String id = sent.body().get("notifications").get(0).get("id").asString();
        Reply trace = http().awaitStatus(id, "SENT");
        assertThat(trace.text("status")).as(trace.raw()).isEqualTo("SENT");
        assertThat(trace.text("provider")).isEqualTo("relay-b");
        assertThat(trace.body().get("attempts").asInt()).isEqualTo(1);
        assertThat(trace.body().get("events").get(2).get("detail").asString()).startsWith("after failover (relay-a: ");
        assertThat(PLAIN.received()).filteredOn(m -> m.recipients().contains(address)).singleElement()
                .satisfies(m -> assertThat(m.data()).contains("Subject: Relays"));
    }

    @Test
    void twilioGetsTheStatusCallbackFromThePublicBaseUrlAndReceiptsArrive() {
        String phone = "+14155550142";
        Reply sent = http().call("POST", "/v1/notifications", Http.APP, """
                {"eventId":"sms-%s","to":{"phone":"%s"},"content":{"text":"Your code is 4242"}}""".formatted(UUID.randomUUID(), phone));
        assertThat(sent.status()).as(sent.raw()).isEqualTo(202);
        String id = sent.body().get("notifications").get(0).get("id").asString();
        Reply trace = http().awaitStatus(id, "SENT");
        assertThat(trace.text("provider")).as(trace.raw()).isEqualTo("twilio");
        String callback = BASE_URL + "/v1/webhooks/twilio/status";
        FakeTwilioServer.Request request = TWILIO.requests().stream().filter(q -> phone.equals(q.form().get("To"))).findFirst()
                .orElseThrow();
        assertThat(request.form()).containsEntry("StatusCallback", callback);

        Map<String, String> delivered = new LinkedHashMap<>();
        delivered.put("AccountSid", TWILIO_SID);
        delivered.put("MessageSid", request.sid());
        delivered.put("MessageStatus", "delivered");
        delivered.put("To", phone);
        assertThat(twilioCallback(delivered,
                new TwilioSignature(TWILIO_TOKEN).computeSingle("https://elsewhere.test/v1/webhooks/twilio/status",
                        delivered))
                .status()).as("signed over another URL").isEqualTo(403);
        Reply accepted = twilioCallback(delivered, new TwilioSignature(TWILIO_TOKEN).computeSingle(callback, delivered));
        assertThat(accepted.status()).as(accepted.raw()).isEqualTo(204);
        Reply receipt = http().awaitStatus(id, "DELIVERED");
        assertThat(receipt.text("status")).as(receipt.raw()).isEqualTo("DELIVERED");
    }

    private Reply twilioCallback(Map<String, String> form, String signature) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return http().call("POST", "/v1/webhooks/twilio/status", null, body, "application/x-www-form-urlencoded",
                Map.of("X-Twilio-Signature", signature));
    }
}

package io.herald.server.channels;

import io.herald.server.channels.Http.Reply;
import io.herald.testkit.TestPostgres;
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

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Region routing through the HTTP API: two SMS vendors, the global one first; a rule sends +82 numbers to the
 * Korean vendor first, and every other number keeps the default order.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
class RegionRoutingEndToEndTest {

    private static final String SCHEMA = TestPostgres.newSchema("region");
    private static final String GLOBAL_SID = "AC" + "0123456789abcdef0123456789abcdef";
    private static final String KR_SID = "AC" + "fedcba9876543210fedcba9876543210";
    private static final FakeTwilioServer GLOBAL = new FakeTwilioServer(GLOBAL_SID, "global-token");
    private static final FakeTwilioServer KOREA = new FakeTwilioServer(KR_SID, "korea-token");
    private static final java.nio.file.Path DIR = Http.tempDir("herald-region-e2e-");

    static {
        Http.cleanUpAtExit(SCHEMA, DIR);
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        Http.serverOn(r, SCHEMA, DIR);
        r.add("herald.public.base-url", () -> "https://herald.example.test");

        r.add("herald.providers.twilio.base-url", () -> GLOBAL.baseUrl().toString());
        r.add("herald.providers.twilio.account-sid", () -> GLOBAL_SID);
        r.add("herald.providers.twilio.auth-token", () -> "global-token");
        r.add("herald.providers.twilio.from", () -> "+15005550006");
        r.add("herald.providers.instances.sms-kr.type", () -> "twilio");
        r.add("herald.providers.instances.sms-kr.base-url", () -> KOREA.baseUrl().toString());
        r.add("herald.providers.instances.sms-kr.account-sid", () -> KR_SID);
        r.add("herald.providers.instances.sms-kr.auth-token", () -> "korea-token");
        r.add("herald.providers.instances.sms-kr.from", () -> "+15005550007");
        r.add("herald.providers.channels.SMS", () -> "twilio,sms-kr");
        r.add("herald.providers.routing.SMS[+82]", () -> "sms-kr");
    }

    @AfterAll
    static void closePeers() {
        Http.closeQuietly(GLOBAL);
        Http.closeQuietly(KOREA);
    }

    @LocalServerPort
    int port;

    @Test
    void koreanNumbersGoToTheKoreanVendorAndOthersToTheDefault() {
        String korean = "+821012345678";
        String american = "+14155550143";
        assertThat(sendAndAwaitProvider(korean)).isEqualTo("sms-kr");
        assertThat(sendAndAwaitProvider(american)).isEqualTo("twilio");

        assertThat(KOREA.requests()).extracting(q -> q.form().get("To")).containsExactly(korean);
        assertThat(GLOBAL.requests()).extracting(q -> q.form().get("To")).containsExactly(american);
    }

    @Test
    void theRuleIsInTheRoutingTableAtStartUp(CapturedOutput output) {
        assertThat(output.getOut()).contains("SMS -> twilio (").contains("SMS to +82 -> sms-kr first");
    }

    private String sendAndAwaitProvider(String phone) {
        Http http = new Http(port);
        Reply sent = http.call("POST", "/v1/notifications", Http.APP, """
                {"eventId":"region-%s","to":{"phone":"%s"},"content":{"text":"Your code is 1234"}}""".formatted(UUID.randomUUID(), phone));
        assertThat(sent.status()).as(sent.raw()).isEqualTo(202);
        String id = sent.body().get("notifications").get(0).get("id").asString();
        Reply trace = http.awaitStatus(id, "SENT");
        assertThat(trace.text("status")).as(trace.raw()).isEqualTo("SENT");
        assertThat(trace.body().get("attempts").asInt()).as("no failover: the first choice took it").isEqualTo(1);
        return trace.text("provider");
    }
}

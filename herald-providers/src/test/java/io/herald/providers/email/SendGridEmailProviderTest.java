package io.herald.providers.email;

import io.herald.core.model.Reason;
import io.herald.core.provider.OutboundMessage;
import io.herald.core.provider.SendResult;
import io.herald.testkit.email.FakeSendGridServer;
import io.herald.testkit.email.FakeSendGridServer.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** SendGridEmailProvider against a fake SendGrid v3 Mail Send endpoint. */
class SendGridEmailProviderTest {

    private final FakeSendGridServer sendGrid = new FakeSendGridServer("SG.test-key");
    private final SealedUnsubscribeLinks links = new SealedUnsubscribeLinks(EmailTestMessages.secret(), "https://notify.example.com",
            false);
    private final SendGridEmailProvider provider = provider("SG.test-key", sendGrid.baseUrl());

    @AfterEach
    void close() {
        sendGrid.close();
    }

    private SendGridEmailProvider provider(String key, URI baseUrl) {
        return new SendGridEmailProvider(new SendGridSettings(baseUrl, key, Duration.ofSeconds(5)),
                new FromAddresses("Herald <no-reply@herald.test>", Map.of(7L, "Shop <shop@shop.test>")), links);
    }

    @Test
    void postsTheDocumentedJsonAndReturnsTheXMessageId() {
        OutboundMessage message = EmailTestMessages.email(7, "ann@example.com", "Ready \"now\"", "<p>Hi</p>", null, "marketing");

        SendResult result = provider.send(message);

        FakeSendGridServer.Request request = sendGrid.requests().getFirst();
        assertThat(result).isEqualTo(SendResult.accepted(request.messageId()));
        assertThat(request.authorization()).isEqualTo("Bearer SG.test-key");
        JsonNode json = request.json();
        assertThat(json.at("/personalizations/0/to/0/email").asString()).isEqualTo("ann@example.com");
        assertThat(json.at("/from/email").asString()).isEqualTo("shop@shop.test");
        assertThat(json.at("/from/name").asString()).isEqualTo("Shop");
        assertThat(json.at("/subject").asString()).isEqualTo("Ready \"now\"");
        assertThat(json.at("/content/0/type").asString()).isEqualTo("text/plain");
        assertThat(json.at("/content/0/value").asString()).isEqualTo("Hi");
        assertThat(json.at("/content/1/type").asString()).isEqualTo("text/html");
        assertThat(json.at("/content/1/value").asString()).isEqualTo("<p>Hi</p>");
        assertThat(json.at("/custom_args/herald_notification_id").asString()).isEqualTo(message.id().toString());
        String unsubscribe = json.at("/headers/List-Unsubscribe").asString();
        assertThat(links.open(unsubscribe.substring(unsubscribe.lastIndexOf('/') + 1, unsubscribe.length() - 1)))
                .contains(UnsubscribeScope.ofAddress(7, "ann@example.com", "marketing"));
        assertThat(json.at("/headers/List-Unsubscribe-Post").asString()).isEqualTo("List-Unsubscribe=One-Click");
    }

    @Test
    void aBadRecipientAddressIsAnInvalidRecipient() {
        // the fake validates addresses as SendGrid does and answers 400 naming personalizations.0.to.0.email
        assertThat(provider.send(EmailTestMessages.text("not-an-address"))).isInstanceOfSatisfying(SendResult.Rejected.class, r -> {
            assertThat(r.reason()).isEqualTo(Reason.INVALID_RECIPIENT);
            assertThat(r.detail()).contains("400").contains("Does not contain a valid address");
        });
    }

    @Test
    void documentedPermanentErrorsAreRejections() {
        sendGrid.enqueue(Reply.badRequest("reply_to", "The reply_to email does not contain a valid address."));
        sendGrid.enqueue(Reply.forbidden("The from address does not match a verified Sender Identity."));
        sendGrid.enqueue(Reply.payloadTooLarge());

        assertRejected(provider.send(EmailTestMessages.text("a@example.com")), "400", "reply_to");
        assertRejected(provider.send(EmailTestMessages.text("a@example.com")), "403", "verified Sender Identity");
        assertRejected(provider.send(EmailTestMessages.text("a@example.com")), "413", "too large");
    }

    @Test
    void throttlingHonoursRetryAfterAndServerErrorsAreTransient() {
        sendGrid.enqueue(Reply.tooManyRequests(7));
        sendGrid.enqueue(Reply.serverError(500));
        sendGrid.enqueue(Reply.serverError(503));

        assertThat(provider.send(EmailTestMessages.text("a@example.com"))).isEqualTo(
                new SendResult.Failed("sendgrid 429: too many requests", Duration.ofSeconds(7)));
        assertThat(provider.send(EmailTestMessages.text("a@example.com"))).isInstanceOfSatisfying(SendResult.Failed.class,
                f -> assertThat(f.detail()).startsWith("sendgrid 500"));
        assertThat(provider.send(EmailTestMessages.text("a@example.com"))).isInstanceOfSatisfying(SendResult.Failed.class,
                f -> assertThat(f.detail()).startsWith("sendgrid 503"));
        assertThat(provider.send(EmailTestMessages.text("a@example.com"))).isInstanceOf(SendResult.Accepted.class);
    }

    @Test
    void aWrongApiKeyIsTransientSoMessagesSurviveAKeyRotation() {
        assertThat(provider("SG.wrong", sendGrid.baseUrl()).send(EmailTestMessages.text("a@example.com")))
                .isInstanceOfSatisfying(SendResult.Failed.class, f -> assertThat(f.detail()).startsWith("sendgrid 401"));
        assertThat(sendGrid.accepted()).isEmpty();
    }

    @Test
    void serverDownIsATransientFailure() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        assertThat(provider("SG.test-key", URI.create("http://127.0.0.1:" + closedPort)).send(EmailTestMessages.text("a@example.com")))
                .isInstanceOf(SendResult.Failed.class);
    }

    private static void assertRejected(SendResult result, String status, String detail) {
        assertThat(result).isInstanceOfSatisfying(SendResult.Rejected.class, r -> {
            assertThat(r.reason()).isEqualTo(Reason.PROVIDER_REJECTED);
            assertThat(r.detail()).contains(status).contains(detail);
        });
    }
}

package io.herald.providers.email;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.herald.core.model.Reason;
import io.herald.core.provider.OutboundMessage;
import io.herald.core.provider.SendResult;
import jakarta.mail.BodyPart;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** SmtpEmailProvider against GreenMail, a real SMTP server, with AUTH. */
class SmtpEmailProviderGreenMailTest {

    @RegisterExtension
    static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("relay@herald.test", "herald", "s3cret"))
            .withPerMethodLifecycle(true);

    private final SealedUnsubscribeLinks links = new SealedUnsubscribeLinks(EmailTestMessages.secret(), "https://notify.example.com",
            false);
    private final FromAddresses from = new FromAddresses("Herald <no-reply@herald.test>", Map.of(7L, "Shop <shop@shop.test>"));

    private SmtpEmailProvider provider(String password) {
        return new SmtpEmailProvider(new SmtpSettings("127.0.0.1", greenMail.getSmtp().getPort(), SmtpSecurity.OFF,
                "herald", password, Duration.ofSeconds(5), Duration.ofSeconds(5), 2, 0, null, null), from, links);
    }

    @Test
    void sendsMultipartAlternativeWithPerAppFromMessageIdAndOneClickUnsubscribe() throws Exception {
        OutboundMessage message = EmailTestMessages.email(7, "ann@example.com", "Ihre Bestellung ist bereit ✓",
                "<p>Hello <b>Ann</b></p>", "Hello Ann", "marketing");
        SendResult result;
        try (SmtpEmailProvider provider = provider("s3cret")) {
            result = provider.send(message);
        }

        assertThat(result).isInstanceOf(SendResult.Accepted.class);
        MimeMessage received = greenMail.getReceivedMessages()[0];
        assertThat(((InternetAddress) received.getFrom()[0]).getAddress()).isEqualTo("shop@shop.test");
        assertThat(((InternetAddress) received.getFrom()[0]).getPersonal()).isEqualTo("Shop");
        assertThat(received.getAllRecipients()).extracting(Object::toString).containsExactly("ann@example.com");
        assertThat(received.getSubject()).isEqualTo("Ihre Bestellung ist bereit ✓");

        assertThat(received.getContentType()).startsWith("multipart/alternative");
        MimeMultipart parts = (MimeMultipart) received.getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        assertPart(parts.getBodyPart(0), "text/plain", "Hello Ann");
        assertPart(parts.getBodyPart(1), "text/html", "<p>Hello <b>Ann</b></p>");

        String messageId = received.getMessageID();
        assertThat(messageId).contains(message.id().toString()).startsWith("<").endsWith("@shop.test>");
        assertThat(((SendResult.Accepted) result).providerMessageId()).isEqualTo(messageId);

        String unsubscribe = received.getHeader("List-Unsubscribe", null);
        assertThat(unsubscribe).startsWith("<https://notify.example.com/v1/unsubscribe/2.").endsWith(">").doesNotContain("ann@");
        String token = unsubscribe.substring(unsubscribe.lastIndexOf('/') + 1, unsubscribe.length() - 1);
        assertThat(links.open(token)).contains(UnsubscribeScope.ofAddress(7, "ann@example.com", "marketing"));
        assertThat(received.getHeader("List-Unsubscribe-Post", null)).isEqualTo("List-Unsubscribe=One-Click");
    }

    @Test
    void htmlOnlyGetsADerivedTextPartAndUnknownAppsGetTheDefaultFrom() throws Exception {
        try (SmtpEmailProvider provider = provider("s3cret")) {
            SendResult result = provider.send(EmailTestMessages.email(99, "bob@example.com", "Reset",
                    "<h1>Reset</h1><p>Use <a href=\"https://x.example/r?a=1&amp;b=2\">this link</a>.</p>", null, null));
            assertThat(result).isInstanceOf(SendResult.Accepted.class);
        }
        MimeMessage received = greenMail.getReceivedMessages()[0];
        assertThat(((InternetAddress) received.getFrom()[0]).getAddress()).isEqualTo("no-reply@herald.test");
        MimeMultipart parts = (MimeMultipart) received.getContent();
        assertPart(parts.getBodyPart(0), "text/plain", "Reset\n\nUse this link (https://x.example/r?a=1&b=2).");
    }

    @Test
    void textOnlyIsASinglePlainPart() throws Exception {
        try (SmtpEmailProvider provider = provider("s3cret")) {
            assertThat(provider.send(EmailTestMessages.text("cy@example.com"))).isInstanceOf(SendResult.Accepted.class);
        }
        MimeMessage received = greenMail.getReceivedMessages()[0];
        assertThat(received.getContentType()).startsWith("text/plain");
        assertThat(((String) received.getContent()).strip()).isEqualTo("Plain body");
    }

    @Test
    void wrongPasswordIsATransientFailureAndNothingIsDelivered() {
        try (SmtpEmailProvider provider = provider("wrong")) {
            SendResult result = provider.send(EmailTestMessages.text("dan@example.com"));
            assertThat(result).isInstanceOfSatisfying(SendResult.Failed.class,
                    f -> assertThat(f.detail()).contains("authentication failed"));
        }
        assertThat(greenMail.getReceivedMessages()).isEmpty();
    }

    @Test
    void serverDownIsATransientFailure() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (SmtpEmailProvider provider = new SmtpEmailProvider(new SmtpSettings("127.0.0.1", closedPort,
                SmtpSecurity.OFF, null, null, Duration.ofSeconds(2), Duration.ofSeconds(2), 1, 0, null, null), from, null)) {
            assertThat(provider.send(EmailTestMessages.text("eve@example.com"))).isInstanceOfSatisfying(
                    SendResult.Failed.class, f -> assertThat(f.detail()).contains("Connect"));
        }
    }

    @Test
    void anUnparseableAddressIsAnInvalidRecipient() {
        try (SmtpEmailProvider provider = provider("s3cret")) {
            assertThat(provider.send(EmailTestMessages.text("not an address")))
                    .isInstanceOfSatisfying(SendResult.Rejected.class, r -> assertThat(r.reason()).isEqualTo(Reason.INVALID_RECIPIENT));
        }
    }

    private static void assertPart(BodyPart part, String type, String content) throws Exception {
        assertThat(part.getContentType()).startsWith(type).containsIgnoringCase("charset=UTF-8");
        assertThat(((String) part.getContent()).replace("\r\n", "\n").strip()).isEqualTo(content);
    }
}

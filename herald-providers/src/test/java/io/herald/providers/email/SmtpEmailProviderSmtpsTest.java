package io.herald.providers.email;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.herald.core.provider.SendResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Implicit TLS (SMTPS) against GreenMail's TLS listener, whose self-signed certificate is trusted for this test only. */
class SmtpEmailProviderSmtpsTest {

    @RegisterExtension
    static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTPS.dynamicPort());

    @Test
    void deliversOverImplicitTls() throws Exception {
        try (SmtpEmailProvider provider = new SmtpEmailProvider(new SmtpSettings("localhost", greenMail.getSmtps().getPort(),
                SmtpSecurity.SMTPS, null, null, Duration.ofSeconds(5), Duration.ofSeconds(5), 1, 0, null, "*"),
                FromAddresses.of("no-reply@herald.test"), null)) {
            assertThat(provider.send(EmailTestMessages.text("tls@example.com"))).isInstanceOf(SendResult.Accepted.class);
        }
        assertThat(greenMail.getReceivedMessages()).hasSize(1);
        assertThat(greenMail.getReceivedMessages()[0].getSubject()).isEqualTo("Hello");
    }

    @Test
    void anUntrustedCertificateIsATransientFailure() {
        try (SmtpEmailProvider provider = new SmtpEmailProvider(new SmtpSettings("localhost", greenMail.getSmtps().getPort(),
                SmtpSecurity.SMTPS, null, null, Duration.ofSeconds(5), Duration.ofSeconds(5), 1, 0, null, null),
                FromAddresses.of("no-reply@herald.test"), null)) {
            assertThat(provider.send(EmailTestMessages.text("tls@example.com"))).isInstanceOf(SendResult.Failed.class);
        }
        assertThat(greenMail.getReceivedMessages()).isEmpty();
    }
}

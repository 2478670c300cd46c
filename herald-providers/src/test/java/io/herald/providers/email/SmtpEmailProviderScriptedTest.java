package io.herald.providers.email;

import io.herald.core.model.Reason;
import io.herald.core.provider.SendResult;
import io.herald.testkit.email.ScriptedSmtpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** SmtpEmailProvider against a scripted SMTP peer: reply codes, AUTH, connection reuse and reconnection. */
class SmtpEmailProviderScriptedTest {

    private final ScriptedSmtpServer server = new ScriptedSmtpServer("herald", "s3cret");
    private final List<SmtpEmailProvider> providers = new ArrayList<>();

    @AfterEach
    void close() {
        providers.forEach(SmtpEmailProvider::close);
        server.close();
    }

    private SmtpEmailProvider provider(int poolSize, int maxPerConnection, Duration validateAfterIdle) {
        SmtpEmailProvider p = new SmtpEmailProvider(new SmtpSettings("127.0.0.1", server.port(), SmtpSecurity.OFF,
                "herald", "s3cret", Duration.ofSeconds(5), Duration.ofSeconds(5), poolSize, maxPerConnection,
                validateAfterIdle, null), FromAddresses.of("no-reply@herald.test"), null);
        providers.add(p);
        return p;
    }

    @Test
    void authenticatesAndReusesOneConnectionForSequentialSends() {
        SmtpEmailProvider provider = provider(2, 0, null);
        for (int i = 0; i < 5; i++) {
            assertThat(provider.send(EmailTestMessages.text("u" + i + "@example.com"))).isInstanceOf(SendResult.Accepted.class);
        }
        assertThat(server.received()).hasSize(5).allSatisfy(r -> {
            assertThat(r.authenticatedUser()).isEqualTo("herald");
            assertThat(r.connection()).isEqualTo(1);
        });
        assertThat(server.connectionsAccepted()).isEqualTo(1);
        assertThat(provider.connectionsOpened()).isEqualTo(1);
    }

    @Test
    void concurrentSendsNeverOpenMoreConnectionsThanThePoolSize() throws Exception {
        SmtpEmailProvider provider = provider(2, 0, null);
        List<Future<SendResult>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
            for (int i = 0; i < 24; i++) {
                String to = "c" + i + "@example.com";
                results.add(pool.submit(() -> provider.send(EmailTestMessages.text(to))));
            }
        }
        for (Future<SendResult> r : results) assertThat(r.get()).isInstanceOf(SendResult.Accepted.class);
        assertThat(server.received()).hasSize(24);
        assertThat(server.connectionsAccepted()).isBetween(1, 2);
    }

    @Test
    void closesAConnectionAfterMaxMessagesPerConnection() {
        SmtpEmailProvider provider = provider(1, 2, null);
        for (int i = 0; i < 5; i++) provider.send(EmailTestMessages.text("m" + i + "@example.com"));
        assertThat(server.received()).extracting(ScriptedSmtpServer.Received::connection).containsExactly(1, 1, 2, 2, 3);
    }

    @Test
    void aDroppedIdleConnectionIsReplacedBeforeSending() {
        SmtpEmailProvider provider = provider(1, 0, Duration.ZERO); // validate with NOOP on every borrow
        assertThat(provider.send(EmailTestMessages.text("a@example.com"))).isInstanceOf(SendResult.Accepted.class);
        server.dropAllConnections();
        assertThat(provider.send(EmailTestMessages.text("b@example.com"))).isInstanceOf(SendResult.Accepted.class);
        assertThat(server.connectionsAccepted()).isEqualTo(2);
        assertThat(server.received()).extracting(ScriptedSmtpServer.Received::connection).containsExactly(1, 2);
    }

    @Test
    void aConnectionLostMidSendFailsTransientlyAndTheNextSendReconnects() {
        SmtpEmailProvider provider = provider(1, 0, Duration.ofHours(1)); // never validated: the send itself hits the dead socket
        provider.send(EmailTestMessages.text("a@example.com"));
        server.dropAllConnections();
        assertThat(provider.send(EmailTestMessages.text("b@example.com"))).isInstanceOf(SendResult.Failed.class);
        assertThat(provider.send(EmailTestMessages.text("c@example.com"))).isInstanceOf(SendResult.Accepted.class);
        assertThat(server.received()).extracting(r -> r.recipients().getFirst()).containsExactly("a@example.com", "c@example.com");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "550 5.1.1 <x@example.com>: Recipient address rejected: User unknown | INVALID_RECIPIENT",
            "550 Requested action not taken: mailbox unavailable               | INVALID_RECIPIENT",
            "553 5.1.3 Bad recipient address syntax                            | INVALID_RECIPIENT",
            "554 5.7.1 <x@example.com>: Relay access denied                    | PROVIDER_REJECTED",
            "550 5.7.1 Message rejected as spam                                | PROVIDER_REJECTED",
            "552 5.2.2 Mailbox full                                            | PROVIDER_REJECTED"})
    void aPermanentRecipientReplyIsARejection(String reply, Reason reason) {
        server.replyToRecipient("x@example.com", reply.strip());
        SmtpEmailProvider provider = provider(1, 0, null);
        assertThat(provider.send(EmailTestMessages.text("x@example.com"))).isInstanceOfSatisfying(SendResult.Rejected.class, r -> {
            assertThat(r.reason()).isEqualTo(reason);
            assertThat(r.detail()).contains(reply.strip().substring(0, 3));
        });
        // the pool recovers: the next message goes through
        assertThat(provider.send(EmailTestMessages.text("ok@example.com"))).isInstanceOf(SendResult.Accepted.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"450 4.2.0 <x@example.com>: Recipient address rejected: Greylisted",
            "451 4.3.0 Temporary lookup failure", "452 4.5.3 Too many recipients"})
    void aTransientRecipientReplyIsAFailure(String reply) {
        server.replyToRecipient("x@example.com", reply);
        assertThat(provider(1, 0, null).send(EmailTestMessages.text("x@example.com")))
                .isInstanceOfSatisfying(SendResult.Failed.class, f -> assertThat(f.detail()).contains(reply.substring(0, 3)));
        assertThat(server.received()).isEmpty();
    }

    @Test
    void wrongCredentialsAreATransientFailure() {
        SmtpEmailProvider provider = new SmtpEmailProvider(new SmtpSettings("127.0.0.1", server.port(), SmtpSecurity.OFF,
                "herald", "nope", null, null, 1, 0, null, null), FromAddresses.of("no-reply@herald.test"), null);
        providers.add(provider);
        assertThat(provider.send(EmailTestMessages.text("a@example.com"))).isInstanceOf(SendResult.Failed.class);
        assertThat(server.failedLogins()).isEqualTo(1);
        assertThat(server.received()).isEmpty();
    }
}

package io.herald.client;

import io.herald.client.model.Analytics;
import io.herald.client.model.AnalyticsQuery;
import io.herald.client.model.Channel;
import io.herald.client.model.Content;
import io.herald.client.model.Recipient;
import io.herald.client.model.SendRequest;
import io.herald.client.model.Webhook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The client's engagement methods against a real Herald: webhooks, analytics, suppressions, conversions. */
class EngagementClientAgainstServerTest {

    private static HeraldServerFixture server;
    private static HeraldClient herald;

    @BeforeAll
    static void start() {
        server = new HeraldServerFixture();
        herald = server.client().build();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void webhooksAreCreatedWithASecretListedReplayedAndDeleted() {
        Webhook created = herald.createWebhook("http://127.0.0.1:9/hooks", List.of("notification.delivered", "notification.failed"));
        assertThat(created.secret()).startsWith("whsec_");
        assertThat(created.enabled()).isTrue();
        assertThat(herald.listWebhooks()).extracting(Webhook::id).contains(created.id());
        assertThat(herald.listWebhooks()).allSatisfy(w -> assertThat(w.secret()).isNull());
        assertThat(herald.getWebhook(created.id()).deliveries().failed()).isZero();
        assertThat(herald.replayWebhook(created.id(), Instant.now().minus(Duration.ofHours(1)))).isZero();
        assertThat(herald.deleteWebhook(created.id())).isTrue();
        assertThat(herald.deleteWebhook(created.id())).isFalse();
        ValidationException bad = catchThrowableOfType(ValidationException.class,
                () -> herald.createWebhook("https://10.1.2.3/hooks", List.of("notification.sent")));
        assertThat(bad.status()).isEqualTo(422);
    }

    @Test
    void analyticsCountWhatWasSentAndConversionsAreCredited() {
        String category = "client-" + UUID.randomUUID().toString().substring(0, 8);
        String eventId = "conv-" + category;
        herald.send(SendRequest.builder(eventId).to(Recipient.phone("+14155550100")).channels(Channel.SMS).category(category)
                .content(Content.builder().text("hello").build()).build());
        AnalyticsQuery query = AnalyticsQuery.all().category(category).between(Instant.now().minus(Duration.ofHours(2)), null);
        Analytics a = herald.analytics(query);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (a.totals().sent() < 1 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50); // polling the rollups, which fold every second
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            a = herald.analytics(query);
        }
        assertThat(a.totals().sent()).isEqualTo(1);
        assertThat(a.buckets()).isNotEmpty();
        assertThat(herald.analytics(query.channel(Channel.EMAIL)).totals().sent()).isZero();

        var conversion = herald.recordConversion(eventId);
        assertThat(conversion.eventId()).isEqualTo(eventId);
        assertThat(conversion.notificationId()).isNotNull();

        assertThat(herald.listSuppressions(null, 10).items()).isEmpty();
        assertThat(herald.deleteSuppression("nobody@example.com")).isFalse();
    }
}

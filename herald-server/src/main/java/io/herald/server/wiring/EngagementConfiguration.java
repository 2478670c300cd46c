package io.herald.server.wiring;

import io.herald.core.dispatch.MessageShaper;
import io.herald.core.engagement.AutomatedTraffic;
import io.herald.core.engagement.ConversionAttribution;
import io.herald.core.engagement.LinkTracking;
import io.herald.core.engagement.RetrySchedule;
import io.herald.core.engagement.TrackedLinks;
import io.herald.core.engagement.TrackingTokens;
import io.herald.core.net.OutboundGuard;
import io.herald.postgres.PostgresAnalytics;
import io.herald.postgres.PostgresEngagementAggregator;
import io.herald.postgres.PostgresEngagementStore;
import io.herald.postgres.PostgresInboxStore;
import io.herald.postgres.PostgresWebhookStore;
import io.herald.providers.email.SendGridEventSignature;
import io.herald.server.config.AlertProperties;
import io.herald.server.config.EngagementProperties;
import io.herald.server.config.PublicProperties;
import io.herald.server.engagement.EngagementCaches;
import io.herald.server.engagement.EngagementLoops;
import io.herald.server.engagement.SendGridEvents;
import io.herald.server.engagement.WebhookDisabledAlerts;
import io.herald.server.engagement.WebhookSender;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/** Tracking, suppressions, conversions, SendGrid events, analytics rollups and status webhooks. */
@Configuration(proxyBeanMethods = false)
public class EngagementConfiguration {

    @Bean
    PostgresEngagementStore engagementStore(JdbcTemplate jdbc, TransactionTemplate tx) {
        return new PostgresEngagementStore(jdbc, tx);
    }

    @Bean
    PostgresWebhookStore webhookStore(JdbcTemplate jdbc, TransactionTemplate tx) {
        return new PostgresWebhookStore(jdbc, tx);
    }

    @Bean
    PostgresAnalytics analytics(JdbcTemplate jdbc) {
        return new PostgresAnalytics(jdbc);
    }

    @Bean
    EngagementCaches engagementCaches(PostgresEngagementStore store,
                                      org.springframework.beans.factory.ObjectProvider<io.herald.core.cache.InvalidationBus> buses) {
        EngagementCaches caches = new EngagementCaches(store, Duration.ofSeconds(5));
        buses.ifAvailable(caches::shareInvalidations); // other nodes' changes drop the entries at once (Redis)
        return caches;
    }

    @Bean
    TrackingTokens trackingTokens(EngagementProperties props, PostgresInboxStore keys, Clock clock) {
        byte[] key = props.trackingSecret() != null && !props.trackingSecret().isBlank()
                ? props.trackingSecret().getBytes(StandardCharsets.UTF_8)
                : keys.sharedKey("tracking-link", clock.instant());
        return new TrackingTokens(key);
    }

    @Bean
    TrackedLinks trackedLinks(TrackingTokens tokens, PublicProperties pub) {
        return new TrackedLinks(tokens, pub.baseUrl());
    }

    @Bean
    MessageShaper linkTracking(TrackedLinks links, EngagementCaches caches) {
        return new LinkTracking(links, caches.tracking());
    }

    @Bean
    AutomatedTraffic automatedTraffic(EngagementProperties props) {
        return new AutomatedTraffic(props.prefetchWindow());
    }

    @Bean
    ConversionAttribution conversionAttribution(EngagementProperties props) {
        return new ConversionAttribution(props.conversionWindow());
    }

    /** Without a verification key SendGrid's events are refused rather than trusted unsigned. */
    @Bean
    SendGridEvents sendGridEvents(PostgresEngagementStore store, EngagementCaches caches, EngagementProperties props) {
        String key = props.sendgridEventPublicKey();
        return new SendGridEvents(store, key == null || key.isBlank() ? null : new SendGridEventSignature(key),
                caches::suppressionsChanged);
    }

    @Bean(destroyMethod = "close")
    WebhookDisabledAlerts webhookDisabledAlerts(AlertProperties alerts, OutboundGuard guard, Clock clock) {
        return new WebhookDisabledAlerts(alerts.webhookUrl(), guard, clock);
    }

    @Bean(destroyMethod = "close")
    WebhookSender webhookSender(PostgresWebhookStore store, OutboundGuard guard, EngagementProperties props,
                                WebhookDisabledAlerts alerts, Clock clock) {
        return new WebhookSender(store, guard, new RetrySchedule(props.webhookRetrySchedule()), props.webhookTimeout(), alerts, clock);
    }

    @Bean
    PostgresEngagementAggregator engagementAggregator(JdbcTemplate jdbc, TransactionTemplate tx, Clock clock) {
        return new PostgresEngagementAggregator(jdbc, tx, clock);
    }

    @Bean(destroyMethod = "close")
    EngagementLoops engagementLoops(PostgresEngagementAggregator aggregator, WebhookSender sender, PostgresWebhookStore webhooks,
                                    EngagementProperties props, Clock clock) {
        return new EngagementLoops(aggregator, props.rollupInterval(), sender, props.webhookPollInterval(),
                () -> webhooks.purge(clock.instant().minus(props.webhookRetention())));
    }
}

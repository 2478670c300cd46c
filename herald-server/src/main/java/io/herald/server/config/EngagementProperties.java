package io.herald.server.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.List;

/**
 * Open and click tracking, conversions, provider event webhooks, analytics rollups and status webhooks.
 *
 * @param trackingSecret         key of tracking tokens (HERALD_ENGAGEMENT_TRACKING_SECRET); unset: generated once and
 *                               kept in the database, so every node verifies every node's links
 * @param prefetchWindow         a click this soon after delivery is a scanner's prefetch, not a reader's
 * @param conversionWindow       a conversion is credited to a notification of its event sent at most this long before
 * @param sendgridEventPublicKey SendGrid's "Signed Event Webhook" verification key (base64); unset: SendGrid events are refused
 * @param rollupInterval         how often each node folds new history events into analytics and the webhook outbox
 * @param webhookPollInterval    how often each node looks for due webhook deliveries
 * @param webhookTimeout         connect and response timeout of one webhook delivery
 * @param webhookRetrySchedule   waits after each failed delivery; past the last, it failed for good and, when nothing
 *                               reached the endpoint meanwhile, the subscription is disabled with an operator alert
 * @param webhookRetention       delivered and cancelled webhook messages are deleted this long after they were created
 *                               (failed ones stay for replay until their subscription is deleted)
 */
@ConfigurationProperties("herald.engagement")
public record EngagementProperties(String trackingSecret, Duration prefetchWindow, Duration conversionWindow,
                                   String sendgridEventPublicKey, Duration rollupInterval, Duration webhookPollInterval,
                                   Duration webhookTimeout, List<Duration> webhookRetrySchedule, Duration webhookRetention) {
    public EngagementProperties {
        prefetchWindow = prefetchWindow == null ? Duration.ofSeconds(1) : prefetchWindow;
        conversionWindow = conversionWindow == null ? Duration.ofDays(7) : conversionWindow;
        rollupInterval = rollupInterval == null ? Duration.ofSeconds(1) : rollupInterval;
        webhookPollInterval = webhookPollInterval == null ? Duration.ofSeconds(1) : webhookPollInterval;
        webhookTimeout = webhookTimeout == null ? Duration.ofSeconds(10) : webhookTimeout;
        webhookRetrySchedule = webhookRetrySchedule == null || webhookRetrySchedule.isEmpty()
                ? io.herald.core.engagement.RetrySchedule.STANDARD.delays()
                : List.copyOf(webhookRetrySchedule);
        webhookRetention = webhookRetention == null ? Duration.ofDays(30) : webhookRetention;
    }
}

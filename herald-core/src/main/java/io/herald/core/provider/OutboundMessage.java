package io.herald.core.provider;

import io.herald.core.model.Channel;
import io.herald.core.model.Content;
import io.herald.core.model.Priority;
import io.herald.core.model.Target;

import java.time.Instant;
import java.util.UUID;

/**
 * One message ready for a provider: the unit of delivery.
 *
 * @param id         the notification id; stable across retries, so providers that support idempotency ids
 *                   (apns-id, SES/SendGrid custom args) pass it on and a retried send is not delivered twice
 * @param appId      the calling app, e.g. to choose the From address of email
 * @param attempt    1 for the first try
 * @param expiresAt  null when the message never expires; providers map it (apns-expiration, FCM ttl, Web Push TTL)
 * @param category   the category (transactional, marketing, ...), may be null
 */
public record OutboundMessage(UUID id, long appId, String eventId, Channel channel, Target target, Priority priority,
                              Content content, String category, Instant expiresAt, int attempt) {
}

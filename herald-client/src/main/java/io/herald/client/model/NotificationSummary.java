package io.herald.client.model;

import java.util.UUID;

/**
 * One notification created by a send: one per channel and target. A recipient problem (opted out, no device,
 * invalid address, rate limited) is not an error: it is a notification in a terminal status with its reason.
 *
 * @param target the masked address, number or device the notification goes to
 * @param reason why it ended early, when it did; null otherwise
 */
public record NotificationSummary(UUID id, Channel channel, String target, Status status, Reason reason) {
}

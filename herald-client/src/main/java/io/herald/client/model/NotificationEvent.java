package io.herald.client.model;

import java.time.Instant;

/**
 * One entry of a notification's history.
 *
 * @param status  a {@link Status} name, or a tracking event reported with {@code trackEvent}
 *                ({@code DELIVERED}, {@code OPENED}, {@code CLICKED}, {@code CONVERTED}); a string because the
 *                history holds both
 * @param attempt the delivery attempt this entry belongs to, if any
 */
public record NotificationEvent(String status, Instant at, Integer attempt, String provider, Reason reason, String detail) {
}

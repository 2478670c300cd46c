package io.herald.server.api;

import java.util.List;
import java.util.Map;

/** JSON shapes of the send API, as received. Enums are strings here so a bad value gets a field-level message. */
public final class SendBodies {

    private SendBodies() {
    }

    public record Send(String eventId, String userId, To to, List<String> channels, String template, Integer templateVersion,
                       Map<String, Object> data, String locale, ContentBody content, String category, String priority,
                       String sendAt, String expiresAt, String topic, AudienceBody audience, DeliverAt deliverAt,
                       DigestBody digest) {
    }

    /** Merge this user's sends with the same key inside the window (ISO-8601 duration, e.g. "PT10M") into one delivery. */
    public record DigestBody(String key, String window) {
    }

    /** A wall-clock time in the recipient's zone ("09:00"), on a given date or the next time it comes. */
    public record DeliverAt(String localTime, String date) {
    }

    /** Exactly one of all (true), topic and filter. */
    public record AudienceBody(Boolean all, String topic, AudienceFilter filter) {
    }

    public record AudienceFilter(String locale, String timezone, Map<String, Object> attributes) {
    }

    public record To(String email, String phone, DeviceBody device) {
    }

    public record DeviceBody(String platform, String token, Subscription subscription) {
    }

    public record Subscription(String endpoint, Keys keys) {
    }

    public record Keys(String p256dh, String auth) {
    }

    public record ContentBody(String title, String body, String subject, String html, String text, String url, Map<String, String> data) {
    }

    public record Batch(List<Send> notifications) {
    }

    public record TrackingEvent(String type, String at, String detail) {
    }
}

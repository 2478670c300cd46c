package io.herald.core.template;

/**
 * Per-channel size limits that rendering enforces, so an oversized message fails at intake (422 / TEMPLATE_ERROR)
 * instead of at the provider.
 *
 * @param maxSmsSegments      most SMS segments one message may take (see {@link SmsLength}); carriers bill each
 * @param maxPushPayloadBytes budget for a push payload's title, body, url and data as JSON; APNs refuses
 *                            payloads over 4096 bytes (FCM allows about 4000, Web Push about 4000 after encryption)
 */
public record RenderLimits(int maxSmsSegments, int maxPushPayloadBytes) {

    public static final RenderLimits DEFAULTS = new RenderLimits(10, 4096);

    public RenderLimits {
        if (maxSmsSegments < 1) throw new IllegalArgumentException("maxSmsSegments must be at least 1");
        if (maxPushPayloadBytes < 256) throw new IllegalArgumentException("maxPushPayloadBytes must be at least 256");
    }
}

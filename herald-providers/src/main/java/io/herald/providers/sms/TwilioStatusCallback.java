package io.herald.providers.sms;

import io.herald.core.model.Reason;
import io.herald.core.provider.DeliveryReceipts;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Turns one Twilio message status callback (form fields {@code MessageSid}, {@code MessageStatus},
 * {@code ErrorCode}; https://www.twilio.com/docs/messaging/guides/track-outbound-message-status) into a delivery
 * receipt. {@code delivered} records delivery; {@code undelivered} and {@code failed} record a failure with the
 * error code in the detail (30005 unknown destination and 30006 landline/unreachable carrier as
 * {@link Reason#INVALID_RECIPIENT}, everything else as {@link Reason#PROVIDER_REJECTED}); intermediate statuses
 * (queued, sending, sent, accepted, scheduled, ...) are ignored, since Herald already knows the message was sent.
 *
 * <p>The caller (the server's HTTP endpoint) must check {@link TwilioSignature} first and answer Twilio 2xx for
 * every outcome except an exception, so Twilio does not retry a callback that cannot be applied. Twilio callbacks
 * carry no event time, so the receipt is stamped with the clock. Thread-safe if the receipts are.
 */
public final class TwilioStatusCallback {

    /** What became of one callback. */
    public enum Outcome {
        DELIVERED, FAILED, IGNORED,
        /** No notification has that MessageSid (e.g. a message sent outside Herald). */
        UNKNOWN_MESSAGE,
        /** MessageSid or MessageStatus missing. */
        MALFORMED
    }

    private static final Set<String> INVALID_RECIPIENT_CODES = Set.of("30005", "30006");

    private final DeliveryReceipts receipts;
    private final Clock clock;
    private final String provider;

    /** @param provider the name the sends were recorded under, i.e. {@link TwilioSmsProvider#name()} */
    public TwilioStatusCallback(DeliveryReceipts receipts, Clock clock, String provider) {
        this.receipts = Objects.requireNonNull(receipts, "receipts");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.provider = Objects.requireNonNull(provider, "provider");
    }

    public TwilioStatusCallback(DeliveryReceipts receipts, Clock clock) {
        this(receipts, clock, "twilio");
    }

    public Outcome handle(Map<String, String> form) {
        String sid = form.getOrDefault("MessageSid", form.get("SmsSid"));
        String status = form.getOrDefault("MessageStatus", form.get("SmsStatus"));
        if (sid == null || sid.isBlank() || status == null || status.isBlank()) return Outcome.MALFORMED;
        return switch (status) {
            case "delivered" -> receipts.delivered(provider, sid, clock.instant(), "twilio: delivered")
                    ? Outcome.DELIVERED
                    : Outcome.UNKNOWN_MESSAGE;
            case "undelivered", "failed" -> {
                String code = form.get("ErrorCode");
                Reason reason = code != null && INVALID_RECIPIENT_CODES.contains(code)
                        ? Reason.INVALID_RECIPIENT
                        : Reason.PROVIDER_REJECTED;
                String detail = "twilio: " + status + (code != null && !code.isBlank() ? " ErrorCode " + code : "");
                yield receipts.failed(provider, sid, reason, clock.instant(), detail)
                        ? Outcome.FAILED
                        : Outcome.UNKNOWN_MESSAGE;
            }
            default -> Outcome.IGNORED;
        };
    }
}

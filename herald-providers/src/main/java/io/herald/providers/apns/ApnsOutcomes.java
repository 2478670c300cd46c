package io.herald.providers.apns;

import com.eatthepath.pushy.apns.PushNotificationResponse;
import io.herald.core.model.Reason;
import io.herald.core.provider.SendResult;

import java.util.Set;

/**
 * Turns APNs answers into {@link SendResult}s. Reason strings are Apple's (see "Handling notification responses
 * from APNs" in Apple's documentation). Pure and thread-safe.
 */
final class ApnsOutcomes {

    /**
     * The token will never work for this app again. BadDeviceToken also covers a sandbox token sent to the production
     * gateway (or the reverse): still permanent for this provider configuration.
     */
    private static final Set<String> TOKEN_GONE = Set.of("BadDeviceToken", "Unregistered", "DeviceTokenNotForTopic");

    /**
     * Worth retrying. ExpiredProviderToken: pushy signs a fresh token on that answer, so the retry succeeds.
     * TooManyProviderTokenUpdates and IdleTimeout are connection-level hiccups, not about this message.
     */
    private static final Set<String> TRANSIENT = Set.of("TooManyRequests", "InternalServerError", "ServiceUnavailable",
            "Shutdown", "ExpiredProviderToken", "TooManyProviderTokenUpdates", "IdleTimeout");

    private ApnsOutcomes() {
    }

    static SendResult of(PushNotificationResponse<?> response) {
        if (response.isAccepted()) {
            return SendResult.accepted(response.getApnsId().toString());
        }
        int status = response.getStatusCode();
        String reason = response.getRejectionReason().orElse("HTTP " + status);
        String detail = "APNs " + status + " " + reason;
        if (TOKEN_GONE.contains(reason)) {
            // 410 Unregistered carries the time APNs learnt the token was invalid; a device re-registered after it stays active.
            return new SendResult.Rejected(Reason.TOKEN_UNREGISTERED, detail, response.getTokenInvalidationTimestamp().orElse(null));
        }
        if (TRANSIENT.contains(reason) || status >= 500) {
            // APNs sends no Retry-After header, so the retry policy's own backoff applies.
            return SendResult.failed(detail);
        }
        return SendResult.rejected(Reason.PROVIDER_REJECTED, detail);
    }

    static SendResult of(Throwable failure) {
        return SendResult.failed("APNs: " + describe(failure));
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}

package io.herald.providers.sms;

import io.herald.core.model.Reason;
import io.herald.core.provider.DeliveryReceipts;
import io.herald.testkit.SettableClock;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TwilioStatusCallbackTest {

    record Receipt(String kind, String provider, String sid, Reason reason, Instant at, String detail) {
    }

    private final List<Receipt> receipts = new ArrayList<>();
    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-23T09:00:00Z"));
    private final TwilioStatusCallback callback = new TwilioStatusCallback(new DeliveryReceipts() {
        @Override
        public boolean delivered(String provider, String id, Instant at, String detail) {
            receipts.add(new Receipt("delivered", provider, id, null, at, detail));
            return !id.equals("SMunknown");
        }

        @Override
        public boolean failed(String provider, String id, Reason reason, Instant at, String detail) {
            receipts.add(new Receipt("failed", provider, id, reason, at, detail));
            return !id.equals("SMunknown");
        }
    }, clock);

    @Test
    void deliveredRecordsDeliveryAtTheClocksTime() {
        assertThat(callback.handle(Map.of("MessageSid", "SM1", "MessageStatus", "delivered", "AccountSid", "AC1")))
                .isEqualTo(TwilioStatusCallback.Outcome.DELIVERED);
        assertThat(receipts).containsExactly(new Receipt("delivered", "twilio", "SM1", null, clock.instant(), "twilio: delivered"));
    }

    @Test
    void undeliveredAndFailedRecordAFailureWithTheErrorCode() {
        assertThat(callback.handle(Map.of("MessageSid", "SM2", "MessageStatus", "undelivered", "ErrorCode", "30007")))
                .isEqualTo(TwilioStatusCallback.Outcome.FAILED);
        assertThat(callback.handle(Map.of("MessageSid", "SM3", "MessageStatus", "failed", "ErrorCode", "30005")))
                .isEqualTo(TwilioStatusCallback.Outcome.FAILED);
        assertThat(receipts).extracting(Receipt::sid, Receipt::reason, Receipt::detail).containsExactly(
                org.assertj.core.groups.Tuple.tuple("SM2", Reason.PROVIDER_REJECTED, "twilio: undelivered ErrorCode 30007"),
                org.assertj.core.groups.Tuple.tuple("SM3", Reason.INVALID_RECIPIENT, "twilio: failed ErrorCode 30005"));
    }

    @Test
    void intermediateStatusesAreIgnored() {
        for (String status : List.of("queued", "sending", "sent", "accepted", "scheduled")) {
            assertThat(callback.handle(Map.of("MessageSid", "SM4", "MessageStatus", status)))
                    .isEqualTo(TwilioStatusCallback.Outcome.IGNORED);
        }
        assertThat(receipts).isEmpty();
    }

    @Test
    void unknownAndMalformedCallbacksAreReported() {
        assertThat(callback.handle(Map.of("MessageSid", "SMunknown", "MessageStatus", "delivered")))
                .isEqualTo(TwilioStatusCallback.Outcome.UNKNOWN_MESSAGE);
        assertThat(callback.handle(Map.of("MessageStatus", "delivered"))).isEqualTo(TwilioStatusCallback.Outcome.MALFORMED);
        assertThat(callback.handle(Map.of("MessageSid", "SM5"))).isEqualTo(TwilioStatusCallback.Outcome.MALFORMED);
        assertThat(callback.handle(Map.of("SmsSid", "SM6", "SmsStatus", "delivered"))) // legacy field names
                .isEqualTo(TwilioStatusCallback.Outcome.DELIVERED);
    }
}

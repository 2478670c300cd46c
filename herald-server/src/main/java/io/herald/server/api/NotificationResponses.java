package io.herald.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.herald.core.intake.SendReceipt;
import io.herald.core.model.Channel;
import io.herald.core.model.Reason;
import io.herald.core.model.Status;
import io.herald.core.trace.NotificationTraces.NotificationView;
import io.herald.server.http.ApiProblem;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The JSON answers of /v1/notifications; absent values are left out. */
final class NotificationResponses {

    private NotificationResponses() {
    }

    @Schema(description = "The answer to a send: one notification per channel and target")
    record Receipt(@Schema(example = "order-1234-shipped") String eventId, List<ReceiptItem> notifications) {
        static Receipt of(SendReceipt r) {
            return new Receipt(r.eventId(), r.notifications().stream().map(ReceiptItem::of).toList());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ReceiptItem(UUID id, Channel channel,
                       @JsonInclude(JsonInclude.Include.ALWAYS) // shown as null when there was no recipient, as the contract lists it
                       @Schema(description = "masked; null when there was no recipient", example = "a***@example.com") String target,
                       Status status, Reason reason) {
        static ReceiptItem of(SendReceipt.Item i) {
            return new ReceiptItem(i.id(), i.channel(), i.target(), i.status(), i.reason());
        }
    }

    /** One item of a batch: a receipt with its HTTP status, or a problem of its own. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record BatchResult(@Schema(description = "200 (replay), 202 (accepted) or the problem's 4xx") int status,
                       String eventId, List<ReceiptItem> notifications,
                       String title, String detail, List<ApiProblem.FieldError> errors) {
        static BatchResult accepted(boolean replay, SendReceipt r) {
            return new BatchResult(replay ? 200 : 202, r.eventId(), r.notifications().stream().map(ReceiptItem::of).toList(),
                    null, null, null);
        }
    }

    record BatchResults(List<BatchResult> results) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Trace(UUID id, String eventId, @Schema(description = "the broadcast this notification came from") UUID broadcastId,
                 String userId, Channel channel, String priority, String category,
                 String template, Integer templateVersion, @Schema(description = "masked") String target, Status status,
                 String reason, String detail, int attempts, String provider, String providerMessageId, Instant sendAt,
                 Instant expiresAt, Instant createdAt, Instant updatedAt,
                 @Schema(description = "history, oldest first; only when reading one notification") List<TraceEvent> events) {
        static Trace of(NotificationView v) {
            return new Trace(v.id(), v.eventId(), v.broadcastId(), v.userId(), v.channel(), v.priority(), v.category(), v.templateKey(),
                    v.templateVersion(), v.target(), v.status(), v.reason(), v.detail(), v.attempts(), v.provider(),
                    v.providerMessageId(), v.sendAt(), v.expiresAt(), v.createdAt(), v.updatedAt(),
                    v.events() == null || v.events().isEmpty()
                            ? null
                            : v.events().stream().map(e -> new TraceEvent(e.status(), e.at(), e.attempt(), e.provider(),
                                    e.reason(), e.detail())).toList());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TraceEvent(@Schema(description = "a status, or a tracking event such as OPENED") String status, Instant at,
                      Integer attempt, String provider, String reason, String detail) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TracePage(List<Trace> items, @Schema(description = "absent on the last page") String nextCursor) {
    }

    record Tracked(UUID id, String type, Instant at) {
    }
}

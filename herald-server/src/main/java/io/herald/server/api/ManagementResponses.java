package io.herald.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.herald.core.queue.DeliveryQueue;
import io.herald.server.security.Role;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The JSON answers of the operators' API. */
public final class ManagementResponses {

    private ManagementResponses() {
    }

    @Schema(description = "A new app; appSecret is shown this once (only its hash is stored)")
    public record CreatedApp(@Schema(example = "app_3f9c2a") String appKey, String appSecret, String name,
                             @Schema(example = "[\"send\", \"users\", \"read\"]") List<String> scopes, Instant createdAt) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record App(String appKey, String name, List<String> scopes, Instant createdAt, Instant revokedAt) {
    }

    record Apps(List<App> items) {
    }

    @Schema(description = "The new secret, shown this once")
    record RotatedSecret(String appKey, String appSecret) {
    }

    record CreatedAccount(String username, Role role, Instant createdAt) {
    }

    record Account(String username, String role, boolean active, Instant createdAt) {
    }

    record Accounts(List<Account> items) {
    }

    record RoleChanged(String username, Role role) {
    }

    record Queues(List<DeliveryQueue.LaneStats> lanes) {
    }

    public record Requeued(int requeued) {
    }

    record AuditEntry(Instant at, String actor, String action, String entityType, String entityId,
                      @Schema(description = "what changed, as a JSON object") Map<String, Object> diff) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record AuditPage(List<AuditEntry> items, @Schema(description = "absent on the last page") String nextCursor) {
    }
}

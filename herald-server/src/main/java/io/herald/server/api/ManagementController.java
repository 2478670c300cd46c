package io.herald.server.api;

import io.herald.core.admin.AccountAdmin;
import io.herald.core.admin.AppAdmin;
import io.herald.core.admin.AuditTrail;
import io.herald.core.queue.DeliveryQueue;
import io.herald.server.admin.Administration;
import io.herald.server.api.ManagementResponses.Account;
import io.herald.server.api.ManagementResponses.Accounts;
import io.herald.server.api.ManagementResponses.App;
import io.herald.server.api.ManagementResponses.Apps;
import io.herald.server.api.ManagementResponses.AuditEntry;
import io.herald.server.api.ManagementResponses.AuditPage;
import io.herald.server.api.ManagementResponses.CreatedAccount;
import io.herald.server.api.ManagementResponses.CreatedApp;
import io.herald.server.api.ManagementResponses.Queues;
import io.herald.server.api.ManagementResponses.Requeued;
import io.herald.server.api.ManagementResponses.RoleChanged;
import io.herald.server.api.ManagementResponses.RotatedSecret;
import io.herald.server.http.ApiProblem;
import io.herald.server.http.Checks;
import io.herald.server.security.Callers;
import io.herald.server.security.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Operators' API: accounts, apps, queues, dead letters and the audit trail. Changes go through {@link Administration}, as the console's do. */
@RestController
public class ManagementController {

    private final Administration admin;
    private final AccountAdmin accounts;
    private final AppAdmin apps;
    private final AuditTrail audit;
    private final JsonMapper json;
    private final DeliveryQueue queue;
    private final Clock clock;

    public ManagementController(Administration admin, AppAdmin apps, AccountAdmin accounts, AuditTrail audit, DeliveryQueue queue,
                                Clock clock, JsonMapper json) {
        this.admin = admin;
        this.json = json;
        this.apps = apps;
        this.accounts = accounts;
        this.audit = audit;
        this.queue = queue;
        this.clock = clock;
    }

    public record AppBody(String name, List<String> scopes) {
    }

    public record AccountBody(String username, String password, String role) {
    }

    public record RequeueBody(List<UUID> ids) {
    }

    @PostMapping("/v1/apps")
    @Operation(summary = "Register a client app; its secret is shown once")
    @ApiResponse(responseCode = "201", description = "created", content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json", schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = CreatedApp.class)))
    @ProblemResponses({400, 401, 403, 413, 415, 422, 503})
    public ResponseEntity<CreatedApp> createApp(@io.swagger.v3.oas.annotations.parameters.RequestBody(content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json", examples = @io.swagger.v3.oas.annotations.media.ExampleObject(value = ApiExamples.APP))) @RequestBody AppBody body,
                                                HttpServletRequest req) {
        var op = Callers.operator(req, Role.ADMIN);
        var a = admin.createApp(op, body == null ? null : body.name(), body == null ? null : body.scopes());
        return ResponseEntity.status(201).body(new CreatedApp(a.appKey(), a.appSecret(), a.name(), a.scopes(), a.createdAt()));
    }

    @GetMapping("/v1/apps")
    @ProblemResponses({401, 403, 503})
    public Apps listApps(HttpServletRequest req) {
        Callers.operator(req, Role.ADMIN);
        return new Apps(apps.all().stream().map(a -> new App(a.appKey(), a.name(), a.scopes(), a.createdAt(), a.revokedAt())).toList());
    }

    /** A new secret, shown once; the old secret and every inbox token minted with it stop working. */
    @PostMapping("/v1/apps/{appKey}/rotate-secret")
    @ProblemResponses({401, 403, 404, 503})
    public RotatedSecret rotateSecret(@PathVariable String appKey, HttpServletRequest req) {
        return new RotatedSecret(appKey, admin.rotateSecret(Callers.operator(req, Role.ADMIN), appKey));
    }

    @DeleteMapping("/v1/apps/{appKey}")
    @ApiResponse(responseCode = "204", description = "revoked")
    @ProblemResponses({401, 403, 404, 503})
    public ResponseEntity<Void> revokeApp(@PathVariable String appKey, HttpServletRequest req) {
        admin.revokeApp(Callers.operator(req, Role.ADMIN), appKey);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/v1/accounts")
    @ApiResponse(responseCode = "201", description = "created", content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json", schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = CreatedAccount.class)))
    @ProblemResponses({400, 401, 403, 409, 413, 415, 422, 503})
    public ResponseEntity<CreatedAccount> createAccount(@RequestBody AccountBody body, HttpServletRequest req) {
        var op = Callers.operator(req, Role.ADMIN);
        if (body == null) throw ApiProblem.invalid("body", "is required");
        var a = admin.createAccount(op, body.username(), body.password(), body.role());
        return ResponseEntity.status(201).body(new CreatedAccount(a.username(), a.role(), a.createdAt()));
    }

    @GetMapping("/v1/accounts")
    @ProblemResponses({401, 403, 503})
    public Accounts listAccounts(HttpServletRequest req) {
        Callers.operator(req, Role.ADMIN);
        return new Accounts(accounts.all().stream().map(a -> new Account(a.username(), a.role(), a.active(), a.createdAt())).toList());
    }

    @PutMapping("/v1/accounts/{username}")
    @ProblemResponses({400, 401, 403, 404, 413, 415, 422, 503})
    public RoleChanged changeRole(@PathVariable String username, @RequestBody AccountBody body, HttpServletRequest req) {
        var op = Callers.operator(req, Role.ADMIN);
        return new RoleChanged(username, admin.changeRole(op, username, body == null ? null : body.role()));
    }

    @DeleteMapping("/v1/accounts/{username}")
    @ApiResponse(responseCode = "204", description = "disabled")
    @ProblemResponses({401, 403, 404, 409, 503})
    public ResponseEntity<Void> disableAccount(@PathVariable String username, HttpServletRequest req) {
        admin.disableAccount(Callers.operator(req, Role.ADMIN), username);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/v1/queues")
    @ProblemResponses({401, 403, 503})
    public Queues queues(HttpServletRequest req) {
        Callers.operator(req, Role.VIEWER);
        return new Queues(queue.stats(clock.instant()));
    }

    @PostMapping("/v1/dead-letters/requeue")
    @ProblemResponses({400, 401, 403, 413, 415, 422, 503})
    public Requeued requeue(@RequestBody RequeueBody body, HttpServletRequest req) {
        return new Requeued(admin.requeueDeadLetters(Callers.operator(req, Role.ADMIN), body == null ? null : body.ids()));
    }

    @GetMapping("/v1/audit")
    @ProblemResponses({400, 401, 403, 503})
    public AuditPage audit(@RequestParam(required = false) String entityType, @RequestParam(required = false) String entityId,
                           @RequestParam(required = false) String actor, @RequestParam(required = false) String from,
                           @RequestParam(required = false) String to, @RequestParam(required = false) String cursor,
                           @RequestParam(required = false) Integer limit, HttpServletRequest req) {
        Callers.operator(req, Role.VIEWER);
        Checks c = new Checks();
        Instant f = c.instant("from", from), t = c.instant("to", to);
        int lim = limit == null ? 50 : limit;
        if (lim < 1 || lim > 500) c.add("limit", "must be between 1 and 500");
        Long after = null;
        if (cursor != null) {
            try {
                after = Long.parseLong(new String(java.util.Base64.getUrlDecoder().decode(cursor)));
            } catch (RuntimeException e) {
                c.add("cursor", "is not a cursor this API gave out");
            }
        }
        c.throwAsBadParameters();
        var rows = audit.search(new AuditTrail.Filter(entityType, entityId, actor, f, t, after, lim + 1));
        boolean more = rows.size() > lim;
        var shown = more ? rows.subList(0, lim) : rows;
        String next = more
                ? java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(String.valueOf(shown.getLast().id()).getBytes())
                : null;
        return new AuditPage(shown.stream().map(e -> new AuditEntry(e.at(), e.actor(), e.action(), e.entityType(), e.entityId(),
                diff(e.diffJson()))).toList(), next);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> diff(String diffJson) {
        return json.readValue(diffJson, java.util.LinkedHashMap.class);
    }
}

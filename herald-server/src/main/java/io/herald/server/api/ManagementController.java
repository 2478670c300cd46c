package io.herald.server.api;

import io.herald.core.queue.DeliveryQueue;
import io.herald.core.admin.AccountAdmin;
import io.herald.core.admin.AppAdmin;
import io.herald.core.admin.AuditTrail;
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
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.herald.server.security.Authenticator;
import io.herald.server.security.Role;
import io.herald.server.security.Scope;
import io.herald.server.security.Secrets;
import io.herald.server.http.ApiProblem;
import io.herald.server.http.Checks;
import io.herald.server.http.FieldLimits;
import io.herald.server.security.Callers;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
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

/** Operators' API: accounts, apps, queues, dead letters and the audit trail. Every change is audited in its own transaction. */
@RestController
public class ManagementController {

    private final AppAdmin apps;
    private final AccountAdmin accounts;
    private final AuditTrail audit;
    private final JsonMapper json;
    private final DeliveryQueue queue;
    private final Authenticator authenticator;
    private final Authenticator.PasswordHasher passwords;
    private final TransactionTemplate tx;
    private final Clock clock;

    public ManagementController(AppAdmin apps, AccountAdmin accounts, AuditTrail audit, DeliveryQueue queue,
                                Authenticator authenticator, Authenticator.PasswordHasher passwords, TransactionTemplate tx, Clock clock,
                                JsonMapper json) {
        this.json = json;
        this.apps = apps;
        this.accounts = accounts;
        this.audit = audit;
        this.queue = queue;
        this.authenticator = authenticator;
        this.passwords = passwords;
        this.tx = tx;
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
    public ResponseEntity<CreatedApp> createApp(@io.swagger.v3.oas.annotations.parameters.RequestBody(content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json", examples = @io.swagger.v3.oas.annotations.media.ExampleObject(value = ApiExamples.APP)))
            @RequestBody AppBody body, HttpServletRequest req) {
        var op = Callers.operator(req, Role.ADMIN);
        Checks c = new Checks();
        if (body == null || body.name() == null || body.name().isBlank() || body.name().length() > FieldLimits.APP_NAME) {
            c.add("name", "is required (1 to " + FieldLimits.APP_NAME + " characters)");
        }
        List<String> scopes = scopes(body == null ? null : body.scopes(), c);
        c.throwIfAny();
        String key = Secrets.newAppKey(), secret = Secrets.newAppSecret();
        Instant now = clock.instant();
        tx.executeWithoutResult(s -> {
            apps.create(key, Secrets.hash(secret), body.name(), scopes, now).orElseThrow();
            audit.record(now, op.username(), "CREATE", "app", key, json(Map.of("name", body.name(), "scopes", scopes)));
        });
        // the secret is shown once; only its hash is stored
        return ResponseEntity.status(201).body(new CreatedApp(key, secret, body.name(), scopes, now));
    }

    /** Scope names, checked, without duplicates, in a stable order; every scope when none are given. */
    private static List<String> scopes(List<String> requested, Checks c) {
        if (requested == null) return Scope.ALL.stream().map(Scope::apiName).sorted().toList();
        if (requested.isEmpty()) c.add("scopes", "must name at least one scope, or be left out for all of them");
        java.util.TreeSet<String> out = new java.util.TreeSet<>();
        for (int i = 0; i < requested.size(); i++) {
            String name = requested.get(i);
            if (name == null || Scope.parse(name).isEmpty()) {
                c.add("scopes[" + i + "]", "unknown scope; use " + java.util.Arrays.stream(Scope.values()).map(Scope::apiName).toList());
            } else {
                out.add(name);
            }
        }
        return List.copyOf(out);
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
        var op = Callers.operator(req, Role.ADMIN);
        String secret = Secrets.newAppSecret();
        Instant now = clock.instant();
        Boolean done = tx.execute(s -> {
            if (!apps.rotateSecret(appKey, Secrets.hash(secret))) return false;
            audit.record(now, op.username(), "ROTATE_SECRET", "app", appKey, "{}");
            return true;
        });
        if (!Boolean.TRUE.equals(done)) throw ApiProblem.notFound("active app " + appKey);
        authenticator.forgetApp(appKey);
        return new RotatedSecret(appKey, secret); // shown once; only its hash is stored
    }

    @DeleteMapping("/v1/apps/{appKey}")
    @ApiResponse(responseCode = "204", description = "revoked")
    @ProblemResponses({401, 403, 404, 503})
    public ResponseEntity<Void> revokeApp(@PathVariable String appKey, HttpServletRequest req) {
        var op = Callers.operator(req, Role.ADMIN);
        Instant now = clock.instant();
        Boolean done = tx.execute(s -> {
            if (!apps.revoke(appKey, now)) return false;
            audit.record(now, op.username(), "REVOKE", "app", appKey, "{}");
            return true;
        });
        if (!Boolean.TRUE.equals(done)) throw ApiProblem.notFound("active app " + appKey);
        authenticator.forgetApp(appKey);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/v1/accounts")
    @ApiResponse(responseCode = "201", description = "created", content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json", schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = CreatedAccount.class)))
    @ProblemResponses({400, 401, 403, 409, 413, 415, 422, 503})
    public ResponseEntity<CreatedAccount> createAccount(@RequestBody AccountBody body, HttpServletRequest req) {
        var op = Callers.operator(req, Role.ADMIN);
        Checks c = new Checks();
        if (body == null) throw ApiProblem.invalid("body", "is required");
        if (body.username() == null || !body.username().matches("[A-Za-z0-9._@\\-]{3,64}")) c.add("username", "3 to 64 characters of letters, digits and . _ @ -");
        if (body.password() == null || body.password().length() < 12) c.add("password", "must be at least 12 characters");
        else if (body.password().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > FieldLimits.PASSWORD_BYTES) {
            c.add("password", "must be at most " + FieldLimits.PASSWORD_BYTES + " bytes in UTF-8");
        }
        Role role = body.role() == null ? null : c.oneOf("role", body.role(), Role.class);
        if (body.role() == null) c.add("role", "is required (VIEWER, EDITOR, PUBLISHER or ADMIN)");
        c.throwIfAny();
        Instant now = clock.instant();
        String hash = passwords.hash(body.password());
        Boolean created = tx.execute(s -> {
            if (!accounts.create(body.username(), hash, role.name(), now)) return false;
            audit.record(now, op.username(), "CREATE", "account", body.username(), json(Map.of("role", role.name())));
            return true;
        });
        if (!Boolean.TRUE.equals(created)) throw ApiProblem.conflict("account " + body.username() + " exists already");
        return ResponseEntity.status(201).body(new CreatedAccount(body.username(), role, now));
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
        Checks c = new Checks();
        Role role = body == null || body.role() == null ? null : c.oneOf("role", body.role(), Role.class);
        if (body == null || body.role() == null) c.add("role", "is required");
        c.throwIfAny();
        var before = accounts.get(username).orElseThrow(() -> ApiProblem.notFound("account " + username));
        Instant now = clock.instant();
        tx.executeWithoutResult(s -> {
            accounts.setRole(username, role.name(), now);
            audit.record(now, op.username(), "UPDATE", "account", username,
                    json(Map.of("role", Map.of("from", before.role(), "to", role.name()))));
        });
        authenticator.forgetOperator(username);
        return new RoleChanged(username, role);
    }

    @DeleteMapping("/v1/accounts/{username}")
    @ApiResponse(responseCode = "204", description = "disabled")
    @ProblemResponses({401, 403, 404, 409, 503})
    public ResponseEntity<Void> disableAccount(@PathVariable String username, HttpServletRequest req) {
        var op = Callers.operator(req, Role.ADMIN);
        if (op.username().equals(username)) throw ApiProblem.conflict("an admin cannot disable their own account");
        Instant now = clock.instant();
        Boolean done = tx.execute(s -> {
            if (!accounts.disable(username, now)) return false;
            audit.record(now, op.username(), "DISABLE", "account", username, "{}");
            return true;
        });
        if (!Boolean.TRUE.equals(done)) throw ApiProblem.notFound("active account " + username);
        authenticator.forgetOperator(username);
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
        var op = Callers.operator(req, Role.ADMIN);
        if (body == null || body.ids() == null || body.ids().isEmpty() || body.ids().size() > 1000) {
            throw ApiProblem.invalid("ids", "1 to 1000 notification ids");
        }
        Instant now = clock.instant();
        int n = queue.requeueDeadLetters(body.ids(), now);
        audit.record(now, op.username(), "REQUEUE", "dead-letters", String.valueOf(n), json(Map.of("ids", body.ids())));
        return new Requeued(n);
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
        String next = more ? java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(String.valueOf(shown.getLast().id()).getBytes()) : null;
        return new AuditPage(shown.stream().map(e -> new AuditEntry(e.at(), e.actor(), e.action(), e.entityType(), e.entityId(),
                diff(e.diffJson()))).toList(), next);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> diff(String diffJson) {
        return json.readValue(diffJson, java.util.LinkedHashMap.class);
    }

    private String json(Object o) {
        return json.writeValueAsString(o);
    }
}

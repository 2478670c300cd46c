package io.herald.server.admin;

import io.herald.core.admin.AccountAdmin;
import io.herald.core.admin.AppAdmin;
import io.herald.core.admin.AuditTrail;
import io.herald.core.queue.DeliveryQueue;
import io.herald.server.http.ApiProblem;
import io.herald.server.http.Checks;
import io.herald.server.http.FieldLimits;
import io.herald.server.security.Authenticator;
import io.herald.server.security.Callers;
import io.herald.server.security.OperatorPrincipal;
import io.herald.server.security.Role;
import io.herald.server.security.Scope;
import io.herald.server.security.Secrets;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What an operator changes about apps, accounts and dead letters, for the management API and the console alike: the
 * role check, validation (422 with field errors) and the audit entry live here once. Every change is audited in its
 * own transaction.
 */
@Service
public class Administration {

    /** A new app; its secret is shown once (only the hash is stored). */
    public record NewApp(String appKey, String appSecret, String name, List<String> scopes, Instant createdAt) {
    }

    public record NewAccount(String username, Role role, Instant createdAt) {
    }

    private final AppAdmin apps;
    private final AccountAdmin accounts;
    private final AuditTrail audit;
    private final JsonMapper json;
    private final DeliveryQueue queue;
    private final Authenticator authenticator;
    private final Authenticator.PasswordHasher passwords;
    private final TransactionTemplate tx;
    private final Clock clock;

    public Administration(AppAdmin apps, AccountAdmin accounts, AuditTrail audit, DeliveryQueue queue,
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

    /** Registers an app with the named scopes (every scope when null). */
    public NewApp createApp(OperatorPrincipal op, String name, List<String> requestedScopes) {
        Callers.require(op, Role.ADMIN);
        Checks c = new Checks();
        if (name == null || name.isBlank() || name.length() > FieldLimits.APP_NAME) {
            c.add("name", "is required (1 to " + FieldLimits.APP_NAME + " characters)");
        }
        List<String> scopes = scopes(requestedScopes, c);
        c.throwIfAny();
        String key = Secrets.newAppKey(), secret = Secrets.newAppSecret();
        Instant now = clock.instant();
        tx.executeWithoutResult(s -> {
            apps.create(key, Secrets.hash(secret), name, scopes, now).orElseThrow();
            audit.record(now, op.username(), "CREATE", "app", key, json(Map.of("name", name, "scopes", scopes)));
        });
        // the secret is shown once; only its hash is stored
        return new NewApp(key, secret, name, scopes, now);
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

    /** A new secret, shown once; the old secret and every inbox token minted with it stop working. */
    public String rotateSecret(OperatorPrincipal op, String appKey) {
        Callers.require(op, Role.ADMIN);
        String secret = Secrets.newAppSecret();
        Instant now = clock.instant();
        Boolean done = tx.execute(s -> {
            if (!apps.rotateSecret(appKey, Secrets.hash(secret))) return false;
            audit.record(now, op.username(), "ROTATE_SECRET", "app", appKey, "{}");
            return true;
        });
        if (!Boolean.TRUE.equals(done)) throw ApiProblem.notFound("active app " + appKey);
        authenticator.forgetApp(appKey);
        return secret; // shown once; only its hash is stored
    }

    public void revokeApp(OperatorPrincipal op, String appKey) {
        Callers.require(op, Role.ADMIN);
        Instant now = clock.instant();
        Boolean done = tx.execute(s -> {
            if (!apps.revoke(appKey, now)) return false;
            audit.record(now, op.username(), "REVOKE", "app", appKey, "{}");
            return true;
        });
        if (!Boolean.TRUE.equals(done)) throw ApiProblem.notFound("active app " + appKey);
        authenticator.forgetApp(appKey);
    }

    public NewAccount createAccount(OperatorPrincipal op, String username, String password, String roleName) {
        Callers.require(op, Role.ADMIN);
        Checks c = new Checks();
        if (username == null || !username.matches("[A-Za-z0-9._@\\-]{3,64}"))
            c.add("username", "3 to 64 characters of letters, digits and . _ @ -");
        if (password == null || password.length() < 12) c.add("password", "must be at least 12 characters");
        else if (password.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > FieldLimits.PASSWORD_BYTES) {
            c.add("password", "must be at most " + FieldLimits.PASSWORD_BYTES + " bytes in UTF-8");
        }
        Role role = roleName == null ? null : c.oneOf("role", roleName, Role.class);
        if (roleName == null) c.add("role", "is required (VIEWER, EDITOR, PUBLISHER or ADMIN)");
        c.throwIfAny();
        Instant now = clock.instant();
        String hash = passwords.hash(password);
        Boolean created = tx.execute(s -> {
            if (!accounts.create(username, hash, role.name(), now)) return false;
            audit.record(now, op.username(), "CREATE", "account", username, json(Map.of("role", role.name())));
            return true;
        });
        if (!Boolean.TRUE.equals(created)) throw ApiProblem.conflict("account " + username + " exists already");
        return new NewAccount(username, role, now);
    }

    public Role changeRole(OperatorPrincipal op, String username, String roleName) {
        Callers.require(op, Role.ADMIN);
        Checks c = new Checks();
        Role role = roleName == null ? null : c.oneOf("role", roleName, Role.class);
        if (roleName == null) c.add("role", "is required");
        c.throwIfAny();
        var before = accounts.get(username).orElseThrow(() -> ApiProblem.notFound("account " + username));
        Instant now = clock.instant();
        tx.executeWithoutResult(s -> {
            accounts.setRole(username, role.name(), now);
            audit.record(now, op.username(), "UPDATE", "account", username,
                    json(Map.of("role", Map.of("from", before.role(), "to", role.name()))));
        });
        authenticator.forgetOperator(username);
        return role;
    }

    public void disableAccount(OperatorPrincipal op, String username) {
        Callers.require(op, Role.ADMIN);
        if (op.username().equals(username)) throw ApiProblem.conflict("an admin cannot disable their own account");
        Instant now = clock.instant();
        Boolean done = tx.execute(s -> {
            if (!accounts.disable(username, now)) return false;
            audit.record(now, op.username(), "DISABLE", "account", username, "{}");
            return true;
        });
        if (!Boolean.TRUE.equals(done)) throw ApiProblem.notFound("active account " + username);
        authenticator.forgetOperator(username);
    }

    /** Puts dead-lettered notifications back in their queues; returns how many were. */
    public int requeueDeadLetters(OperatorPrincipal op, List<UUID> ids) {
        Callers.require(op, Role.ADMIN);
        if (ids == null || ids.isEmpty() || ids.size() > 1000) {
            throw ApiProblem.invalid("ids", "1 to 1000 notification ids");
        }
        Instant now = clock.instant();
        int n = queue.requeueDeadLetters(ids, now);
        audit.record(now, op.username(), "REQUEUE", "dead-letters", String.valueOf(n), json(Map.of("ids", ids)));
        return n;
    }

    private String json(Object o) {
        return json.writeValueAsString(o);
    }
}

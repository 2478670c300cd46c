package io.herald.server.security;

import io.herald.postgres.PostgresAccountStore;
import io.herald.postgres.PostgresAppStore;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks app and operator credentials. Verified credentials are trusted for a few seconds without another
 * database read (or, for operators, another slow password hash); revocation through this process takes effect at once.
 */
public final class Authenticator {

    private final PostgresAppStore apps;
    private final PostgresAccountStore accounts;
    private final PasswordHasher passwords;
    private final long ttlNanos;
    private final ConcurrentHashMap<String, Cached<AppPrincipal>> appCache = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Cached<OperatorPrincipal>> operatorCache = new ConcurrentHashMap<>();

    private record Cached<T>(T principal, String fingerprint, long until) {
    }

    public Authenticator(PostgresAppStore apps, PostgresAccountStore accounts, PasswordHasher passwords, Duration cacheTtl) {
        this.apps = apps;
        this.accounts = accounts;
        this.passwords = passwords;
        this.ttlNanos = cacheTtl.toNanos();
    }

    public Optional<AppPrincipal> app(BasicCredentials c) {
        String fp = fingerprint(c);
        Cached<AppPrincipal> hit = appCache.get(c.user());
        if (hit != null && hit.until() - System.nanoTime() > 0 && java.security.MessageDigest.isEqual(hit.fingerprint().getBytes(), fp.getBytes())) {
            return Optional.of(hit.principal());
        }
        Optional<AppPrincipal> found = apps.byKey(c.user()).filter(PostgresAppStore.AppRow::active)
                .filter(a -> Secrets.matches(c.password(), a.secretHash())).map(a -> new AppPrincipal(a.id(), a.appKey(), scopesOf(a)));
        found.ifPresentOrElse(p -> appCache.put(c.user(), new Cached<>(p, fp, System.nanoTime() + ttlNanos)), () -> appCache.remove(c.user()));
        return found;
    }

    /** Stored names that this version does not know are ignored, never widened. */
    private static java.util.Set<Scope> scopesOf(PostgresAppStore.AppRow a) {
        return a.scopes().stream().map(Scope::parse).flatMap(Optional::stream).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    public Optional<OperatorPrincipal> operator(BasicCredentials c) {
        String fp = fingerprint(c);
        Cached<OperatorPrincipal> hit = operatorCache.get(c.user());
        if (hit != null && hit.until() - System.nanoTime() > 0 && java.security.MessageDigest.isEqual(hit.fingerprint().getBytes(), fp.getBytes())) {
            return Optional.of(hit.principal());
        }
        Optional<OperatorPrincipal> found = accounts.get(c.user()).filter(PostgresAccountStore.AccountRow::active)
                .filter(a -> passwords.matches(c.password(), a.passwordHash()))
                .map(a -> new OperatorPrincipal(a.username(), Role.valueOf(a.role())));
        found.ifPresentOrElse(p -> operatorCache.put(c.user(), new Cached<>(p, fp, System.nanoTime() + ttlNanos)), () -> operatorCache.remove(c.user()));
        return found;
    }

    public void forgetApp(String appKey) {
        appCache.remove(appKey);
    }

    public void forgetOperator(String username) {
        operatorCache.remove(username);
    }

    private static String fingerprint(BasicCredentials c) {
        return HexFormat.of().formatHex(Secrets.sha256(c.user() + "\u0000" + c.password()));
    }

    /** Slow, salted password hashing for operator accounts (BCrypt). */
    public static final class PasswordHasher {
        private final BCryptPasswordEncoder encoder = new BCryptPasswordEncoder(10);

        public String hash(String password) {
            return encoder.encode(password);
        }

        public boolean matches(String password, String hash) {
            // BCrypt refuses (throws on) passwords over 72 bytes; none was ever stored, so such a password is simply wrong
            if (password == null || password.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 72) return false;
            return hash != null && encoder.matches(password, hash);
        }
    }
}

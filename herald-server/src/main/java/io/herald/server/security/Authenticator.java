package io.herald.server.security;

import io.herald.core.admin.AccountAdmin;
import io.herald.core.admin.AppAdmin;
import io.herald.core.cache.InvalidationBus;
import io.herald.core.cache.ReadCache;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Checks app and operator credentials. Verified credentials are trusted for a few seconds without another
 * database read (or, for operators, another slow password hash); revocation through this process takes effect at once,
 * even against a check that was under way (see {@link ReadCache}).
 */
public final class Authenticator {

    private final AppAdmin apps;
    private final AccountAdmin accounts;
    private final PasswordHasher passwords;
    private final LoginThrottle throttle;
    /** Made at the first operator login, not on the start-up path (one BCrypt hash: ~0.1 s of CPU). */
    private volatile String dummyHash;
    private final ReadCache<String, Cached<AppPrincipal>> appCache;
    private final ReadCache<String, Cached<OperatorPrincipal>> operatorCache;

    /** A verified principal and the fingerprint of the credentials that proved it. */
    private record Cached<T>(T principal, String fingerprint) {
        boolean matches(String fp) {
            return java.security.MessageDigest.isEqual(fingerprint.getBytes(), fp.getBytes());
        }
    }

    private static final int MAX_CACHED = 10_000;
    /** Topics of the invalidation bus: an app's credentials (by app key), an operator's (by username). */
    public static final String APPS_TOPIC = "apps";
    public static final String OPERATORS_TOPIC = "operators";
    private volatile InvalidationBus bus;

    public Authenticator(AppAdmin apps, AccountAdmin accounts, PasswordHasher passwords, LoginThrottle throttle,
                         Duration cacheTtl) {
        this.apps = apps;
        this.accounts = accounts;
        this.passwords = passwords;
        this.throttle = throttle;
        this.appCache = new ReadCache<>(cacheTtl, MAX_CACHED);
        this.operatorCache = new ReadCache<>(cacheTtl, MAX_CACHED);
    }

    public Optional<AppPrincipal> app(BasicCredentials c) {
        String fp = fingerprint(c);
        Cached<AppPrincipal> hit = appCache.getIfPresent(c.user());
        if (hit != null && hit.matches(fp)) return Optional.of(hit.principal());
        long stamp = appCache.stamp(c.user());
        Optional<AppPrincipal> found = apps.byKey(c.user()).filter(AppAdmin.AppRow::active)
                .filter(a -> Secrets.matches(c.password(), a.secretHash())).map(a -> new AppPrincipal(a.id(), a.appKey(), scopesOf(a)));
        found.ifPresent(p -> appCache.put(c.user(), new Cached<>(p, fp), stamp)); // a failure evicts nothing
        return found;
    }

    /** Stored names that this version does not know are ignored, never widened. */
    private static java.util.Set<Scope> scopesOf(AppAdmin.AppRow a) {
        return a.scopes().stream().map(Scope::parse).flatMap(Optional::stream).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** What an operator's login attempt comes to. */
    public sealed interface OperatorLogin {
        record Granted(OperatorPrincipal principal) implements OperatorLogin {
        }

        record Denied() implements OperatorLogin {
        }

        /** Too many failures for this account or from this address: refused unchecked. */
        record Throttled(Duration retryAfter) implements OperatorLogin {
        }
    }

    /**
     * Checks an operator's credentials, presented from {@code clientAddress}. The exact credentials verified a moment
     * ago pass from the cache (no hash, no throttle: only the right password can hit it); otherwise the attempt must
     * get past the {@link LoginThrottle} before any BCrypt work, and an unknown or disabled account is checked against
     * a dummy hash so that it takes as long as a wrong password. A failure never evicts a cached login.
     */
    public OperatorLogin operator(BasicCredentials c, String clientAddress) {
        String fp = fingerprint(c);
        Cached<OperatorPrincipal> hit = operatorCache.getIfPresent(c.user());
        if (hit != null && hit.matches(fp)) return new OperatorLogin.Granted(hit.principal());
        long stamp = operatorCache.stamp(c.user());
        Optional<Duration> wait = throttle.reserve(c.user(), clientAddress);
        if (wait.isPresent()) return new OperatorLogin.Throttled(wait.get());
        Optional<AccountAdmin.AccountRow> account;
        try {
            account = accounts.get(c.user());
        } catch (RuntimeException e) {
            throttle.release(c.user(), clientAddress); // not checked (database down): not a failure either
            throw e;
        }
        boolean passwordMatches = passwords.matches(c.password(),
                account.map(AccountAdmin.AccountRow::passwordHash).orElseGet(this::dummyHash));
        if (!passwordMatches || account.isEmpty() || !account.get().active()) return new OperatorLogin.Denied();
        throttle.release(c.user(), clientAddress);
        OperatorPrincipal p = new OperatorPrincipal(account.get().username(), Role.valueOf(account.get().role()));
        operatorCache.put(c.user(), new Cached<>(p, fp), stamp);
        return new OperatorLogin.Granted(p);
    }

    /** Same cost as real hashes: checking an unknown username takes as long as checking a wrong password. */
    private String dummyHash() {
        String h = dummyHash;
        if (h == null) {
            synchronized (this) {
                if (dummyHash == null) dummyHash = passwords.hash(Secrets.newAppSecret());
                h = dummyHash;
            }
        }
        return h;
    }

    public void forgetApp(String appKey) {
        appCache.invalidate(appKey);
        InvalidationBus b = bus;
        if (b != null) b.publish(APPS_TOPIC, appKey);
    }

    public void forgetOperator(String username) {
        operatorCache.invalidate(username);
        InvalidationBus b = bus;
        if (b != null) b.publish(OPERATORS_TOPIC, username);
    }

    /** From now on revocations (secret rotation, revoke, disable) reach every process through {@code bus}, and theirs come here. */
    public void shareInvalidations(InvalidationBus bus) {
        bus.subscribe(APPS_TOPIC, everything(appCache));
        bus.subscribe(OPERATORS_TOPIC, everything(operatorCache));
        this.bus = bus;
    }

    private static InvalidationBus.Listener everything(ReadCache<String, ?> cache) {
        return new InvalidationBus.Listener() {
            @Override
            public void invalidate(String key) {
                cache.invalidate(key);
            }

            @Override
            public void invalidateAll() {
                cache.invalidateAll();
            }
        };
    }

    private static String fingerprint(BasicCredentials c) {
        return HexFormat.of().formatHex(Secrets.sha256(c.user() + "\u0000" + c.password()));
    }

    /** Slow, salted password hashing for operator accounts (BCrypt). Not final: tests count its work. */
    public static class PasswordHasher {
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

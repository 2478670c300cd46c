package io.herald.server.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import io.herald.core.ratelimit.Bucket4jLimits;
import io.herald.core.ratelimit.Limit;

import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Throttles failed operator logins, per account (guessing one password from many addresses) and per client address
 * (one address guessing, or spraying many accounts). Each key has a token bucket of failures that refills over the
 * window; an attempt whose account or address has none left is refused before any password hashing, so a flood of
 * bad passwords costs no BCrypt CPU. Only failures keep their tokens, and a success resets nothing: otherwise an
 * attacker holding any valid account could interleave its own logins to reset its address.
 *
 * <p>In memory, per process (like the app quota): a guard rail against guessing, not an audit log. Buckets idle for
 * a whole window are full again and are dropped; at most {@code maxKeys} are kept, so spraying random usernames
 * cannot grow memory. Thread-safe.
 */
public final class LoginThrottle {

    /**
     * @param failuresPerAddress failed logins one client address may make per window, whatever the accounts
     * @param failuresPerAccount failed logins one account may receive per window, from all addresses together
     * @param window             the period over which each budget refills (gradually)
     * @param maxKeys            most addresses and accounts tracked at once
     */
    public record Settings(int failuresPerAddress, int failuresPerAccount, Duration window, int maxKeys) {
        public Settings {
            if (failuresPerAddress < 1 || failuresPerAccount < 1)
                throw new IllegalArgumentException("login failure budgets must be at least 1");
            if (window == null || window.isNegative() || window.isZero())
                throw new IllegalArgumentException("the login throttle window must be positive");
        }
    }

    private final Limit perAddress;
    private final Limit perAccount;
    private final TimeMeter time;
    private final Cache<String, Bucket> buckets;

    public LoginThrottle(Settings settings, Clock clock) {
        this.perAddress = Limit.of(settings.failuresPerAddress(), settings.window());
        this.perAccount = Limit.of(settings.failuresPerAccount(), settings.window());
        this.time = Bucket4jLimits.timeMeter(clock);
        this.buckets = Caffeine.newBuilder().expireAfterAccess(settings.window()).maximumSize(settings.maxKeys()).build();
    }

    /**
     * Called before a password is checked: takes one token from the address's and the account's failure budget, as if
     * the attempt will fail, so that concurrent attempts cannot all slip past an almost empty budget. Empty when the
     * attempt may go ahead; otherwise how long until it may (and nothing was taken).
     */
    public Optional<Duration> reserve(String account, String address) {
        Bucket byAddress = bucket(addressKey(address), perAddress);
        var a = byAddress.tryConsumeAndReturnRemaining(1);
        if (!a.isConsumed()) return Optional.of(retryAfter(a.getNanosToWaitForRefill()));
        var b = bucket(accountKey(account), perAccount).tryConsumeAndReturnRemaining(1);
        if (!b.isConsumed()) {
            byAddress.addTokens(1);
            return Optional.of(retryAfter(b.getNanosToWaitForRefill()));
        }
        return Optional.empty();
    }

    /** The attempt did not fail (the password was right): its reserved tokens go back; earlier failures stay counted. */
    public void release(String account, String address) {
        bucket(addressKey(address), perAddress).addTokens(1);
        bucket(accountKey(account), perAccount).addTokens(1);
    }

    private static Duration retryAfter(long nanos) {
        return Duration.ofNanos(Math.max(1, nanos));
    }

    private Bucket bucket(String key, Limit limit) {
        return buckets.get(key, k -> Bucket.builder()
                .addLimit(Bucket4jLimits.configuration(limit).getBandwidths()[0])
                .withCustomTimePrecision(time).build());
    }

    // one IPv6 client usually holds a whole /64: counted as one address, or it could rotate past its budget
    static String addressKey(String address) {
        if (address == null || address.indexOf(':') < 0) return "address:" + address;
        try {
            java.net.InetAddress ip = java.net.InetAddress.ofLiteral(address); // never a DNS lookup
            if (ip instanceof java.net.Inet4Address) return "address:" + ip.getHostAddress(); // IPv4-mapped
            return "address:" + HexFormat.of().formatHex(ip.getAddress(), 0, 8) + "::/64";
        } catch (IllegalArgumentException e) {
            return "address:" + address;
        }
    }

    // usernames are whatever a client sends (up to the header size): keyed by digest so keys stay small
    private static String accountKey(String account) {
        return "account:" + HexFormat.of().formatHex(Secrets.sha256(account));
    }
}

package io.herald.core.ratelimit;

import io.herald.core.model.Channel;
import io.herald.core.model.Reason;
import io.herald.core.policy.Verdict;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Per-user (and per one-off address) limits by category and channel, over a {@link RateLimiter}. Each call consumes
 * or reserves a token, so ask once per notification, at intake. Thread-safe.
 *
 * <p>Bucket keys: {@code app:{appId}:user:{userId}:ch:{channel}:cat:{category}} and, for sends to a raw address,
 * {@code app:{appId}:addr:{sha256(address)}:ch:..:cat:..} (hashed so the bucket store holds no contact data that
 * erasing a user would miss). {@code :} and {@code %} in ids are percent-encoded so two ids never share a key; a send
 * without a category uses {@code cat:-}.
 */
public final class UserRateLimitPolicy {

    private final RateLimitSettings settings;
    private final RateLimiter limiter;

    public UserRateLimitPolicy(RateLimitSettings settings, RateLimiter limiter) {
        this.settings = settings;
        this.limiter = limiter;
    }

    /** PROCEED, Defer (a DEFER limit reserved a later token) or Suppress(RATE_LIMITED). */
    public Verdict decide(long appId, String userId, Channel channel, String category, Instant now) {
        return decide(userKey(appId, userId, channel, category), "user", channel, category, now);
    }

    /**
     * The same for a one-off send to a raw address (no user), keyed by the address: without it anyone could flood a
     * phone number through one-off sends. Reached through {@code RecipientPolicy.decideForAddress}.
     */
    public Verdict decideForAddress(long appId, String address, Channel channel, String category, Instant now) {
        return decide(addressKey(appId, address, channel, category), "address", channel, category, now);
    }

    public static String userKey(long appId, String userId, Channel channel, String category) {
        return "app:" + appId + ":user:" + escape(userId) + ":ch:" + channel + ":cat:" + (category == null ? "-" : escape(category));
    }

    public static String addressKey(long appId, String address, Channel channel, String category) {
        return "app:" + appId + ":addr:" + sha256(address) + ":ch:" + channel + ":cat:" + (category == null ? "-" : escape(category));
    }

    /**
     * The verdicts of many asks, in order, with ONE {@link RateLimiter#acquireAll} call: each as {@link #decide} or
     * {@link #decideForAddress} would answer it, asks on the same bucket taking their tokens in list order.
     */
    public List<Verdict> decideAll(List<Ask> asks, Instant now) {
        if (!settings.enabled()) return java.util.Collections.nCopies(asks.size(), Verdict.PROCEED);
        List<RateLimiter.Request> requests = new ArrayList<>(asks.size());
        for (Ask a : asks) {
            CategoryLimit cl = settings.limitFor(a.category());
            requests.add(new RateLimiter.Request(a.key(), cl.limit(), cl.maxDefer()));
        }
        List<RateLimiter.Decision> decisions = asks.isEmpty() ? List.of() : limiter.acquireAll(requests);
        List<Verdict> verdicts = new ArrayList<>(asks.size());
        for (int i = 0; i < asks.size(); i++) {
            Ask a = asks.get(i);
            verdicts.add(verdict(decisions.get(i), a.per(), a.channel(), a.category(), now));
        }
        return verdicts;
    }

    /** One bucket to ask about: a user's ({@link #forUser}) or a one-off address's ({@link #forAddress}). */
    public record Ask(String key, String per, Channel channel, String category) {

        public static Ask forUser(long appId, String userId, Channel channel, String category) {
            return new Ask(userKey(appId, userId, channel, category), "user", channel, category);
        }

        public static Ask forAddress(long appId, String address, Channel channel, String category) {
            return new Ask(addressKey(appId, address, channel, category), "address", channel, category);
        }
    }

    private Verdict decide(String key, String per, Channel channel, String category, Instant now) {
        if (!settings.enabled()) return Verdict.PROCEED;
        CategoryLimit cl = settings.limitFor(category);
        return verdict(limiter.acquire(key, cl.limit(), cl.maxDefer()), per, channel, category, now);
    }

    private Verdict verdict(RateLimiter.Decision d, String per, Channel channel, String category, Instant now) {
        CategoryLimit cl = settings.limitFor(category);
        String what = "rate limit of " + (category == null ? "uncategorised notifications" : category) + " on " + channel
                + " (" + cl.limit().describe() + " per " + per + ")";
        return switch (d.outcome()) {
            case CONSUMED -> Verdict.PROCEED;
            case RESERVED -> new Verdict.Defer(now.plus(d.delay()), what + " reached; deferred by " + human(d.delay()));
            case REJECTED -> new Verdict.Suppress(Reason.RATE_LIMITED, what + " reached" + (cl.action() == LimitAction.DEFER
                    ? " and the backlog is over " + human(cl.maxDefer())
                    : "") + "; next allowed in " + human(d.delay()));
        };
    }

    private static String human(Duration d) {
        long s = Math.max(1, (d.toMillis() + 999) / 1000);
        if (s < 120) return s + "s";
        if (s < 7200) return (s + 59) / 60 + "m";
        return s / 3600 + "h " + (s % 3600 + 59) / 60 + "m";
    }

    private static String escape(String id) {
        return id.replace("%", "%25").replace(":", "%3A");
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}

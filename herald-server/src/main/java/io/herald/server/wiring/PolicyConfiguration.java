package io.herald.server.wiring;

import io.herald.core.dispatch.DispatchCheck;
import io.herald.core.intake.HeraldRecipientPolicy;
import io.herald.core.intake.RecipientPolicy;
import io.herald.core.intake.UserDirectory;
import io.herald.core.policy.Verdict;
import io.herald.core.preference.CategoryConfig;
import io.herald.core.preference.PreferencePolicy;
import io.herald.core.preference.PreferenceSettings;
import io.herald.core.queue.ClaimedDelivery;
import io.herald.core.ratelimit.CategoryLimit;
import io.herald.core.ratelimit.Limit;
import io.herald.core.ratelimit.LimitAction;
import io.herald.core.ratelimit.RateLimitSettings;
import io.herald.core.ratelimit.UserRateLimitPolicy;
import io.herald.postgres.PostgresUserStore;
import io.herald.postgres.ratelimit.PostgresRateLimiter;
import io.herald.server.config.PolicyProperties;
import io.herald.server.runtime.CachedUserDirectory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Users' choices (preferences, quiet hours) and per-user rate limits, shared across processes through PostgreSQL. */
@Configuration(proxyBeanMethods = false)
public class PolicyConfiguration {

    @Bean
    @org.springframework.context.annotation.Primary
    CachedUserDirectory userDirectory(PostgresUserStore users, PolicyProperties props,
                                      org.springframework.beans.factory.ObjectProvider<io.herald.core.cache.InvalidationBus> buses) {
        CachedUserDirectory directory = new CachedUserDirectory(users, props.userCacheTtl());
        buses.ifAvailable(directory::shareInvalidations); // other processes' user changes drop the entry at once (Redis)
        return directory;
    }

    @Bean
    PreferenceSettings preferenceSettings(PolicyProperties props) {
        PreferenceSettings d = PreferenceSettings.defaults();
        Map<String, CategoryConfig> cats = new HashMap<>(d.categories());
        props.categories().forEach((name, c) -> {
            CategoryConfig base = cats.getOrDefault(name, CategoryConfig.optOut(name));
            cats.put(name, new CategoryConfig(name, c.optIn() != null ? c.optIn() : base.optIn(),
                    c.mandatoryOn() != null ? c.mandatoryOn() : base.mandatoryOn()));
        });
        return new PreferenceSettings(cats, d.unknownCategory(), props.defaultZone() != null ? props.defaultZone() : d.defaultZone());
    }

    @Bean
    RateLimitSettings rateLimitSettings(PolicyProperties props) {
        if (!props.rateLimitsEnabled()) return RateLimitSettings.disabled();
        RateLimitSettings d = RateLimitSettings.defaults();
        Map<String, CategoryLimit> limits = new HashMap<>(d.categories());
        props.limits().forEach((name, l) -> {
            CategoryLimit base = limits.getOrDefault(name, d.unknownCategory());
            Limit limit = l.capacity() == null
                    ? base.limit()
                    : Limit.of(l.capacity(), l.period() == null ? Duration.ofHours(1) : l.period());
            LimitAction action = l.action() == null ? base.action() : LimitAction.valueOf(l.action().toUpperCase());
            limits.put(name, new CategoryLimit(limit, action, l.maxDefer() != null ? l.maxDefer() : base.maxDefer()));
        });
        return new RateLimitSettings(true, limits, d.unknownCategory());
    }

    @Bean
    PostgresRateLimiter rateLimiter(io.herald.postgres.HeraldDatabase db, Clock clock) {
        // buckets on the relaxed pool: losing the last moment of limiter state in a crash is harmless,
        // waiting for a disk flush on every send is not
        return new PostgresRateLimiter(db.relaxedDataSource(), clock);
    }

    @Bean(destroyMethod = "close")
    io.herald.server.runtime.BucketJanitor bucketJanitor(PostgresRateLimiter limiter) {
        return new io.herald.server.runtime.BucketJanitor(limiter::removeExpired);
    }

    @Bean
    RecipientPolicy recipientPolicy(PolicyProperties props, PreferenceSettings prefs, RateLimitSettings limits,
                                    PostgresRateLimiter postgres,
                                    org.springframework.beans.factory.ObjectProvider<io.herald.server.runtime.SharedRateLimits> shared,
                                    io.herald.server.engagement.EngagementCaches engagement) {
        // Redis when configured (falling back to PostgreSQL while it is down), else PostgreSQL; the intake threads ask
        // for a whole group of single sends in one call (SingleSendIntake)
        io.herald.core.ratelimit.RateLimiter limiter = shared.getIfAvailable() != null ? shared.getObject().perUser() : postgres;
        // the suppression list holds whatever the policy switch says: those addresses bounced or complained
        RecipientPolicy policy = !props.enabled()
                ? RecipientPolicy.ALLOW_ALL
                : new HeraldRecipientPolicy(PreferencePolicy.standard(prefs), new UserRateLimitPolicy(limits, limiter));
        return new io.herald.core.engagement.SuppressionListPolicy(policy, engagement.suppressions());
    }

    /**
     * At dispatch, notifications that waited (scheduled, deferred, retried) are checked again: the user may have
     * opted out or entered quiet hours since. Fresh ones were checked a moment ago at intake and go straight out.
     */
    @Bean
    DispatchCheck dispatchCheck(PolicyProperties props, RecipientPolicy policy, UserDirectory users) {
        if (!props.enabled()) return DispatchCheck.ALLOW_ALL;
        return new DispatchCheck() {
            @Override
            public Verdict check(ClaimedDelivery d, Instant now) {
                if (!recheck(d, now)) return Verdict.PROCEED;
                var user = users.find(d.appId(), d.userId());
                if (user.isEmpty()) return Verdict.PROCEED; // erased since: the send was accepted for it
                return policy.decide(user.get(), d.channel(), d.category(), d.priority(), now, true);
            }

            /** After a backlog every delivery of a batch is re-checked: its users in one round trip, not one each. */
            @Override
            public void prepare(List<ClaimedDelivery> batch, Instant now) {
                Map<Long, Set<String>> byApp = new HashMap<>();
                for (ClaimedDelivery d : batch) if (recheck(d, now)) byApp.computeIfAbsent(d.appId(), k -> new HashSet<>()).add(d.userId());
                byApp.forEach(users::preload);
            }

            // one-off sends (no userId) have no preferences to re-check; their address token was taken at intake
            private boolean recheck(ClaimedDelivery d, Instant now) {
                return d.userId() != null && d.createdAt() != null && !d.createdAt().plus(props.recheckAfter()).isAfter(now);
            }
        };
    }
}

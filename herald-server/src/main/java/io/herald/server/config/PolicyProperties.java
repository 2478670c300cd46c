package io.herald.server.config;

import io.herald.core.model.Channel;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Set;

/**
 * Users' choices and per-user limits. Categories not listed keep the defaults in code (transactional and
 * security mandatory, marketing opt-in, social opt-out; marketing 3/day, social and security 10/hour,
 * transactional 20/hour per user and channel).
 *
 * @param enabled        false switches preferences and limits off entirely (every notification goes out)
 * @param categories     e.g. {@code herald.policy.categories.marketing.opt-in=true},
 *                       {@code herald.policy.categories.security.mandatory-on=EMAIL}
 * @param limits         e.g. {@code herald.policy.limits.marketing.capacity=3}, {@code .period=1d}, {@code .action=DROP}
 * @param recheckAfter   a notification claimed this long after it was accepted (scheduled, deferred, retried)
 *                       has its preferences and quiet hours checked again before sending
 * @param userCacheTtl   how long user profiles and devices are cached in process (changes through this process
 *                       invalidate at once; this bounds staleness across processes)
 */
@ConfigurationProperties("herald.policy")
public record PolicyProperties(Boolean enabled, Map<String, Category> categories, Map<String, LimitProps> limits,
                               Boolean rateLimitsEnabled, ZoneId defaultZone, Duration recheckAfter, Duration userCacheTtl) {

    public PolicyProperties {
        enabled = enabled == null || enabled;
        rateLimitsEnabled = rateLimitsEnabled == null || rateLimitsEnabled;
        categories = categories == null ? Map.of() : categories;
        limits = limits == null ? Map.of() : limits;
        defaultZone = defaultZone == null ? io.herald.core.preference.PreferenceSettings.defaults().defaultZone() : defaultZone;
        recheckAfter = recheckAfter == null ? Duration.ofSeconds(30) : recheckAfter;
        userCacheTtl = userCacheTtl == null ? Duration.ofSeconds(5) : userCacheTtl;
        if (userCacheTtl.isNegative()) throw new IllegalArgumentException("herald.policy.user-cache-ttl must be 0 (no cache) or more");
    }

    public record Category(Boolean optIn, Set<Channel> mandatoryOn) {
    }

    /** action DROP (SUPPRESSED with RATE_LIMITED) or DEFER (sent later, up to maxDefer). */
    public record LimitProps(Long capacity, Duration period, String action, Duration maxDefer) {
    }
}

package io.herald.server.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.List;

/**
 * The in-app inbox.
 *
 * @param tokenTtl       default lifetime of an end-user token (the app's backend may ask for less, up to {@code maxTokenTtl})
 * @param tokenSecret    key the token keys derive from (HERALD_INBOX_TOKEN_SECRET); unset: generated once and kept in
 *                       the database, so every node verifies every node's tokens
 * @param allowedOrigins browser origins allowed to call the inbox endpoints (CORS); "*" is safe because they take
 *                       only bearer tokens, never cookies
 * @param heartbeat      a comment line on idle streams this often, so proxies keep them open
 * @param resumeLimit    most missed items a resumed stream replays; older ones are in the feed
 * @param maxStreamsPerUser open streams one user may hold per process (tabs, devices); more get a 429
 */
@ConfigurationProperties("herald.inbox")
public record InboxProperties(Duration tokenTtl, Duration maxTokenTtl, String tokenSecret, List<String> allowedOrigins,
                              Duration heartbeat, Integer resumeLimit, Integer maxStreamsPerUser) {
    public InboxProperties {
        tokenTtl = tokenTtl == null ? Duration.ofHours(1) : tokenTtl;
        maxTokenTtl = maxTokenTtl == null ? Duration.ofHours(24) : maxTokenTtl;
        allowedOrigins = allowedOrigins == null || allowedOrigins.isEmpty() ? List.of("*") : List.copyOf(allowedOrigins);
        heartbeat = heartbeat == null ? Duration.ofSeconds(15) : heartbeat;
        resumeLimit = resumeLimit == null ? 500 : resumeLimit;
        maxStreamsPerUser = maxStreamsPerUser == null ? 20 : maxStreamsPerUser;
    }
}

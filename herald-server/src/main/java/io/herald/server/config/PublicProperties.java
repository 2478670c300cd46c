package io.herald.server.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the outside world reaches this server: the base URL put into unsubscribe links and provider callbacks,
 * and the secret that signs unsubscribe links (HERALD_PUBLIC_UNSUBSCRIBE_SECRET; generated into the data
 * directory when unset, so links stay valid across restarts). acceptLegacyUnsubscribeTokens (default true) keeps
 * honouring links of the first, readable token format that mail sent before still carries.
 */
@ConfigurationProperties("herald.public")
public record PublicProperties(String baseUrl, String unsubscribeSecret, Boolean acceptLegacyUnsubscribeTokens) {
    public PublicProperties {
        baseUrl = baseUrl == null || baseUrl.isBlank() ? "http://localhost:8080" : baseUrl;
        acceptLegacyUnsubscribeTokens = acceptLegacyUnsubscribeTokens == null || acceptLegacyUnsubscribeTokens;
    }
}

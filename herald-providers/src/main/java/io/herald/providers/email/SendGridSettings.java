package io.herald.providers.email;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of {@link SendGridEmailProvider}.
 *
 * @param baseUrl default {@code https://api.sendgrid.com} (EU subusers use {@code https://api.eu.sendgrid.com})
 * @param apiKey  an API key with the "Mail Send" permission, required
 * @param timeout connect and request timeout, default 10 s
 */
public record SendGridSettings(URI baseUrl, String apiKey, Duration timeout) {

    public static final URI DEFAULT_BASE_URL = URI.create("https://api.sendgrid.com");

    public SendGridSettings {
        baseUrl = baseUrl == null ? DEFAULT_BASE_URL : baseUrl;
        Objects.requireNonNull(apiKey, "apiKey");
        timeout = timeout == null || timeout.isZero() || timeout.isNegative() ? Duration.ofSeconds(10) : timeout;
    }

    @Override
    public String toString() {
        return "SendGridSettings[" + baseUrl + ", timeout=" + timeout + "]"; // never print the key
    }
}

package io.herald.providers.email;

import java.time.Duration;
import java.util.Objects;

/**
 * Connection settings of {@link SmtpEmailProvider}. Nulls and non-positive numbers take the defaults below.
 *
 * @param host                     SMTP server (relay) host, required
 * @param port                     0 for the default of the security mode (25, 587 or 465)
 * @param security                 default {@link SmtpSecurity#STARTTLS_REQUIRED}
 * @param username                 null or blank for no authentication
 * @param password                 used only with a username
 * @param connectTimeout           default 10 s
 * @param readTimeout              socket read and write timeout, default 30 s
 * @param poolSize                 connections kept open and used at once, default 4
 * @param maxMessagesPerConnection a connection is closed after this many messages, default 100 (many relays,
 *                                 e.g. Exchange Online and SES, limit messages per connection)
 * @param validateAfterIdle        a pooled connection idle longer than this is checked with NOOP before use,
 *                                 default 10 s; {@link Duration#ZERO} checks every time
 * @param sslTrust                 hosts whose certificate is trusted without validation (Angus
 *                                 {@code mail.smtp.ssl.trust}, "*" for all) and whose host
 *                                 name is then not checked either; null in production, tests only
 */
public record SmtpSettings(String host, int port, SmtpSecurity security, String username, String password,
                           Duration connectTimeout, Duration readTimeout, int poolSize,
                           int maxMessagesPerConnection, Duration validateAfterIdle, String sslTrust) {

    public SmtpSettings {
        Objects.requireNonNull(host, "host");
        security = security == null ? SmtpSecurity.STARTTLS_REQUIRED : security;
        port = port > 0 ? port : security.defaultPort();
        connectTimeout = positiveOr(connectTimeout, Duration.ofSeconds(10));
        readTimeout = positiveOr(readTimeout, Duration.ofSeconds(30));
        poolSize = poolSize > 0 ? poolSize : 4;
        maxMessagesPerConnection = maxMessagesPerConnection > 0 ? maxMessagesPerConnection : 100;
        validateAfterIdle = validateAfterIdle == null || validateAfterIdle.isNegative()
                ? Duration.ofSeconds(10)
                : validateAfterIdle;
    }

    /** Plain defaults for {@code host} and {@code port}: STARTTLS required, no authentication. */
    public static SmtpSettings of(String host, int port) {
        return new SmtpSettings(host, port, null, null, null, null, null, 0, 0, null, null);
    }

    boolean authenticates() {
        return username != null && !username.isBlank();
    }

    @Override
    public String toString() {
        // never print the password
        return "SmtpSettings[" + host + ":" + port + ", " + security + ", user=" + username + ", pool=" + poolSize + "]";
    }

    private static Duration positiveOr(Duration d, Duration fallback) {
        return d == null || d.isZero() || d.isNegative() ? fallback : d;
    }
}

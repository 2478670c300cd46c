package io.herald.server.console;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * The operator console at /console. {@code idleTimeout}: a session ends after this long without a request.
 * {@code secureCookie}: mark the session cookie Secure even when the request arrived over plain HTTP (behind a
 * TLS-terminating proxy that does not send X-Forwarded-Proto); requests that arrive over HTTPS always get it.
 * {@code lookupKey} (HERALD_CONSOLE_LOOKUP_KEY) keys the hash that finds notifications by address; generated
 * into the data directory when unset, and must be the same on every instance sharing a database.
 */
@ConfigurationProperties("herald.console")
public record ConsoleProperties(Duration idleTimeout, boolean secureCookie, String lookupKey) {

    public ConsoleProperties {
        idleTimeout = idleTimeout == null ? Duration.ofMinutes(30) : idleTimeout;
    }
}

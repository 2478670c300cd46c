package io.herald.providers.email;

/** How the SMTP connection is protected. */
public enum SmtpSecurity {
    /** Plain text, for a relay on localhost or a private network only. */
    OFF,
    /** Upgrade with STARTTLS when the server offers it, otherwise continue in plain text. */
    STARTTLS_OPTIONAL,
    /** Upgrade with STARTTLS or fail the connection (the usual choice for port 587). */
    STARTTLS_REQUIRED,
    /** TLS from the first byte ("implicit TLS", RFC 8314), usually port 465. */
    SMTPS;

    int defaultPort() {
        return switch (this) {
            case OFF -> 25;
            case STARTTLS_OPTIONAL, STARTTLS_REQUIRED -> 587;
            case SMTPS -> 465;
        };
    }
}

package io.herald.providers.email;

import java.net.URI;
import java.util.Optional;

/**
 * Makes the one-click unsubscribe URL that email providers put in {@code List-Unsubscribe} (RFC 2369) together with
 * {@code List-Unsubscribe-Post: List-Unsubscribe=One-Click} (RFC 8058). RFC 8058 requires an HTTPS URI whose POST
 * unsubscribes without further interaction, and a DKIM signature covering both headers (the sending MTA's job).
 * Implementations must be thread-safe.
 */
public interface UnsubscribeLinks {

    /** The URL for this scope, or empty when the message should carry no unsubscribe headers. */
    Optional<URI> oneClickUrl(UnsubscribeScope scope);

    /** No unsubscribe headers at all. */
    UnsubscribeLinks NONE = scope -> Optional.empty();
}

package io.herald.core.engagement;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Tells opens and clicks made by machines from those made by people: security scanners and link previews announce
 * themselves in the user agent, Apple Mail Privacy Protection fetches every pixel with a bare "Mozilla/5.0", and a click
 * within a second of delivery is a prefetch, not a reader.
 */
public final class AutomatedTraffic {

    private static final List<String> SCANNERS = List.of("bot", "crawler", "spider", "preview", "scanner", "barracuda",
            "mimecast", "proofpoint", "safelinks", "symantec", "forcepoint", "trendmicro", "sophos", "fireeye", "cisco",
            "headless", "curl/", "wget/", "python-requests", "go-http-client", "java/", "okhttp", "libwww", "httpclient");

    private final Duration prefetchWindow;

    public AutomatedTraffic(Duration prefetchWindow) {
        this.prefetchWindow = prefetchWindow;
    }

    /** @return why the request is taken for a machine's, or empty for a person's */
    public Optional<String> classify(TrackingTokens.Kind kind, String userAgent, Instant at, Instant deliveredAt) {
        if (userAgent == null || userAgent.isBlank()) return Optional.of("no user agent");
        String ua = userAgent.trim();
        if (kind == TrackingTokens.Kind.OPEN && ua.equals("Mozilla/5.0")) return Optional.of("Apple Mail Privacy Protection");
        String lower = ua.toLowerCase(Locale.ROOT);
        for (String s : SCANNERS) if (lower.contains(s)) return Optional.of("scanner user agent");
        if (kind == TrackingTokens.Kind.CLICK && deliveredAt != null && !at.isAfter(deliveredAt.plus(prefetchWindow))) {
            return Optional.of("clicked within " + prefetchWindow.toMillis() + " ms of delivery");
        }
        return Optional.empty();
    }
}

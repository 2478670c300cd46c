package io.herald.providers.email;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The From address of each app: an app's own address if configured, else the default. Addresses may carry a
 * display name ({@code "Shop <no-reply@shop.example>"}); all are parsed strictly when constructed, so a typo fails at
 * start-up rather than on the first send. Immutable and thread-safe.
 */
public final class FromAddresses {

    private final InternetAddress defaultFrom;
    private final Map<Long, InternetAddress> byApp;

    public FromAddresses(String defaultFrom, Map<Long, String> byApp) {
        this.defaultFrom = parse(Objects.requireNonNull(defaultFrom, "defaultFrom"));
        Map<Long, InternetAddress> parsed = new HashMap<>();
        if (byApp != null) byApp.forEach((app, address) -> parsed.put(app, parse(address)));
        this.byApp = Map.copyOf(parsed);
    }

    public static FromAddresses of(String defaultFrom) {
        return new FromAddresses(defaultFrom, Map.of());
    }

    /** A copy, since InternetAddress is mutable. */
    public InternetAddress forApp(long appId) {
        return (InternetAddress) byApp.getOrDefault(appId, defaultFrom).clone();
    }

    private static InternetAddress parse(String address) {
        try {
            return new InternetAddress(address, true);
        } catch (AddressException e) {
            throw new IllegalArgumentException("not a valid From address: " + address, e);
        }
    }
}

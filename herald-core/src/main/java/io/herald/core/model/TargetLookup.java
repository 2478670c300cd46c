package io.herald.core.model;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * A keyed hash (HMAC-SHA256 with a server key) of a notification's normalised target, stored beside the masked
 * target so support can find "every notification sent to ada@example.com" by exact match, while the database
 * holds no readable address and no unkeyed hash that a dictionary of addresses could reverse.
 */
public final class TargetLookup {

    /** Keyed once; only ever cloned, never updated, so threads may clone it at once. */
    private final Mac prototype;

    public TargetLookup(byte[] secret) {
        if (secret == null || secret.length < 16) throw new IllegalArgumentException("the lookup key needs at least 16 bytes");
        try {
            this.prototype = Mac.getInstance("HmacSHA256");
            prototype.init(new SecretKeySpec(secret.clone(), "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** The lookup hash of a stored target. */
    public String of(Target target) {
        return switch (target) {
            case Target.Email e -> hash("email:" + normaliseEmail(e.address()));
            case Target.Phone p -> hash("phone:" + normalisePhone(p.e164()));
            case Target.Device d -> hash("device:" + d.address());
            case Target.Inbox i -> hash("inbox:" + i.userId());
        };
    }

    /**
     * The lookup hash of what an operator typed: an email address (anything with an @) or a phone number
     * (digits with optional +, spaces, dots, dashes, parentheses). Empty for anything else.
     */
    public Optional<String> ofTyped(String input) {
        return typed(input).map(Typed::hash);
    }

    /** What an operator typed, normalised as intake stores it, with its lookup hash; empty when it is neither. */
    public Optional<Typed> typed(String input) {
        if (input == null || input.isBlank()) return Optional.empty();
        String s = input.strip();
        if (s.indexOf('@') > 0) {
            String email = normaliseEmail(s);
            return Optional.of(new Typed(Typed.Kind.EMAIL, email, hash("email:" + email)));
        }
        if (s.matches("\\+?[0-9 ().\\-]{5,30}")) {
            String phone = normalisePhone(s);
            return Optional.of(new Typed(Typed.Kind.PHONE, phone, hash("phone:" + phone)));
        }
        return Optional.empty();
    }

    /**
     * A typed address: its kind, its normalised form (lower-case email, "+" and digits for a phone) and its lookup
     * hash. The search needs the address itself too: broadcast notifications are found through their recipients'
     * current contacts, not by an index on the hash (docs/architecture.md, "Searching by address").
     */
    public record Typed(Kind kind, String normalised, String hash) {
        public enum Kind {
            EMAIL, PHONE
        }
    }

    private static String normaliseEmail(String address) {
        return address.strip().toLowerCase(Locale.ROOT);
    }

    private static String normalisePhone(String phone) {
        String digits = phone.replaceAll("[^0-9]", "");
        return "+" + digits; // intake stores E.164, which is "+" and digits; typed numbers without "+" mean the same
    }

    private String hash(String normalised) {
        try {
            // a clone of the keyed prototype: getInstance and init per call looked the provider up and expanded the
            // key every time, for every recipient of a broadcast
            Mac mac = (Mac) prototype.clone();
            return HexFormat.of().formatHex(mac.doFinal(normalised.getBytes(StandardCharsets.UTF_8)));
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's HmacSHA256 can be cloned", e);
        }
    }
}

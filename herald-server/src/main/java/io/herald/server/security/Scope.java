package io.herald.server.security;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** What a client app may do; an app holds a set of these (all of them unless created with fewer). */
public enum Scope {
    /** send, cancel and report events on notifications, broadcasts */
    SEND,
    /** users, their contacts, devices, preferences and inbox tokens */
    USERS,
    /** read notifications, their traces, broadcasts and analytics */
    READ,
    /** topics and their subscribers */
    TOPICS,
    /** status webhooks */
    WEBHOOKS;

    public static final Set<Scope> ALL = Set.copyOf(EnumSet.allOf(Scope.class));

    /** The name in the API and the database: lower case. */
    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Scope> parse(String name) {
        for (Scope s : values()) if (s.apiName().equals(name)) return Optional.of(s);
        return Optional.empty();
    }

    /**
     * The scope a client-app request needs, from its method and path (below {@code /v1}); empty for paths that
     * need none beyond valid credentials. One table, so a new endpoint under a known prefix is covered at once.
     */
    public static Optional<Scope> requiredFor(String method, String path) {
        String area = area(path);
        boolean reading = method.equals("GET") || method.equals("HEAD");
        return Optional.ofNullable(switch (area) {
            case "notifications", "broadcasts" -> reading ? READ : SEND;
            case "users" -> USERS;
            case "topics" -> TOPICS;
            case "webhooks" -> WEBHOOKS;
            case "analytics", "suppressions", "tracking" -> reading ? READ : SEND;
            case "conversions" -> SEND;
            default -> null;
        });
    }

    /** The second segment of the path ("notifications" in /v1/notifications/x), "" when there is none. */
    static String area(String path) {
        // by hand rather than String.split, which builds an array and a list on every request (~1% of a send's thread)
        // what path.split("/")[2] would be: the text between the second slash and the next
        int first = path.indexOf('/'), second = first < 0 ? -1 : path.indexOf('/', first + 1);
        if (second < 0) return "";
        int end = path.indexOf('/', second + 1);
        return path.substring(second + 1, end < 0 ? path.length() : end);
    }
}

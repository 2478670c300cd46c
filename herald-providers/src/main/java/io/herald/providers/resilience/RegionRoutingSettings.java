package io.herald.providers.resilience;

import java.util.List;
import java.util.Map;

/**
 * Preferred provider order by recipient region. Providers named in a rule are tried first, in the rule's order;
 * the channel's other providers follow in their default order, so failover still has somewhere to go. Names of
 * providers that are not configured, or cannot serve the target, are skipped.
 *
 * @param phone keys are a country calling code ({@code "+44"} or {@code "44"}) or an ISO 3166 region
 *              ({@code "CA"}); a region rule wins over a calling-code rule, so {@code "+1"} can cover the
 *              NANP and {@code "CA"} single out Canada
 * @param email keys are domain suffixes on label boundaries ({@code "de"} or {@code ".de"} matches
 *              {@code a@mail.example.de}; {@code "example.com"} matches {@code a@example.com} and
 *              {@code a@eu.example.com} but not {@code a@badexample.com}); the longest matching suffix wins
 */
public record RegionRoutingSettings(Map<String, List<String>> phone, Map<String, List<String>> email) {

    public static final RegionRoutingSettings NONE = new RegionRoutingSettings(Map.of(), Map.of());

    public RegionRoutingSettings {
        phone = phone == null ? Map.of() : Map.copyOf(phone);
        email = email == null ? Map.of() : Map.copyOf(email);
    }
}

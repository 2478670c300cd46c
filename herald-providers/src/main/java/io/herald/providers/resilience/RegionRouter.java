package io.herald.providers.resilience;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import io.herald.core.dispatch.ProviderRouter;
import io.herald.core.model.Target;
import io.herald.core.provider.ChannelProvider;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@link ProviderRouter} that puts the providers preferred for the recipient's region first (see
 * {@link RegionRoutingSettings}): an SMS vendor with direct routes to a country, an email provider with an
 * EU data residency for EU domains. Targets no rule matches, push devices, and numbers libphonenumber cannot
 * parse keep the default order. Immutable after construction, thread-safe.
 */
public final class RegionRouter extends ProviderRouter {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    private final Map<Integer, List<String>> byCallingCode = new HashMap<>();
    private final Map<String, List<String>> byRegion = new HashMap<>();
    private final Map<String, List<String>> byDomainSuffix = new HashMap<>();

    public RegionRouter(List<ChannelProvider> providersInPriorityOrder, RegionRoutingSettings rules) {
        super(providersInPriorityOrder);
        rules.phone().forEach((key, names) -> {
            String k = key.strip();
            if (k.matches("[A-Za-z]{2}")) {
                byRegion.put(k.toUpperCase(Locale.ROOT), List.copyOf(names));
            } else if (k.matches("\\+?[0-9]{1,3}")) {
                byCallingCode.put(Integer.parseInt(k.startsWith("+") ? k.substring(1) : k), List.copyOf(names));
            } else {
                throw new IllegalArgumentException("phone routing key '" + key + "' is neither a calling code (+44) nor a region (GB)");
            }
        });
        rules.email().forEach((suffix, names) -> byDomainSuffix.put(normalizeDomain(suffix), List.copyOf(names)));
    }

    @Override
    public List<ChannelProvider> candidates(Target target) {
        List<ChannelProvider> base = super.candidates(target);
        List<String> preferred = switch (target) {
            case Target.Phone p -> forPhone(p.e164());
            case Target.Email e -> forEmail(e.address());
            case Target.Device d -> List.of();
            case Target.Inbox i -> List.of();
        };
        if (preferred.isEmpty() || base.size() < 2) return base;
        LinkedHashSet<ChannelProvider> ordered = new LinkedHashSet<>();
        for (String name : preferred) {
            for (ChannelProvider p : base) {
                if (p.name().equals(name)) ordered.add(p);
            }
        }
        ordered.addAll(base);
        return List.copyOf(new ArrayList<>(ordered));
    }

    List<String> forPhone(String e164) {
        if (byRegion.isEmpty() && byCallingCode.isEmpty()) return List.of();
        Phonenumber.PhoneNumber number;
        try {
            number = PHONES.parse(e164, null);
        } catch (NumberParseException e) {
            return List.of();
        }
        String region = PHONES.getRegionCodeForNumber(number);
        if (region != null && byRegion.containsKey(region)) return byRegion.get(region);
        return byCallingCode.getOrDefault(number.getCountryCode(), List.of());
    }

    List<String> forEmail(String address) {
        int at = address.lastIndexOf('@');
        if (at < 0 || byDomainSuffix.isEmpty()) return List.of();
        String domain = normalizeDomain(address.substring(at + 1));
        // walk from the full domain to its shortest suffix: the first hit is the longest match
        for (String d = domain; !d.isEmpty();) {
            List<String> names = byDomainSuffix.get(d);
            if (names != null) return names;
            int dot = d.indexOf('.');
            d = dot < 0 ? "" : d.substring(dot + 1);
        }
        return List.of();
    }

    private static String normalizeDomain(String s) {
        String d = s.strip().toLowerCase(Locale.ROOT);
        while (d.startsWith(".")) d = d.substring(1);
        while (d.endsWith(".")) d = d.substring(0, d.length() - 1);
        return d;
    }
}

package io.herald.server.config;

import io.herald.core.dispatch.ProviderRouter;
import io.herald.core.model.Channel;
import io.herald.core.provider.ChannelProvider;
import io.herald.providers.resilience.RegionRouter;
import io.herald.providers.resilience.RegionRoutingSettings;
import io.herald.providers.sandbox.SandboxProvider;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds each channel's provider list, in failover order. A channel listed in herald.providers.channels takes
 * exactly those names; a channel left out takes all configured providers of that channel, or the sandbox when
 * there is none. A configured provider is never silently unused: one missing from its channel's explicit list
 * fails start-up, and so does a listed name that is not configured, each with a message that says what to set.
 * Providers built into the server (ChannelProvider beans, e.g. a channel served in process) join like configured ones.
 * Region rules (herald.providers.routing) put some of a channel's providers first for some recipients; they may only
 * name providers of that channel, and only SMS (by phone number) and EMAIL (by domain) have rules.
 */
public final class ProviderRegistry {

    private final Map<Channel, SandboxProvider> sandboxes = new EnumMap<>(Channel.class);
    private final Map<Channel, List<ChannelProvider>> byChannel = new EnumMap<>(Channel.class);
    private final ConfiguredProviders configured;
    private final List<ChannelProvider> builtIn;
    private final RegionRoutingSettings regionRules;
    private final ProviderRouter router;

    public ProviderRegistry(ProviderProperties props, ConfiguredProviders configured) {
        this(props, configured, List.of());
    }

    public ProviderRegistry(ProviderProperties props, ConfiguredProviders configured, List<ChannelProvider> builtIn) {
        this.configured = configured;
        this.builtIn = List.copyOf(builtIn);
        for (Channel channel : Channel.values()) {
            List<String> names = props.channels().get(channel);
            if (names == null) {
                names = new ArrayList<>(configured.of(channel).stream().map(ConfiguredProvider::name).toList());
                builtIn.stream().filter(b -> b.channel() == channel).map(ChannelProvider::name).forEach(names::add);
                if (names.isEmpty()) names = List.of("sandbox");
            }
            List<ChannelProvider> list = new ArrayList<>();
            for (String raw : names) {
                String name = raw.trim();
                if (list.stream().anyMatch(p -> p.name().equals(name))) {
                    throw new IllegalStateException("herald.providers.channels." + channel + " names '" + name + "' twice");
                }
                if (name.equals("sandbox")) {
                    var s = props.sandbox();
                    SandboxProvider p = new SandboxProvider(channel, s.latency(), s.failureRate(), s.keep());
                    sandboxes.put(channel, p);
                    list.add(p);
                } else {
                    Optional<ChannelProvider> b = builtIn.stream().filter(x -> x.channel() == channel && x.name().equals(name)).findFirst();
                    list.add(b.isPresent() ? b.get() : find(channel, name).provider());
                }
            }
            byChannel.put(channel, List.copyOf(list));
        }
        this.regionRules = regionRules(props.routing());
        this.router = buildRouter();
        for (ConfiguredProvider p : configured.all()) {
            List<ChannelProvider> list = byChannel.get(p.channel());
            if (list.stream().noneMatch(x -> x.name().equals(p.name()))) {
                throw new IllegalStateException(p.prefix() + " is configured, but herald.providers.channels." + p.channel() + "="
                        + String.join(",", names(p.channel())) + " does not name '" + p.name() + "', so it would never be used: add it,"
                        + " e.g. herald.providers.channels." + p.channel() + "=" + String.join(",", withAdded(p)) + ", or remove "
                        + p.prefix() + "." + p.type().keySetting());
            }
        }
    }

    private RegionRoutingSettings regionRules(Map<Channel, Map<String, List<String>>> routing) {
        Map<String, List<String>> phone = Map.of();
        Map<String, List<String>> email = Map.of();
        for (var e : routing.entrySet()) {
            Channel channel = e.getKey();
            String key = "herald.providers.routing." + channel;
            if (channel != Channel.SMS && channel != Channel.EMAIL) {
                throw new IllegalStateException(
                        key + ": only SMS (by calling code or region) and EMAIL (by domain suffix) can be routed by region");
            }
            e.getValue().forEach((match, names) -> {
                if (names == null || names.isEmpty()) throw new IllegalStateException(key + "." + match + " names no provider");
                for (String name : names) {
                    if (names(channel).stream().noneMatch(name.trim()::equals)) {
                        throw new IllegalStateException(key + "." + match + " names '" + name.trim() + "', which is not one of " + channel
                                + "'s providers " + names(channel) + " (herald.providers.channels." + channel + ")");
                    }
                }
            });
            Map<String, List<String>> trimmed = new java.util.HashMap<>();
            e.getValue().forEach((match, names) -> trimmed.put(match, names.stream().map(String::trim).toList()));
            if (channel == Channel.SMS) phone = trimmed;
            else
                email = trimmed;
        }
        return new RegionRoutingSettings(phone, email);
    }

    private ConfiguredProvider find(Channel channel, String name) {
        Optional<ConfiguredProvider> found = configured.named(name);
        if (found.isPresent() && found.get().channel() == channel) return found.get();
        String key = "herald.providers.channels." + channel;
        if (found.isPresent()) {
            throw new IllegalStateException(key + " names '" + name + "', a " + found.get().type().key() + " provider of channel "
                    + found.get().channel() + ", not " + channel);
        }
        String hint = ProviderType.byKey(name)
                .map(t -> "; to configure it set herald.providers." + t.key() + "." + t.keySetting()
                        + (t.channel() != channel ? " (but " + t.key() + " delivers " + t.channel() + ")" : ""))
                .orElse("; a named instance needs herald.providers.instances." + name + ".type");
        throw new IllegalStateException(key + " names provider '" + name + "', which is not configured. Configured for " + channel + ": "
                + java.util.stream.Stream.concat(configured.of(channel).stream().map(ConfiguredProvider::name),
                        builtIn.stream().filter(b -> b.channel() == channel).map(ChannelProvider::name)).toList()
                + " and sandbox" + hint);
    }

    private List<String> names(Channel channel) {
        return byChannel.get(channel).stream().map(ChannelProvider::name).toList();
    }

    private List<String> withAdded(ConfiguredProvider p) {
        List<String> l = new ArrayList<>(names(p.channel()));
        l.add(p.name());
        return l;
    }

    /** Each channel's providers in failover order, with the region rules in front when there are any. */
    public ProviderRouter router() {
        return router;
    }

    private ProviderRouter buildRouter() {
        List<ChannelProvider> ordered = new ArrayList<>();
        byChannel.values().forEach(ordered::addAll);
        if (regionRules.phone().isEmpty() && regionRules.email().isEmpty()) return new ProviderRouter(ordered);
        try {
            return new RegionRouter(ordered, regionRules);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("herald.providers.routing.SMS: " + e.getMessage(), e);
        }
    }

    /** The region rules in effect (empty maps when none): SMS by calling code or region, EMAIL by domain suffix. */
    public RegionRoutingSettings regionRules() {
        return regionRules;
    }

    /** Each channel's providers in failover order. */
    public Map<Channel, List<ChannelProvider>> channels() {
        return byChannel;
    }

    public ConfiguredProviders configured() {
        return configured;
    }

    /** The sandbox of a channel, when it is in use (tests and demos read what it recorded). */
    public SandboxProvider sandbox(Channel channel) {
        return sandboxes.get(channel);
    }

    /** Channels whose only provider is the sandbox: nothing sent there is delivered. */
    public List<Channel> sandboxOnly() {
        return byChannel.entrySet().stream()
                .filter(e -> e.getValue().size() == 1 && e.getValue().getFirst() instanceof SandboxProvider)
                .map(Map.Entry::getKey).toList();
    }
}

package io.herald.server.config;

import io.herald.core.model.Channel;
import io.herald.core.model.Platform;
import io.herald.core.model.Target;
import io.herald.core.model.WebPushSubscription;
import io.herald.core.provider.ChannelProvider;
import io.herald.providers.sandbox.SandboxProvider;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Which providers serve each channel, and each push platform, in failover order, with the host each talks to:
 * logged at start-up and served to operators (GET /v1/providers). Platforms are found the way the router finds
 * them, by asking each provider whether it supports a device of that platform.
 */
public final class RoutingTable {

    /** One channel (and, for PUSH, one platform) and its providers in failover order. */
    public record Route(Channel channel, Platform platform, List<String> providers) {
    }

    /** One provider as operators see it; breaker state and error rate are read when asked. */
    public record ProviderInfo(String name, String type, Channel channel, List<Platform> platforms, String endpoint,
                               String breakerState, Float recentErrorRate, String startupCheck) {
    }

    private static final String SANDBOX_ENDPOINT = "none: records, does not deliver";
    private static final String IN_PROCESS = "in process";

    private final ProviderRegistry registry;
    private final ProviderChecks checks;
    private final List<Route> routes = new ArrayList<>();

    public RoutingTable(ProviderRegistry registry, ProviderChecks checks) {
        this.registry = registry;
        this.checks = checks;
        registry.channels().forEach((channel, providers) -> {
            if (channel == Channel.PUSH) {
                for (Platform platform : Platform.values()) {
                    Target sample = sampleDevice(platform);
                    routes.add(new Route(channel, platform,
                            providers.stream().filter(p -> p.supports(sample)).map(ChannelProvider::name).toList()));
                }
            } else {
                routes.add(new Route(channel, null, providers.stream().map(ChannelProvider::name).toList()));
            }
        });
    }

    public List<Route> routes() {
        return List.copyOf(routes);
    }

    /** Every provider in use, channel by channel in failover order. */
    public List<ProviderInfo> providers() {
        List<ProviderInfo> out = new ArrayList<>();
        registry.channels().forEach((channel, providers) -> {
            for (ChannelProvider p : providers) {
                List<Platform> platforms = channel != Channel.PUSH
                        ? List.of()
                        : Arrays.stream(Platform.values()).filter(pl -> p.supports(sampleDevice(pl))).toList();
                if (p instanceof SandboxProvider) {
                    out.add(new ProviderInfo(p.name(), "sandbox", channel, platforms, SANDBOX_ENDPOINT, null, null, null));
                    continue;
                }
                Optional<ConfiguredProvider> c = registry.configured().named(p.name());
                if (c.isEmpty()) {
                    out.add(new ProviderInfo(p.name(), "built-in", channel, platforms, IN_PROCESS, null, null, null));
                    continue;
                }
                var circuit = c.get().circuit();
                out.add(new ProviderInfo(p.name(), c.get().type().key(), channel, platforms, c.get().endpoint(), circuit.state(),
                        circuit.failureRate() < 0 ? null : circuit.failureRate(), checks.result(p.name()).text()));
            }
        });
        return out;
    }

    /** One line per route, e.g. "EMAIL -> relay-eu (smtp.eu.example.com:587), sendgrid (api.sendgrid.com)". */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        for (Route r : routes) {
            String target = r.channel() + (r.platform() == null ? "" : "/" + r.platform());
            List<String> parts = r.providers().stream().map(name -> name + " (" + endpoint(name) + ")").toList();
            lines.add(target + " -> " + (parts.isEmpty() ? "nothing: no provider supports this platform" : String.join(", ", parts)));
        }
        // region rules: which providers go first for whom (the channel's others follow as failover)
        new java.util.TreeMap<>(registry.regionRules().phone())
                .forEach((match, names) -> lines.add("SMS to " + match + " -> " + String.join(", ", names) + " first"));
        new java.util.TreeMap<>(registry.regionRules().email()).forEach((match, names) -> lines
                .add("EMAIL to *" + (match.startsWith(".") ? "" : ".") + match + " -> " + String.join(", ", names) + " first"));
        return lines;
    }

    private String endpoint(String name) {
        return name.equals("sandbox")
                ? "sandbox: not delivered"
                : registry.configured().named(name).map(ConfiguredProvider::endpoint).orElse(IN_PROCESS);
    }

    private static Target sampleDevice(Platform platform) {
        WebPushSubscription sub = platform == Platform.WEB ? new WebPushSubscription("https://push.invalid/routing", "k", "a") : null;
        return new Target.Device(null, platform, "routing-table", sub);
    }
}

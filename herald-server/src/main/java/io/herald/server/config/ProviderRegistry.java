package io.herald.server.config;

import io.herald.core.dispatch.ProviderRouter;
import io.herald.core.model.Channel;
import io.herald.core.provider.ChannelProvider;
import io.herald.providers.sandbox.SandboxProvider;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Builds each channel's provider list, in the configured failover order, from provider names. Real providers
 * are beans (created only when configured); "sandbox" is built here with the sandbox settings.
 * An unknown name fails start-up with a message that says which names exist.
 */
public final class ProviderRegistry {

    private final Map<Channel, SandboxProvider> sandboxes = new EnumMap<>(Channel.class);
    private final List<ChannelProvider> ordered = new ArrayList<>();

    public ProviderRegistry(ProviderProperties props, List<ChannelProvider> beans) {
        for (var e : props.channels().entrySet()) {
            Channel channel = e.getKey();
            for (String name : e.getValue()) {
                if (name.equals("sandbox")) {
                    var s = props.sandbox();
                    SandboxProvider p = new SandboxProvider(channel, s.latency(), s.failureRate(), s.keep());
                    sandboxes.put(channel, p);
                    ordered.add(p);
                    continue;
                }
                List<ChannelProvider> found = beans.stream().filter(b -> b.name().equals(name) && b.channel() == channel).toList();
                if (found.isEmpty()) {
                    throw new IllegalStateException("herald.providers.channels." + channel + " names provider '" + name
                            + "', which is not configured. Configured for " + channel + ": "
                            + beans.stream().filter(b -> b.channel() == channel).map(ChannelProvider::name).toList() + " and sandbox");
                }
                ordered.addAll(found);
            }
        }
    }

    public ProviderRouter router() {
        return new ProviderRouter(ordered);
    }

    /** The sandbox of a channel, when it is in use (tests and demos read what it recorded). */
    public SandboxProvider sandbox(Channel channel) {
        return sandboxes.get(channel);
    }
}

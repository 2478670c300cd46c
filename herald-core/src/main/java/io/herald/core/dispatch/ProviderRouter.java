package io.herald.core.dispatch;

import io.herald.core.model.Channel;
import io.herald.core.model.Target;
import io.herald.core.provider.ChannelProvider;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses the providers for a target, in failover order. The default takes the configured providers of
 * the channel in order and keeps those that support the target (APNs for IOS devices, FCM for ANDROID, ...).
 * Region rules and other strategies are other implementations of {@link #candidates}.
 */
public class ProviderRouter {

    private final Map<Channel, List<ChannelProvider>> byChannel = new EnumMap<>(Channel.class);

    public ProviderRouter(List<ChannelProvider> providersInPriorityOrder) {
        for (ChannelProvider p : providersInPriorityOrder) {
            byChannel.computeIfAbsent(p.channel(), c -> new ArrayList<>()).add(p);
        }
    }

    public List<ChannelProvider> candidates(Target target) {
        return byChannel.getOrDefault(target.channel(), List.of()).stream().filter(p -> p.supports(target)).toList();
    }

    public List<ChannelProvider> providers(Channel channel) {
        return byChannel.getOrDefault(channel, List.of());
    }
}

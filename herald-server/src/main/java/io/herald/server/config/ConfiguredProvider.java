package io.herald.server.config;

import io.herald.core.model.Channel;
import io.herald.core.provider.ChannelProvider;
import io.herald.providers.resilience.CircuitBreakingProvider;
import io.herald.providers.resilience.CircuitStatus;

/**
 * One real provider instance as configured: its name (the type for the type sections, else the instance name),
 * the provider guarded by its breaker and throttle, the host it talks to, and its start-up check.
 *
 * @param prefix   the configuration prefix of its settings, e.g. herald.providers.smtp or herald.providers.instances.relay-eu
 * @param endpoint the host (and port) it talks to, for the routing table; never a credential
 * @param check    a cheap protocol-level check of the settings, or null where the protocol has none
 */
public record ConfiguredProvider(String name, ProviderType type, String prefix, String endpoint, ChannelProvider provider,
                                 CircuitBreakingProvider breaker, StartupCheck check) {

    public Channel channel() {
        return type.channel();
    }

    public CircuitStatus circuit() {
        return breaker.status();
    }

    /** Checks the settings against the real peer; returns what it found, throws with a message that names the fix. */
    @FunctionalInterface
    public interface StartupCheck {
        String run() throws Exception;
    }
}

package io.herald.server.config;

import io.herald.core.net.OutboundGuard;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.List;

/**
 * Where client-supplied URLs (Web Push endpoints, webhooks, the alert hook) may point. By default only public
 * https addresses; hosts listed in {@code allowedHosts} (e.g. {@code 127.0.0.1,localhost} for tests and private
 * deployments) may be internal and plain http.
 */
@ConfigurationProperties("herald.outbound")
public record OutboundProperties(List<String> allowedHosts) {
    public OutboundProperties {
        allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
    }

    public OutboundGuard guard() {
        return OutboundGuard.allowing(allowedHosts);
    }
}

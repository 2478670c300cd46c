package io.herald.core.engagement;

import io.herald.core.dispatch.MessageShaper;
import io.herald.core.model.Channel;
import io.herald.core.provider.OutboundMessage;

/**
 * Rewrites email links and push urls to tracked links (and adds the open pixel) as a message leaves, unless the app
 * or the notification's template has tracking off. The template is looked up only for apps that switched some off.
 */
public final class LinkTracking implements MessageShaper {

    private final TrackedLinks links;
    private final TrackingSettings settings;

    public LinkTracking(TrackedLinks links, TrackingSettings settings) {
        this.links = links;
        this.settings = settings;
    }

    @Override
    public OutboundMessage shape(OutboundMessage m) {
        if (m.channel() != Channel.EMAIL && m.channel() != Channel.PUSH) return m;
        TrackingSettings.Settings s = settings.forApp(m.appId());
        if (!s.enabled()) return m;
        if (!s.disabledTemplates().isEmpty()) {
            String template = settings.templateOf(m.id()).orElse(null);
            if (template != null && s.disabledTemplates().contains(template)) return m;
        }
        return new OutboundMessage(m.id(), m.appId(), m.eventId(), m.channel(), m.target(), m.priority(),
                links.rewrite(m.channel(), m.id(), m.content()), m.category(), m.expiresAt(), m.attempt());
    }
}

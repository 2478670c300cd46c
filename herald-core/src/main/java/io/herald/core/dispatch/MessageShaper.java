package io.herald.core.dispatch;

import io.herald.core.provider.OutboundMessage;

/** A last change to a message before providers see it (e.g. tracked links); the stored notification keeps its content. */
@FunctionalInterface
public interface MessageShaper {

    MessageShaper NONE = m -> m;

    OutboundMessage shape(OutboundMessage message);
}

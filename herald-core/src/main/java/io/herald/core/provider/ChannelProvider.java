package io.herald.core.provider;

import io.herald.core.model.Channel;
import io.herald.core.model.Target;

/**
 * A third party that delivers one channel (or one platform of PUSH). Implementations must be thread-safe:
 * a channel's workers call {@link #send} concurrently, each on its own virtual thread, so blocking I/O is fine.
 */
public interface ChannelProvider {

    /** Short stable name recorded in traces and metrics, e.g. "apns", "fcm", "smtp", "sandbox". */
    String name();

    Channel channel();

    /** Whether this provider can deliver to the target (APNs takes only IOS devices, for example). */
    default boolean supports(Target target) {
        return target.channel() == channel();
    }

    /**
     * Delivers one message. Expected failures are returned as {@link SendResult.Rejected} or {@link SendResult.Failed};
     * an exception thrown from here is treated as a transient failure.
     */
    SendResult send(OutboundMessage message);
}

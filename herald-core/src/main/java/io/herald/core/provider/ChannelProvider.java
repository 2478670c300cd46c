package io.herald.core.provider;

import io.herald.core.model.Channel;
import io.herald.core.model.Platform;
import io.herald.core.model.Target;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A third party that delivers one channel (or one platform of PUSH). Implementations must be thread-safe:
 * a channel's workers call {@link #sendAsync} concurrently. Blocking providers implement only {@link #send}, which
 * the default {@link #sendAsync} runs on the caller's virtual thread; HTTP/2 providers override {@link #sendAsync}
 * so thousands of sends can be in flight without a parked thread each.
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

    /**
     * Delivers one message and answers when the provider has: the same outcomes as {@link #send}; a stage that
     * completes exceptionally (or an exception thrown from here) is a transient failure. Called on a virtual
     * thread, so it may block briefly (a throughput limit's wait); it must not block for the provider's answer
     * when it overrides this. Its stage may complete on the provider's I/O thread: callers move blocking work
     * elsewhere. The default runs {@link #send} in the calling thread.
     */
    default CompletionStage<SendResult> sendAsync(OutboundMessage message) {
        return CompletableFuture.completedFuture(send(message));
    }

    /**
     * Sends in flight this provider is built to carry for the queue of {@code channel} ({@code platform}: the device
     * platform of a PUSH queue, null for the other channels), or 0 for no opinion. A queue whose
     * concurrency is not configured takes its providers' largest preference instead of the general default: a
     * multiplexed HTTP/2 provider carries hundreds of streams per connection, and a lane limit sized for a server that
     * answers at once caps it at limit / round trip against one tens of milliseconds away (docs/benchmarks.md).
     */
    default int preferredConcurrency(Channel channel, Platform platform) {
        return 0;
    }
}

package io.herald.server.wiring;

import io.herald.core.model.Channel;
import io.herald.core.model.Platform;
import io.herald.core.model.Target;
import io.herald.core.provider.ChannelProvider;
import io.herald.core.provider.OutboundMessage;
import io.herald.core.provider.SendResult;

import java.util.concurrent.CompletionStage;

/** A named instance of a provider type ("relay-eu" of type smtp): traces, metrics, breakers and throttles use its name. */
record RenamedProvider(String name, ChannelProvider delegate) implements ChannelProvider {

    @Override
    public Channel channel() {
        return delegate.channel();
    }

    @Override
    public boolean supports(Target target) {
        return delegate.supports(target);
    }

    @Override
    public int preferredConcurrency(Channel channel, Platform platform) {
        return delegate.preferredConcurrency(channel, platform);
    }

    @Override
    public SendResult send(OutboundMessage message) {
        return renamed(delegate.send(message));
    }

    @Override
    public CompletionStage<SendResult> sendAsync(OutboundMessage message) {
        return delegate.sendAsync(message).thenApply(this::renamed);
    }

    private SendResult renamed(SendResult r) {
        // "smtp: 421 ..." from the type would name the wrong instance
        String own = delegate.name() + ": ";
        return switch (r) {
            case SendResult.Failed f when f.detail() != null && f.detail().startsWith(own) ->
                new SendResult.Failed(name + ": " + f.detail().substring(own.length()), f.retryAfter(), f.attempted());
            case SendResult.Rejected j when j.detail() != null && j.detail().startsWith(own) ->
                new SendResult.Rejected(j.reason(), name + ": " + j.detail().substring(own.length()), j.tokenInvalidSince());
            case null, default -> r;
        };
    }
}

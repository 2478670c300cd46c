package io.herald.providers.resilience;

import io.herald.core.model.Channel;
import io.herald.core.provider.ChannelProvider;
import io.herald.core.provider.OutboundMessage;
import io.herald.core.provider.SendResult;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/** A provider whose answer the test sets, counting calls. */
final class ScriptedProvider implements ChannelProvider {

    private final String name;
    private final Channel channel;
    private final AtomicReference<Supplier<SendResult>> answer;
    final AtomicInteger calls = new AtomicInteger();

    ScriptedProvider(String name, Channel channel, SendResult answer) {
        this.name = name;
        this.channel = channel;
        this.answer = new AtomicReference<>(() -> answer);
    }

    void answer(SendResult result) {
        answer.set(() -> result);
    }

    void answer(Supplier<SendResult> result) {
        answer.set(result);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Channel channel() {
        return channel;
    }

    @Override
    public SendResult send(OutboundMessage message) {
        calls.incrementAndGet();
        return answer.get().get();
    }
}

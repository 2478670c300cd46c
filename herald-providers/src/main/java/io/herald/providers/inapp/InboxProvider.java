package io.herald.providers.inapp;

import io.herald.core.inbox.InboxStore;
import io.herald.core.model.Channel;
import io.herald.core.model.Target;
import io.herald.core.provider.ChannelProvider;
import io.herald.core.provider.OutboundMessage;
import io.herald.core.provider.SendResult;

import java.time.Clock;

/**
 * The IN_APP "provider": Herald's own inbox. Delivering is storing the item (once per notification, so a reclaimed
 * lease does not show the message twice); the store announces it to the user's open streams on every node.
 * The notification becomes SENT; reading it later records OPENED, which also moves it to DELIVERED.
 */
public final class InboxProvider implements ChannelProvider {

    public static final String NAME = "inbox";

    private final InboxStore store;
    private final Clock clock;

    public InboxProvider(InboxStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Channel channel() {
        return Channel.IN_APP;
    }

    @Override
    public SendResult send(OutboundMessage m) {
        if (!(m.target() instanceof Target.Inbox inbox)) {
            return SendResult.rejected(io.herald.core.model.Reason.INVALID_RECIPIENT, "the inbox takes only inbox targets");
        }
        long seq = store.deliver(m.appId(), inbox.userId(), m.id(), m.content(), clock.instant());
        return SendResult.accepted("inbox:" + seq);
    }
}

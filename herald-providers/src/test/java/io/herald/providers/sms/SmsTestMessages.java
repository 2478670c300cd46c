package io.herald.providers.sms;

import io.herald.core.model.Channel;
import io.herald.core.model.Content;
import io.herald.core.model.Priority;
import io.herald.core.model.Target;
import io.herald.core.provider.OutboundMessage;

import java.util.UUID;

final class SmsTestMessages {

    private SmsTestMessages() {
    }

    static OutboundMessage sms(String to, String text) {
        return new OutboundMessage(UUID.randomUUID(), 1, "evt-" + UUID.randomUUID(), Channel.SMS, new Target.Phone(to),
                Priority.HIGH, Content.ofText(text), "transactional", null, 1);
    }
}

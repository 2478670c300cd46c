package io.herald.providers.email;

import io.herald.core.model.Channel;
import io.herald.core.model.Content;
import io.herald.core.model.Priority;
import io.herald.core.model.Target;
import io.herald.core.provider.OutboundMessage;

import java.util.Map;
import java.util.UUID;

final class EmailTestMessages {

    private EmailTestMessages() {
    }

    static OutboundMessage email(long appId, String to, String subject, String html, String text, String category) {
        return new OutboundMessage(UUID.randomUUID(), appId, "evt-" + UUID.randomUUID(), Channel.EMAIL,
                new Target.Email(to), Priority.NORMAL,
                new Content(null, null, subject, html, text, null, Map.of()), category, null, 1);
    }

    static OutboundMessage text(String to) {
        return email(1, to, "Hello", null, "Plain body", "transactional");
    }

    static byte[] secret() {
        return "0123456789abcdef0123456789abcdef-test-only".getBytes();
    }
}

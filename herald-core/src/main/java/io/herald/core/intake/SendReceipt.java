package io.herald.core.intake;

import io.herald.core.model.Channel;
import io.herald.core.model.Reason;
import io.herald.core.model.Status;

import java.util.List;
import java.util.UUID;

/** The answer to a send, stored with it so that a repeated eventId gets exactly the same answer. */
public record SendReceipt(String eventId, List<Item> notifications) {

    /** One notification: one channel and one target. target is masked; null when there was no recipient. */
    public record Item(UUID id, Channel channel, String target, Status status, Reason reason) {
    }
}

package io.herald.core.provider;

import io.herald.core.model.Reason;

import java.time.Instant;

/**
 * Where providers report what happens after acceptance (SMS status callbacks, email bounces): the
 * core turns each into a history event and a status change (SENT -> DELIVERED or FAILED).
 */
public interface DeliveryReceipts {

    /** @return false when no notification has that provider message id */
    boolean delivered(String provider, String providerMessageId, Instant at, String detail);

    /** @return false when no notification has that provider message id */
    boolean failed(String provider, String providerMessageId, Reason reason, Instant at, String detail);
}

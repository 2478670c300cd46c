package io.herald.core.audience;

import io.herald.core.intake.SendRequest;
import io.herald.core.intake.SendService;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/** Accepts audience sends: checks the send once, stores the broadcast, and leaves the fan-out to the scheduler. */
public final class BroadcastService {

    private final BroadcastStore store;
    private final SendService sends;
    private final Runnable wakeFanout;
    private final Clock clock;
    private final Supplier<UUID> ids;

    public BroadcastService(BroadcastStore store, SendService sends, Runnable wakeFanout, Clock clock, Supplier<UUID> ids) {
        this.store = store;
        this.sends = sends;
        this.wakeFanout = wakeFanout;
        this.clock = clock;
        this.ids = ids;
    }

    /**
     * @param send the send without a recipient
     * @throws io.herald.core.intake.InvalidSendException or a template exception when no recipient could get it
     */
    public BroadcastStore.Created accept(long appId, Audience audience, SendRequest send) {
        if (send.userId() != null || !send.oneOff().isEmpty()) throw new IllegalArgumentException("a broadcast names no recipient");
        sends.checkBroadcast(appId, send);
        BroadcastStore.Created created = store.create(appId, ids.get(), audience, send, clock.instant());
        if (!created.replay()) wakeFanout.run();
        return created;
    }

    public Optional<BroadcastStore.Progress> progress(long appId, UUID id) {
        return store.progress(appId, id);
    }

    public Optional<BroadcastStore.Progress> cancel(long appId, UUID id) {
        return store.cancel(appId, id, clock.instant());
    }
}

package io.herald.core.audience;

import io.herald.core.intake.InvalidSendException;
import io.herald.core.intake.SendRequest;
import io.herald.core.intake.SendService;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/** Campaigns: a draft becomes a throttled, possibly delayed broadcast when scheduled; pause, resume and cancel act on it. */
public final class CampaignService {

    /** What went wrong with a state change, for a 409. */
    public static final class StateException extends RuntimeException {
        public StateException(String message) {
            super(message);
        }
    }

    /** A campaign with where its broadcast stands (empty while a draft) and its funnel. */
    public record View(Campaign campaign, String status, Optional<BroadcastStore.Progress> progress, Map<String, Long> funnel) {
    }

    private final CampaignStore campaigns;
    private final BroadcastStore broadcasts;
    private final SendService sends;
    private final Runnable wakeFanout;
    private final Clock clock;
    private final Supplier<UUID> ids;

    public CampaignService(CampaignStore campaigns, BroadcastStore broadcasts, SendService sends, Runnable wakeFanout, Clock clock,
                           Supplier<UUID> ids) {
        this.campaigns = campaigns;
        this.broadcasts = broadcasts;
        this.sends = sends;
        this.wakeFanout = wakeFanout;
        this.clock = clock;
        this.ids = ids;
    }

    /** Checks the send as a broadcast would be checked (template renders, channels have content) and stores a draft. */
    public Campaign draft(long appId, String name, Audience audience, SendRequest send, Instant sendAt, Integer throttlePerSecond,
                          String by) {
        if (throttlePerSecond != null && throttlePerSecond < 1) throw new InvalidSendException("throttlePerSecond", "must be 1 or more");
        UUID id = ids.get();
        Instant now = clock.instant();
        SendRequest stored = new SendRequest("campaign-" + id, null, java.util.List.of(), send.channels(), send.templateKey(),
                send.templateVersion(), send.data(), send.locale(), send.content(), send.category(), send.priority(), null,
                send.expiresAt(), send.deliverAt());
        sends.checkBroadcast(appId, stored);
        Campaign c = new Campaign(id, appId, name, audience, stored, sendAt, throttlePerSecond, null, by, now, now);
        campaigns.create(c);
        return c;
    }

    public Optional<View> view(UUID id) {
        return campaigns.find(id).map(this::view);
    }

    public java.util.List<View> list(Instant beforeAt, UUID beforeId, int limit) {
        return campaigns.list(beforeAt, beforeId, limit).stream().map(this::view).toList();
    }

    /** Why the campaign's suppressed notifications were not sent, by reason. */
    public Map<String, Long> suppressedByReason(UUID id) {
        return campaigns.suppressedByReason(id);
    }

    public View schedule(UUID id) {
        Campaign c = campaigns.find(id).orElseThrow(() -> new java.util.NoSuchElementException("campaign " + id));
        if (c.broadcastId() != null) throw new StateException("campaign " + id + " is already scheduled");
        var created = broadcasts.create(c.appId(), ids.get(), c.audience(), c.send(), clock.instant(),
                new BroadcastStore.Schedule(c.id(), c.throttlePerSecond(), c.sendAt()));
        campaigns.attach(id, created.broadcast().id(), clock.instant());
        wakeFanout.run();
        return view(campaigns.find(id).orElseThrow());
    }

    public View pause(UUID id) {
        return move(id, BroadcastStatus.FANNING_OUT, BroadcastStatus.PAUSED, "only a running campaign can be paused");
    }

    public View resume(UUID id) {
        View v = move(id, BroadcastStatus.PAUSED, BroadcastStatus.FANNING_OUT, "only a paused campaign can be resumed");
        wakeFanout.run();
        return v;
    }

    public View cancel(UUID id) {
        Campaign c = scheduled(id);
        broadcasts.cancel(c.appId(), c.broadcastId(), clock.instant());
        return view(c);
    }

    private View move(UUID id, BroadcastStatus from, BroadcastStatus to, String otherwise) {
        Campaign c = scheduled(id);
        if (!broadcasts.move(c.appId(), c.broadcastId(), from, to, clock.instant())) throw new StateException(otherwise);
        return view(c);
    }

    private Campaign scheduled(UUID id) {
        Campaign c = campaigns.find(id).orElseThrow(() -> new java.util.NoSuchElementException("campaign " + id));
        if (c.broadcastId() == null) throw new StateException("campaign " + id + " is a draft: schedule it first");
        return c;
    }

    private View view(Campaign c) {
        if (c.broadcastId() == null) return new View(c, "DRAFT", Optional.empty(), Map.of());
        var progress = broadcasts.progress(c.appId(), c.broadcastId());
        String status = progress.map(p -> switch (p.broadcast().status()) {
            case FANNING_OUT ->
                p.broadcast().recipients() == 0 && c.sendAt() != null && c.sendAt().isAfter(clock.instant()) ? "SCHEDULED" : "RUNNING";
            case PAUSED -> "PAUSED";
            case COMPLETED -> "COMPLETED";
            case CANCELLED -> "CANCELLED";
        }).orElse("SCHEDULED");
        return new View(c, status, progress, campaigns.funnel(c.id()));
    }
}

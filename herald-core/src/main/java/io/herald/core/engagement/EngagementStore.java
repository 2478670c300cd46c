package io.herald.core.engagement;

import io.herald.core.model.Channel;
import io.herald.core.model.Content;
import io.herald.core.model.Reason;
import io.herald.core.model.Status;
import io.herald.core.trace.TrackingEvent;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What happens to a notification after a provider took it, found by Herald's notification id: tracking settings,
 * opens and clicks, provider receipts, the suppression list and conversion candidates.
 */
public interface EngagementStore extends TrackingSettings, SuppressionList {

    /** What the tracking endpoints need of a notification. deliveredAt: its first SENT or DELIVERED event, or null. */
    record Tracked(UUID id, long appId, Channel channel, Content content, String targetEmail, Instant deliveredAt) {
    }

    record Suppression(String address, String reason, String source, String detail, Instant createdAt) {
    }

    void saveSettings(long appId, Settings s, Instant now);

    Optional<Tracked> tracked(UUID id);

    /**
     * Records an open or click once per notification (a person's and a machine's separately): a second fetch of the
     * pixel or link adds nothing. A person's open or click moves the status as {@link #statusAfterEngagement} says.
     *
     * @param event OPENED or CLICKED
     * @return true when recorded, false when it was there already or the notification does not exist
     */
    boolean recordEngagement(UUID id, TrackingEvent event, Instant at, boolean automated, String detail);

    /**
     * A provider's receipt for a notification it names by Herald's id (from a verified callback): a notification
     * {@link #takesReceipts taking receipts} moves to {@code status} (DELIVERED or FAILED).
     *
     * @return the app id when the notification exists and was sent
     */
    Optional<Long> receipt(UUID id, String provider, Status status, Reason reason, Instant at, String detail);

    /** The app of a notification, whatever its status now. */
    Optional<Long> appOf(UUID id);

    /** Whether the app has any suppressed address: most apps most of the time have none, and intake skips the lookup. */
    boolean hasSuppressions(long appId);

    /** @return true when the address was not suppressed before */
    boolean suppress(long appId, String address, String reason, String source, String detail, Instant now);

    boolean unsuppress(long appId, String address);

    /** One page in address order; {@code after} is the last address of the previous page. */
    List<Suppression> suppressions(long appId, String after, int limit);

    /** The app's notifications of one eventId created before {@code at}, with their latest human click and open. */
    List<ConversionAttribution.Candidate> conversionCandidates(long appId, String eventId, Instant at);

    /**
     * The status after an open or click: a person's implies delivery (SENT becomes DELIVERED, as
     * {@link TrackingEvent#statusAfter} says); a machine's (a scanner, a prefetch) proves nothing and changes nothing.
     */
    static Status statusAfterEngagement(TrackingEvent event, Status current, boolean automated) {
        return automated ? current : event.statusAfter(current);
    }

    /** A provider's receipt changes only a notification it has sent: SENT, or DELIVERED that a later bounce turns FAILED. */
    static boolean takesReceipts(Status current) {
        return current == Status.SENT || current == Status.DELIVERED;
    }
}

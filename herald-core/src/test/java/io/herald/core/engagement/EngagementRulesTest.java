package io.herald.core.engagement;

import io.herald.core.model.Status;
import io.herald.core.trace.TrackingEvent;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The rules the engagement stores apply: what an open, a click or a provider's receipt may change. */
class EngagementRulesTest {

    @Test
    void aPersonsOpenOrClickImpliesDeliveryOfASentNotification() {
        assertThat(EngagementStore.statusAfterEngagement(TrackingEvent.OPENED, Status.SENT, false)).isEqualTo(Status.DELIVERED);
        assertThat(EngagementStore.statusAfterEngagement(TrackingEvent.CLICKED, Status.SENT, false)).isEqualTo(Status.DELIVERED);
    }

    @Test
    void aMachinesFetchChangesNothing() {
        assertThat(EngagementStore.statusAfterEngagement(TrackingEvent.OPENED, Status.SENT, true)).isEqualTo(Status.SENT);
    }

    @Test
    void anOpenNeverRevivesAFailedOrCancelledNotification() {
        for (Status s : EnumSet.of(Status.FAILED, Status.CANCELLED, Status.QUEUED, Status.DELIVERED)) {
            assertThat(EngagementStore.statusAfterEngagement(TrackingEvent.CLICKED, s, false)).isEqualTo(s);
        }
    }

    @Test
    void receiptsChangeOnlySentOrDeliveredNotifications() {
        assertThat(EnumSet.allOf(Status.class).stream().filter(EngagementStore::takesReceipts))
                .containsExactlyInAnyOrder(Status.SENT, Status.DELIVERED);
    }

    @Test
    void addressesAreKeptTrimmedAndInLowerCase() {
        assertThat(SuppressionList.normalise("  Ada@Example.COM ")).isEqualTo("ada@example.com");
    }
}

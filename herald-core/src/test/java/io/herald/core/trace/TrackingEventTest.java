package io.herald.core.trace;

import io.herald.core.model.Status;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TrackingEventTest {

    @Test
    void deliveryOpensAndClicksMoveSentToDelivered() {
        assertThat(TrackingEvent.DELIVERED.statusAfter(Status.SENT)).isEqualTo(Status.DELIVERED);
        assertThat(TrackingEvent.OPENED.statusAfter(Status.SENT)).isEqualTo(Status.DELIVERED);
        assertThat(TrackingEvent.CLICKED.statusAfter(Status.SENT)).isEqualTo(Status.DELIVERED);
    }

    @Test
    void aConversionSaysNothingAboutDelivery() {
        assertThat(TrackingEvent.CONVERTED.statusAfter(Status.SENT)).isEqualTo(Status.SENT);
    }

    @Test
    void noEventRevivesOrSkipsAheadOfAnyOtherStatus() {
        for (TrackingEvent e : TrackingEvent.values()) {
            for (Status s : Status.values()) {
                if (s == Status.SENT) continue;
                assertThat(e.statusAfter(s)).as(e + " on " + s).isEqualTo(s);
            }
        }
    }

    @Test
    void parsesOnlyExactApiNames() {
        assertThat(TrackingEvent.parse("OPENED")).contains(TrackingEvent.OPENED);
        assertThat(TrackingEvent.parse("opened")).isEmpty();
        assertThat(TrackingEvent.parse("SENT")).isEmpty();
        assertThat(TrackingEvent.parse(null)).isEmpty();
    }
}

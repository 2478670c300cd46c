package io.herald.core.engagement;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class ConversionAttributionTest {

    private final ConversionAttribution attribution = new ConversionAttribution(Duration.ofDays(7));
    private final Instant now = Instant.parse("2026-12-01T12:00:00Z");

    @Test
    void clickedBeforeOpenedBeforeLatest() {
        var push = new ConversionAttribution.Candidate(UUID.randomUUID(), now.minusSeconds(3600), null, null);
        var email = new ConversionAttribution.Candidate(UUID.randomUUID(), now.minusSeconds(7200), null, now.minusSeconds(600));
        var sms = new ConversionAttribution.Candidate(UUID.randomUUID(), now.minusSeconds(9000), now.minusSeconds(300), null);
        assertThat(attribution.pick(List.of(push, email, sms), now)).hasValue(sms);
        assertThat(attribution.pick(List.of(push, email), now)).hasValue(email);
        assertThat(attribution.pick(List.of(push), now)).hasValue(push);
    }

    @Test
    void outsideTheWindowIsNotCredited() {
        var old = new ConversionAttribution.Candidate(UUID.randomUUID(), now.minus(Duration.ofDays(8)), now.minus(Duration.ofDays(8)),
                null);
        var later = new ConversionAttribution.Candidate(UUID.randomUUID(), now.plusSeconds(60), null, null);
        assertThat(attribution.pick(List.of(old, later), now)).isEmpty();
    }
}

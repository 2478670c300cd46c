package io.herald.core.engagement;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class AutomatedTrafficTest {

    private static final String SAFARI = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148";
    private final AutomatedTraffic traffic = new AutomatedTraffic(Duration.ofSeconds(1));
    private final Instant delivered = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void peopleAreCounted() {
        assertThat(traffic.classify(TrackingTokens.Kind.OPEN, SAFARI, delivered.plusSeconds(30), delivered)).isEmpty();
        assertThat(traffic.classify(TrackingTokens.Kind.CLICK, SAFARI, delivered.plusSeconds(30), delivered)).isEmpty();
    }

    @Test
    void machinesAreFlagged() {
        assertThat(traffic.classify(TrackingTokens.Kind.CLICK, SAFARI, delivered.plusMillis(400), delivered)).hasValueSatisfying(
                why -> assertThat(why).contains("within 1000 ms"));
        assertThat(traffic.classify(TrackingTokens.Kind.OPEN, "Mozilla/5.0", delivered.plusSeconds(60), delivered))
                .hasValue("Apple Mail Privacy Protection");
        assertThat(traffic.classify(TrackingTokens.Kind.CLICK, "Mozilla/5.0 (compatible; Barracuda Sentinel)", delivered.plusSeconds(60),
                delivered)).isPresent();
        assertThat(traffic.classify(TrackingTokens.Kind.CLICK, "Slackbot-LinkExpanding 1.0", delivered.plusSeconds(60), delivered))
                .isPresent();
        assertThat(traffic.classify(TrackingTokens.Kind.OPEN, null, delivered.plusSeconds(60), delivered)).isPresent();
    }
}

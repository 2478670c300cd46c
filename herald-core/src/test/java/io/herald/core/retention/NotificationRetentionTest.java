package io.herald.core.retention;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** A pass deletes batch after batch until one comes back short, resting after each full one as long as it took. */
class NotificationRetentionTest {

    static final Instant NOW = Instant.parse("2026-12-03T00:00:00Z");

    @Test
    void aPassRunsUntilABatchComesBackShortAndRestsAsLongAsEachFullOneTook() throws Exception {
        Deque<Integer> answers = new ArrayDeque<>(List.of(10, 10, 3, 10));
        List<Instant> cutoffs = new ArrayList<>();
        long[] nanos = {0};
        HistoryPurge purge = (cutoff, max) -> {
            cutoffs.add(cutoff);
            assertThat(max).isEqualTo(10);
            nanos[0] += 7_000_000; // each batch "takes" 7 ms
            return answers.pop();
        };
        List<Long> rests = new ArrayList<>();
        var retention = new NotificationRetention(purge, Duration.ofDays(30), 10, Clock.fixed(NOW, ZoneOffset.UTC), () -> nanos[0],
                rests::add);

        assertThat(retention.runOnce()).isEqualTo(new NotificationRetention.Pass(23, 0));
        assertThat(cutoffs).containsOnly(NOW.minus(Duration.ofDays(30))).hasSize(3);
        assertThat(rests).containsExactly(7_000_000L, 7_000_000L);
        assertThat(answers).as("the fourth batch waits for the next pass").containsExactly(10);
    }

    @Test
    void retentionAndBatchMustBePositive() {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new NotificationRetention((c, m) -> 0, Duration.ZERO, 10, clock, () -> 0, n -> {
                }));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new NotificationRetention((c, m) -> 0, Duration.ofDays(1), 0, clock, () -> 0, n -> {
                }));
    }

    @Test
    void theAudienceRecordsGoAfterTheNotificationsWithTheSameCutoff() throws Exception {
        List<String> calls = new ArrayList<>();
        HistoryPurge purge = new HistoryPurge() {
            public int purgeSettledBefore(Instant cutoff, int max) {
                calls.add("notifications " + cutoff);
                return 2;
            }

            public int purgeFinishedAudienceSendsBefore(Instant cutoff, int max) {
                calls.add("audience " + cutoff);
                return 1;
            }
        };
        var retention = new NotificationRetention(purge, Duration.ofDays(1), 10, Clock.fixed(NOW, ZoneOffset.UTC), () -> 0, n -> {
        });
        assertThat(retention.runOnce()).isEqualTo(new NotificationRetention.Pass(2, 1));
        Instant cutoff = NOW.minus(Duration.ofDays(1));
        assertThat(calls).containsExactly("notifications " + cutoff, "audience " + cutoff);
    }
}

package io.herald.kafka;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PartitionOffsetsTest {

    @Test
    void theCommitPositionMovesOnlyPastAnUnbrokenRunOfFinishedOffsets() {
        PartitionOffsets p = new PartitionOffsets();
        for (long o = 10; o < 15; o++) p.taken(o);
        p.done(11);
        p.done(12);
        assertThat(p.advance()).as("10 is still under way").isEqualTo(-1);
        assertThat(p.inFlight()).isEqualTo(5);

        p.done(10);
        assertThat(p.advance()).isEqualTo(13);
        assertThat(p.inFlight()).isEqualTo(2);
        assertThat(p.advance()).as("unchanged since the last call").isEqualTo(-1);

        p.done(99); // never taken here (a revoked partition's message): ignored
        p.done(14);
        p.done(13);
        assertThat(p.advance()).isEqualTo(15);
        assertThat(p.inFlight()).isZero();
    }
}

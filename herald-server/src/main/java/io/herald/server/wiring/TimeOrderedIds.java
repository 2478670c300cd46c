package io.herald.server.wiring;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;

import java.util.UUID;

/**
 * Ids of notifications and broadcasts: UUID version 7 (RFC 9562), 48 bits of Unix milliseconds then 74 random bits.
 * Random (version 4) ids put every new notification at a random place in each index keyed by its id (notifications,
 * queue entries, history), so a large fan-out dirtied, evicted and re-read pages all over them; time-ordered ids land
 * at the right edge. Still unguessable (74 random bits); the time they reveal is the notification's createdAt.
 */
final class TimeOrderedIds {

    private static final TimeBasedEpochGenerator GENERATOR = Generators.timeBasedEpochGenerator();

    private TimeOrderedIds() {
    }

    static UUID next() {
        return GENERATOR.generate();
    }
}

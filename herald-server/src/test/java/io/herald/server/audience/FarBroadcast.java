package io.herald.server.audience;

import io.herald.core.audience.Audience;
import io.herald.core.audience.BroadcastFanout;
import io.herald.core.audience.BroadcastStore;
import io.herald.core.intake.SendRequest;
import io.herald.core.model.Channel;
import io.herald.core.model.Content;
import io.herald.testkit.SettableClock;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A broadcast (one EMAIL each) to a topic, starting ten years ahead so the server's own scheduler never touches it,
 * with a settable clock already at its start: tests step its fan-out themselves.
 */
record FarBroadcast(UUID id, SettableClock clock) {

    static FarBroadcast create(BroadcastStore store, long app, String topic) {
        Instant start = Instant.now().plus(3650, ChronoUnit.DAYS);
        SettableClock clock = new SettableClock(start.plusSeconds(1));
        SendRequest send = new SendRequest(topic, null, List.of(), Set.of(Channel.EMAIL), null, null, null, null,
                new Content(null, null, "s", null, "t", null, null), null, null, null, null);
        UUID id = store.create(app, UUID.randomUUID(), new Audience.OfTopic(topic), send, clock.instant(),
                new BroadcastStore.Schedule(null, null, start)).broadcast().id();
        return new FarBroadcast(id, clock);
    }

    /**
     * Runs {@code fanout} until this broadcast is COMPLETED (runOnce takes the oldest due broadcast: another test's may
     * come first) and answers its status then.
     */
    String runToEnd(BroadcastFanout fanout, BroadcastStore store, long app) {
        for (int i = 0; i < 20 && !status(store, app).equals("COMPLETED"); i++) fanout.runOnce();
        return status(store, app);
    }

    private String status(BroadcastStore store, long app) {
        return store.progress(app, id).orElseThrow().broadcast().status().name();
    }
}

package io.herald.core.intake;

import io.herald.core.model.Content;
import io.herald.core.model.Target;
import io.herald.core.ratelimit.MutableClock;
import io.herald.core.user.UserProfile;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The eventId fast path only skips receipt look-ups: every replay is still answered with the stored receipt. */
class SendServiceFastPathTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));
    private final Receipts store = new Receipts();
    private final Memory memory = new Memory();
    private final SendService intake = new SendService(new NoUsers(), (key, version, locale, data) -> {
        throw new AssertionError("no templates in this test");
    }, RecipientPolicy.ALLOW_ALL, store, WorkNotifier.NONE, clock, UUID::randomUUID, java.time.ZoneOffset.UTC, memory);

    private static SendRequest send(String eventId, Instant expiresAt) {
        return new SendRequest(eventId, null, List.of(new Target.Email("ada@example.com")), null, null, null, null, null,
                new Content(null, null, "s", null, "t", null, null), null, null, null, expiresAt);
    }

    @Test
    void aNewEventIdIsStoredWithoutALookUpAndItsRepeatGetsTheStoredReceipt() {
        NotificationStore.Stored first = intake.send(1, send("e-1", null));
        assertThat(first.replay()).isFalse();
        assertThat(store.lookUps).isEmpty();

        NotificationStore.Stored again = intake.send(1, send("e-1", null));
        assertThat(again.replay()).isTrue();
        assertThat(again.receipt()).isEqualTo(first.receipt());
        assertThat(store.lookUps).containsExactly("e-1");
        assertThat(store.rows).hasSize(1);
    }

    @Test
    void aReplayOlderThanTheMemoryWhosePlanNowFailsIsStillAnsweredAsAReplay() {
        NotificationStore.Stored first = intake.send(1, send("e-2", clock.instant().plus(Duration.ofHours(1))));
        memory.forget(); // the fast path's TTL passed
        clock.advance(Duration.ofHours(2)); // and the send's expiresAt with it: planning it again would be a 422

        NotificationStore.Stored again = intake.send(1, send("e-2", clock.instant().minus(Duration.ofHours(1))));

        assertThat(again.replay()).isTrue();
        assertThat(again.receipt()).isEqualTo(first.receipt());
    }

    @Test
    void aReplayOlderThanTheMemoryIsCaughtByTheStoresUniqueKey() {
        NotificationStore.Stored first = intake.send(1, send("e-3", null));
        memory.forget();

        NotificationStore.Stored again = intake.send(1, send("e-3", null));

        assertThat(again).isEqualTo(new NotificationStore.Stored(first.receipt(), true));
        assertThat(store.rows).hasSize(1);
    }

    @Test
    void aBatchLooksUpOnlyTheEventIdsTheMemoryHasSeen() {
        intake.send(1, send("b-1", null));

        List<Object> results = intake.sendBatch(1, List.of(send("b-1", null), send("b-2", null), send("b-3", null)));

        assertThat(store.lookUps).containsExactly("b-1");
        assertThat(results).extracting(r -> ((NotificationStore.Stored) r).replay()).containsExactly(true, false, false);
    }

    @Test
    void anInvalidSendThatWasNeverStoredIsStillRefused() {
        List<Object> results = intake.sendBatch(1, List.of(send("x-1", clock.instant().minusSeconds(1))));
        assertThat(results.getFirst()).isInstanceOf(InvalidSendException.class);
    }

    /** A fast path that remembers until told to forget. */
    private static final class Memory implements EventIdFastPath {
        private final Set<String> seen = new HashSet<>();

        public synchronized Set<String> claimUnseen(long appId, List<String> eventIds) {
            Set<String> unseen = new LinkedHashSet<>();
            for (String e : eventIds) if (seen.add(appId + "/" + e)) unseen.add(e);
            return unseen;
        }

        synchronized void forget() {
            seen.clear();
        }
    }

    /** Receipts by eventId, with the unique key's behaviour, recording look-ups. */
    private static final class Receipts implements NotificationStore {
        final Map<String, SendReceipt> rows = new LinkedHashMap<>();
        final List<String> lookUps = new ArrayList<>();

        public synchronized Optional<SendReceipt> findReceipt(long appId, String eventId) {
            lookUps.add(eventId);
            return Optional.ofNullable(rows.get(eventId));
        }

        public synchronized List<Stored> acceptAll(List<Accepted> sends) {
            List<Stored> out = new ArrayList<>();
            for (Accepted a : sends) {
                SendReceipt earlier = rows.putIfAbsent(a.receipt().eventId(), a.receipt());
                out.add(earlier != null ? new Stored(earlier, true) : new Stored(a.receipt(), false));
            }
            return out;
        }
    }

    @Test
    void aBatchLoadsItsUsersTogetherBeforePlanningThem() {
        List<String> calls = new ArrayList<>();
        UserDirectory users = new UserDirectory() {
            @Override
            public Optional<UserProfile> find(long appId, String userId) {
                calls.add("find " + userId);
                return Optional.of(new UserProfile(appId, userId, userId + "@example.com", null, null, null, Map.of(), null));
            }

            @Override
            public List<Target.Device> activeDevices(long appId, String userId) {
                return List.of();
            }

            @Override
            public void preload(long appId, java.util.Collection<String> userIds) {
                calls.add("preload " + userIds);
            }
        };
        SendService withUsers = new SendService(users, (key, version, locale, data) -> {
            throw new AssertionError("no templates in this test");
        }, RecipientPolicy.ALLOW_ALL, store, WorkNotifier.NONE, clock, UUID::randomUUID, java.time.ZoneOffset.UTC, memory);
        List<Object> results = withUsers.sendBatch(1, List.of(toUser("p-1", "u1"), toUser("p-2", "u2"), toUser("p-3", "u1")));
        assertThat(results).allMatch(r -> r instanceof NotificationStore.Stored);
        assertThat(calls.getFirst()).as("one preload of the distinct users, before any send is planned").isEqualTo("preload [u1, u2]");
        assertThat(calls).filteredOn(c -> c.startsWith("preload")).hasSize(1);
    }

    private static SendRequest toUser(String eventId, String userId) {
        return new SendRequest(eventId, userId, null, Set.of(io.herald.core.model.Channel.EMAIL), null, null, null, null,
                new Content(null, null, "s", null, "t", null, null), null, null, null, null);
    }

    private static final class NoUsers implements UserDirectory {
        public Optional<UserProfile> find(long appId, String userId) {
            return Optional.empty();
        }

        public List<Target.Device> activeDevices(long appId, String userId) {
            return List.of();
        }
    }
}

package io.herald.core.intake;

import io.herald.core.model.Content;
import io.herald.core.model.Reason;
import io.herald.core.model.Status;
import io.herald.core.model.Target;
import io.herald.core.preference.PreferencePolicy;
import io.herald.core.preference.PreferenceSettings;
import io.herald.core.ratelimit.InMemoryRateLimiter;
import io.herald.core.ratelimit.Limit;
import io.herald.core.ratelimit.MutableClock;
import io.herald.core.ratelimit.RateLimitSettings;
import io.herald.core.ratelimit.RateLimiter;
import io.herald.core.ratelimit.UserRateLimitPolicy;
import io.herald.core.user.UserProfile;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** One-off sends (a raw address, no user) are rate limited per address, through the intake, with the default limits. */
class SendServiceOneOffLimitTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));
    private final InMemoryRateLimiter buckets = new InMemoryRateLimiter(clock);
    private final List<String> keys = new ArrayList<>();
    private final List<Integer> calls = new ArrayList<>(); // the size of each acquireAll call
    private final RateLimiter limiter = new RateLimiter() {
        public Decision acquire(String key, Limit limit, Duration maxWait) {
            keys.add(key);
            return buckets.acquire(key, limit, maxWait);
        }

        public List<Decision> acquireAll(List<Request> requests) {
            calls.add(requests.size());
            return RateLimiter.super.acquireAll(requests);
        }
    };
    private final SendService intake = new SendService(new NoUsers(), (key, version, locale, data) -> {
        throw new AssertionError("no templates in this test");
    }, new HeraldRecipientPolicy(PreferencePolicy.standard(PreferenceSettings.defaults()),
            new UserRateLimitPolicy(RateLimitSettings.defaults(), limiter)), new Receipts(), WorkNotifier.NONE, clock, UUID::randomUUID);

    private SendReceipt.Item send(long appId, Target to, String category) {
        SendRequest r = new SendRequest(UUID.randomUUID().toString(), null, List.of(to), null, null, null, null, null,
                new Content(null, null, "s", null, "t", null, null), category, null, null, null);
        List<SendReceipt.Item> items = intake.send(appId, r).receipt().notifications();
        assertThat(items).hasSize(1);
        return items.getFirst();
    }

    @Test
    void twelveMarketingSendsToOneAddressPassExactlyTheMarketingLimit() {
        int queued = 0, limited = 0;
        for (int i = 0; i < 12; i++) {
            SendReceipt.Item item = send(1, new Target.Email("grace@example.com"), "marketing");
            if (item.status() == Status.QUEUED) queued++;
            if (item.status() == Status.SUPPRESSED && item.reason() == Reason.RATE_LIMITED) limited++;
            clock.advance(Duration.ofSeconds(1));
        }

        assertThat(queued).isEqualTo(3); // marketing: 3 per day, dropped
        assertThat(limited).isEqualTo(9);
        // the bucket store only ever saw a hash of the address
        assertThat(keys).hasSize(12)
                .allSatisfy(k -> assertThat(k).startsWith("app:1:addr:").doesNotContain("grace").doesNotContain("example"));
    }

    @Test
    void eachAddressHasItsOwnBucket() {
        exhaustMarketing(1, new Target.Email("grace@example.com"));

        assertThat(send(1, new Target.Email("ada@example.com"), "marketing").status()).isEqualTo(Status.QUEUED);
        assertThat(send(1, new Target.Phone("+14155550100"), "marketing").status()).isEqualTo(Status.QUEUED);
        assertThat(send(1, new Target.Email("grace@example.com"), "marketing").reason()).isEqualTo(Reason.RATE_LIMITED);
        assertThat(send(1, new Target.Email("Grace@Example.COM"), "marketing").reason())
                .as("the same mailbox in other letter case shares the bucket").isEqualTo(Reason.RATE_LIMITED);
    }

    @Test
    void theSameAddressInAnotherAppHasItsOwnBucket() {
        exhaustMarketing(1, new Target.Email("grace@example.com"));

        assertThat(send(2, new Target.Email("grace@example.com"), "marketing").status()).isEqualTo(Status.QUEUED);
    }

    @Test
    void aDeferCategoryHoldsTheSendInsteadOfDroppingIt() {
        // uncategorised: 20 per hour, deferred up to an hour
        for (int i = 0; i < 20; i++) assertThat(send(1, new Target.Phone("+14155550100"), null).status()).isEqualTo(Status.QUEUED);

        SendReceipt.Item held = send(1, new Target.Phone("+14155550100"), null);
        assertThat(held.status()).isEqualTo(Status.SCHEDULED);
        assertThat(held.reason()).isNull();
        assertThat(keys).last().asString().endsWith(":ch:SMS:cat:-");
    }

    @Test
    void aBatchTakesAllItsTokensInOneLimiterCallWithTheSameVerdictsAsOneByOne() {
        List<SendRequest> batch = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Target to = i % 2 == 0 ? new Target.Email("grace@example.com") : new Target.Phone("+14155550100");
            batch.add(new SendRequest("batch-" + i, null, List.of(to), null, null, null, null, null,
                    new Content(null, null, "s", null, "t", null, null), "marketing", null, null, null));
        }

        List<Object> results = intake.sendBatch(1, batch);

        assertThat(calls).containsExactly(5);
        // marketing: 3 per day per address; grace got sends 0, 2, 4 and the phone 1, 3: everything fits
        assertThat(results).allSatisfy(r -> assertThat(((NotificationStore.Stored) r).receipt().notifications().getFirst().status())
                .isEqualTo(Status.QUEUED));
        SendRequest fourth = new SendRequest("batch-5", null, List.of(new Target.Email("GRACE@example.com")), null, null, null, null, null,
                new Content(null, null, "s", null, "t", null, null), "marketing", null, null, null);
        SendRequest again = new SendRequest("batch-6", null, List.of(new Target.Phone("+14155550100")), null, null, null, null, null,
                new Content(null, null, "s", null, "t", null, null), "marketing", null, null, null);
        List<Object> next = intake.sendBatch(1, List.of(fourth, again));
        assertThat(((NotificationStore.Stored) next.get(0)).receipt().notifications().getFirst().reason()).isEqualTo(Reason.RATE_LIMITED);
        assertThat(((NotificationStore.Stored) next.get(1)).receipt().notifications().getFirst().status()).isEqualTo(Status.QUEUED);
        assertThat(calls).containsExactly(5, 2);
    }

    private void exhaustMarketing(long appId, Target to) {
        for (int i = 0; i < 3; i++) assertThat(send(appId, to, "marketing").status()).isEqualTo(Status.QUEUED);
        assertThat(send(appId, to, "marketing").reason()).isEqualTo(Reason.RATE_LIMITED);
    }

    /** One-off sends never look a user up. */
    private static final class NoUsers implements UserDirectory {
        public Optional<UserProfile> find(long appId, String userId) {
            throw new AssertionError("a one-off send looked up user " + userId);
        }

        public List<Target.Device> activeDevices(long appId, String userId) {
            throw new AssertionError("a one-off send looked up devices of " + userId);
        }
    }

    /** Stores nothing: every send is new, and its receipt is the answer. */
    private static final class Receipts implements NotificationStore {
        public Optional<SendReceipt> findReceipt(long appId, String eventId) {
            return Optional.empty();
        }

        public List<Stored> acceptAll(List<Accepted> sends) {
            return sends.stream().map(a -> new Stored(a.receipt(), false)).toList();
        }
    }
}

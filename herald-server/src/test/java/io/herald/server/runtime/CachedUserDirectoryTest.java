package io.herald.server.runtime;

import io.herald.core.intake.UserDirectory;
import io.herald.core.model.Target;
import io.herald.core.user.UserProfile;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The user cache keeps its invalidation rules, and a read that raced a write never brings the old profile back. */
class CachedUserDirectoryTest {

    /** A directory whose next read can be held between loading and returning. */
    private static final class Database implements UserDirectory {
        final AtomicReference<String> email = new AtomicReference<>("old@example.com");
        final AtomicInteger reads = new AtomicInteger();
        volatile CountDownLatch loaded;
        volatile CountDownLatch release;

        @Override
        public Optional<UserProfile> find(long appId, String userId) {
            reads.incrementAndGet();
            UserProfile p = new UserProfile(appId, userId, email.get(), null, null, null, null, null);
            CountDownLatch l = loaded, r = release;
            if (l != null) {
                loaded = null;
                l.countDown();
                await(r);
            }
            return Optional.of(p);
        }

        @Override
        public List<Target.Device> activeDevices(long appId, String userId) {
            return List.of();
        }
    }

    private final Database db = new Database();
    private final CachedUserDirectory users = new CachedUserDirectory(db, Duration.ofMinutes(5));

    @Test
    void anotherProcesssWritesDropTheEntryAtOnceThroughTheInvalidationBus() {
        io.herald.core.cache.LocalInvalidationBus bus = new io.herald.core.cache.LocalInvalidationBus(); // stands for Redis
        CachedUserDirectory here = new CachedUserDirectory(db, Duration.ofMinutes(5));
        CachedUserDirectory there = new CachedUserDirectory(db, Duration.ofMinutes(5));
        here.shareInvalidations(bus);
        there.shareInvalidations(bus);
        assertThat(here.find(1, "u/with/slashes").orElseThrow().email()).isEqualTo("old@example.com");
        here.find(2, "v");

        db.email.set("new@example.com");
        there.invalidate(1, "u/with/slashes");
        assertThat(here.find(1, "u/with/slashes").orElseThrow().email()).isEqualTo("new@example.com");
        assertThat(here.find(2, "v").orElseThrow().email()).as("other keys stay cached").isEqualTo("old@example.com");

        there.invalidateApp(2);
        assertThat(here.find(2, "v").orElseThrow().email()).isEqualTo("new@example.com");
    }

    @Test
    void preloadReadsOnlyTheMissingUsersAndServesThemAfterwards() {
        users.find(1, "cached");
        users.preload(1, List.of("cached", "a", "b"));
        assertThat(db.reads).as("one read for the cached user, one each for the two missing").hasValue(3);
        users.find(1, "a");
        users.activeDevices(1, "b");
        users.find(1, "cached");
        assertThat(db.reads).hasValue(3);
        users.invalidate(1, "a");
        users.find(1, "a");
        assertThat(db.reads).hasValue(4);
    }

    @Test
    void repeatedReadsAreServedFromTheCacheUntilInvalidated() {
        users.find(1, "u");
        users.activeDevices(1, "u");
        assertThat(db.reads).hasValue(1);
        users.invalidate(1, "u");
        users.find(1, "u");
        assertThat(db.reads).hasValue(2);
        users.find(2, "u");
        users.invalidateApp(1);
        users.find(1, "u");
        users.find(2, "u");
        assertThat(db.reads).as("only app 1 was forgotten").hasValue(4);
    }

    @Test
    void aReadThatStartedBeforeAnInvalidationDoesNotPutItsStaleProfileAfterIt() throws Exception {
        raceAgainst(() -> users.invalidate(1, "u"));
    }

    @Test
    void aReadThatStartedBeforeAnAppInvalidationDoesNotPutItsStaleProfileAfterIt() throws Exception {
        raceAgainst(() -> users.invalidateApp(1));
    }

    private void raceAgainst(Runnable invalidation) throws Exception {
        db.release = new CountDownLatch(1);
        db.loaded = new CountDownLatch(1);
        CountDownLatch loaded = db.loaded;
        CompletableFuture<Optional<UserProfile>> reader = CompletableFuture.supplyAsync(() -> users.find(1, "u"));
        assertThat(loaded.await(10, TimeUnit.SECONDS)).isTrue();

        db.email.set("new@example.com"); // the write commits ...
        invalidation.run(); // ... and invalidates, while the reader still holds the old profile
        db.release.countDown();
        assertThat(reader.get(10, TimeUnit.SECONDS)).map(UserProfile::email).contains("old@example.com");

        assertThat(users.find(1, "u")).map(UserProfile::email).as("the next read sees the write").contains("new@example.com");
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) throw new AssertionError("timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}

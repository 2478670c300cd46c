package io.herald.core.dispatch;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Makes bulk work give way to HIGH notifications in this process. On two cores a broadcast's fan-out and the delivery
 * of its LOW notifications take the CPU and the WAL flushes that a one-time code waits for: measured, the HIGH
 * notifications' p99 from acceptance to claim went from tens to hundreds of milliseconds during a 1,000,000-recipient
 * fan-out (docs/benchmarks.md). Neither the kernel nor PostgreSQL can rank these by priority, so the bulk side rests.
 *
 * <p>The HIGH lanes report how long each fresh delivery waited from due to claimed, Herald's own queueing and nothing
 * of a provider's (a slow vendor of HIGH must not slow everyone else). A wait over the target doubles the rest the bulk
 * side takes before each step (from {@link Settings#firstRest()} up to {@link Settings#maxRest()}); a wait under half the
 * target halves it. With no strain for {@link Settings#calmAfter()} (no HIGH traffic, or a quiet one) bulk runs at full
 * speed. Thread-safe; the state is two volatile longs, exact enough for a pacing hint.
 */
public final class BulkYield {

    /**
     * @param target    HIGH due -> claimed waits above this call for the bulk side to rest
     * @param firstRest the rest after the first strained wait
     * @param maxRest   the longest rest per step
     * @param calmAfter no strained wait for this long: no rest at all
     */
    public record Settings(Duration target, Duration firstRest, Duration maxRest, Duration calmAfter) {
        public static final Settings DEFAULT = new Settings(Duration.ofMillis(50), Duration.ofMillis(10), Duration.ofMillis(250),
                Duration.ofSeconds(2));
    }

    /** Waits; a test's records the rests instead. */
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    /** Never rests: bulk at full speed whatever HIGH sees, and never sees any HIGH delivery (shared: it records nothing). */
    public static final BulkYield NEVER = new BulkYield(null, System::nanoTime, d -> {
    });

    private final Settings settings;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    private final boolean tracksHigh;
    private volatile long restNanos;
    private volatile long strainedAtNanos;
    private volatile long highSeenAtNanos;
    private volatile boolean highSeen;

    public BulkYield(Settings settings, LongSupplier nanoTime, Sleeper sleeper) {
        this(settings, nanoTime, sleeper, settings != null);
    }

    private BulkYield(Settings settings, LongSupplier nanoTime, Sleeper sleeper, boolean tracksHigh) {
        this.settings = settings;
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
        this.tracksHigh = tracksHigh;
    }

    public static BulkYield of(Settings settings) {
        return new BulkYield(settings, System::nanoTime, d -> Thread.sleep(d));
    }

    /** Never rests, but knows when HIGH deliveries were last seen ({@link #highSeenWithin}). */
    public static BulkYield restless(LongSupplier nanoTime) {
        return new BulkYield(null, nanoTime, d -> {
        }, true);
    }

    /**
     * Whether a HIGH delivery was claimed in this process during the last {@code window}: bulk work that would take
     * more of the machine at once (several fan-out pages committing together) stays at one step at a time then.
     */
    public boolean highSeenWithin(Duration window) {
        return highSeen && nanoTime.getAsLong() - highSeenAtNanos <= window.toNanos();
    }

    /** A HIGH delivery was claimed {@code waited} after it was due (first attempts only: a retry waits by design). */
    public void highWaited(Duration waited) {
        if (tracksHigh) {
            highSeenAtNanos = nanoTime.getAsLong();
            highSeen = true;
        }
        if (settings == null) return;
        long target = settings.target().toNanos(), w = waited.toNanos();
        if (w > target) {
            long r = restNanos;
            restNanos = r == 0 ? settings.firstRest().toNanos() : Math.min(r * 2, settings.maxRest().toNanos());
            strainedAtNanos = nanoTime.getAsLong();
        } else if (w < target / 2) {
            long r = restNanos / 2;
            restNanos = r < settings.firstRest().toNanos() / 2 ? 0 : r;
        }
    }

    /** How long bulk work should rest before its next step now: zero unless HIGH was strained lately. */
    public Duration rest() {
        if (settings == null) return Duration.ZERO;
        long r = restNanos;
        if (r == 0 || nanoTime.getAsLong() - strainedAtNanos > settings.calmAfter().toNanos()) return Duration.ZERO;
        return Duration.ofNanos(r);
    }

    /** Rests as long as {@link #rest()} says, before a bulk step (a fan-out page, a LOW or NORMAL claim). */
    public void beforeBulkStep() throws InterruptedException {
        Duration d = rest();
        if (!d.isZero()) sleeper.sleep(d);
    }
}

package io.herald.core.dispatch;

import io.herald.core.model.Reason;
import io.herald.core.model.Status;
import io.herald.core.model.Target;
import io.herald.core.policy.Verdict;
import io.herald.core.provider.ChannelProvider;
import io.herald.core.provider.OutboundMessage;
import io.herald.core.provider.SendResult;
import io.herald.core.queue.ClaimedDelivery;
import io.herald.core.queue.Transition;
import io.herald.core.retry.RetryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * One try at delivering one claimed notification, from checks to the typed outcome. Providers are tried
 * in failover order: a transient failure moves on to the next provider; a permanent rejection ends the
 * notification; when every provider failed, the retry policy decides between RETRYING and the dead letter.
 */
public final class DeliveryAttempt {

    private static final Logger log = LoggerFactory.getLogger(DeliveryAttempt.class);
    /** Where work that blocks goes when a provider answered on its I/O thread: a new virtual thread each time. */
    private static final Executor VIRTUAL = task -> Thread.ofVirtual().name("herald-attempt").start(task);

    private final ProviderRouter router;
    private final RetryPolicy retryPolicy;
    private final DispatchCheck check;
    private final DeviceDeactivator devices;
    private final DispatchListener listener;
    private final Clock clock;
    private final MessageShaper shaper;

    public DeliveryAttempt(ProviderRouter router, RetryPolicy retryPolicy, DispatchCheck check,
                           DeviceDeactivator devices, DispatchListener listener, Clock clock) {
        this(router, retryPolicy, check, devices, listener, clock, MessageShaper.NONE);
    }

    public DeliveryAttempt(ProviderRouter router, RetryPolicy retryPolicy, DispatchCheck check,
                           DeviceDeactivator devices, DispatchListener listener, Clock clock, MessageShaper shaper) {
        this.shaper = shaper;
        this.router = router;
        this.retryPolicy = retryPolicy;
        this.check = check;
        this.devices = devices;
        this.listener = listener;
        this.clock = clock;
    }

    /** Lets the check load what a claimed batch needs at once ({@link DispatchCheck#prepare}); never throws. */
    public void prepare(List<ClaimedDelivery> batch) {
        try {
            check.prepare(batch, clock.instant());
        } catch (RuntimeException e) {
            // each check loads its own data then: slower, same answers
            log.warn("preparing the checks of {} claimed deliveries failed: {}", batch.size(), e.toString());
        }
    }

    /**
     * Runs {@link #runAsync} and waits for its outcome: for tools and tests that deliver in the caller's thread.
     * Never throws a RuntimeException: whatever goes wrong becomes a stored outcome.
     */
    public Transition run(ClaimedDelivery d) {
        try {
            return runAsync(d).toCompletableFuture().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof Error error) throw error;
            throw e;
        }
    }

    /**
     * One attempt that holds no thread while a provider answers ({@link ChannelProvider#sendAsync}). Call it on a
     * virtual thread: checks and blocking providers run in the caller's thread. The stage never completes with a
     * RuntimeException (whatever goes wrong becomes a stored outcome, so a poison message cannot be reclaimed for
     * ever); only an {@link Error} completes it exceptionally.
     */
    public CompletionStage<Transition> runAsync(ClaimedDelivery d) {
        CompletionStage<Transition> stage;
        try {
            stage = attempt(d, clock.instant());
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(unexpected(d, e));
        }
        return stage.exceptionally(e -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof RuntimeException r) return unexpected(d, r);
            throw e instanceof CompletionException c ? c : new CompletionException(cause);
        });
    }

    private Transition unexpected(ClaimedDelivery d, RuntimeException e) {
        log.error("unexpected failure delivering notification {} (attempt {})", d.id(), d.attempt(), e);
        String failure = "unexpected " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return afterFailure(d, null, failure, null, true, clock.instant());
    }

    private CompletionStage<Transition> attempt(ClaimedDelivery d, Instant now) {
        Transition early = beforeSending(d, now);
        if (early != null) return CompletableFuture.completedFuture(early);
        List<ChannelProvider> providers = router.candidates(d.target());
        if (providers.isEmpty()) {
            return CompletableFuture.completedFuture(Transition.end(d, Status.FAILED, Reason.PROVIDER_ERROR, null,
                    "no provider is configured for " + describe(d.target()), now));
        }
        return tryProvider(d, shaper.shape(d.toMessage()), providers, 0, new Failures());
    }

    /** The outcome that ends the attempt before any provider is called, or null to send. */
    private Transition beforeSending(ClaimedDelivery d, Instant now) {
        if (d.reclaims() >= retryPolicy.maxReclaims()) {
            // its worker died (or hung past the lease) every time: do not hand it to another one
            return Transition.end(d, Status.FAILED, Reason.RETRIES_EXHAUSTED, null, "worker died " + d.reclaims()
                    + " times (its lease expired without an outcome each time); not sent again", now);
        }
        if (d.expiresAt() != null && !now.isBefore(d.expiresAt())) {
            return Transition.end(d, Status.EXPIRED, Reason.EXPIRED, null, "expired at " + d.expiresAt() + " before it could be sent", now);
        }
        if (d.target() == null) {
            return Transition.end(d, Status.CANCELLED, Reason.CANCELLED, null, "the recipient was erased", now);
        }
        if (!now.isBefore(deadline(d))) {
            return Transition.end(d, Status.FAILED, Reason.RETRIES_EXHAUSTED, null, "not delivered within the maximum age of "
                    + retryPolicy.maxAge() + " since it was due at " + dueSince(d), now);
        }
        return switch (check.check(d, now)) {
            case Verdict.Suppress s -> Transition.end(d, Status.SUPPRESSED, s.reason(), null, s.detail(), now);
            // a deferral is not a failed attempt: give the attempt back
            case Verdict.Defer defer -> Transition.giveBack(d, Status.SCHEDULED, null, defer.detail(), defer.until(), now);
            case Verdict.Proceed p -> null;
        };
    }

    /** What the providers tried so far said; touched by one stage at a time. */
    private static final class Failures {
        final StringBuilder text = new StringBuilder();
        SendResult.Failed last;
        String lastProvider;
        boolean anyAttempted;
    }

    /** Providers in failover order, from the index-th on: each one only after the previous one answered. */
    private CompletionStage<Transition> tryProvider(ClaimedDelivery d, OutboundMessage message, List<ChannelProvider> providers,
                                                    int index, Failures failures) {
        ChannelProvider provider = providers.get(index);
        boolean hasNext = index + 1 < providers.size();
        return call(provider, message, d).thenCompose(result -> {
            // the answer may come on the provider's I/O thread: what blocks (the device store, the next provider) goes
            // to a virtual thread; an accepted send, the common case, is finished right here
            if (Thread.currentThread().isVirtual() || !blocksAfter(result, d, hasNext)) {
                return outcome(d, message, providers, index, failures, result);
            }
            return CompletableFuture.supplyAsync(() -> outcome(d, message, providers, index, failures, result), VIRTUAL)
                    .thenCompose(Function.identity());
        });
    }

    private static boolean blocksAfter(SendResult result, ClaimedDelivery d, boolean hasNext) {
        return switch (result) {
            case SendResult.Accepted a -> false;
            case SendResult.Rejected r -> r.reason() == Reason.TOKEN_UNREGISTERED && d.target() instanceof Target.Device;
            case SendResult.Failed f -> hasNext;
        };
    }

    private CompletionStage<Transition> outcome(ClaimedDelivery d, OutboundMessage message, List<ChannelProvider> providers,
                                                int index, Failures failures, SendResult result) {
        ChannelProvider provider = providers.get(index);
        Instant done = clock.instant();
        String failover = failures.text.isEmpty() ? "" : "after failover (" + failures.text + "); ";
        switch (result) {
            case SendResult.Accepted a -> {
                Transition t = Transition.sent(d, provider.name(), a.providerMessageId(), a.receiptsFollow(), done);
                String detail = failover.isEmpty()
                        ? a.detail()
                        : failover.substring(0, failover.length() - 2) + (a.detail() == null ? "" : "; " + a.detail());
                return CompletableFuture.completedFuture(detail == null ? t : t.withDetail(detail));
            }
            case SendResult.Rejected r -> {
                if (r.reason() == Reason.TOKEN_UNREGISTERED && d.target() instanceof Target.Device dev && dev.deviceId() != null) {
                    Instant since = r.tokenInvalidSince() != null ? r.tokenInvalidSince() : done;
                    if (devices.deactivate(d.appId(), dev.deviceId(), since)) listener.deviceDeactivated(d.channel(), provider.name());
                }
                return CompletableFuture.completedFuture(
                        Transition.end(d, Status.FAILED, r.reason(), provider.name(), failover + nonNull(r.detail()), done));
            }
            case SendResult.Failed f -> {
                if (!failures.text.isEmpty()) failures.text.append("; ");
                String detail = nonNull(f.detail());
                // providers often name themselves already ("smtp: 421 ..."): say it once
                failures.text.append(detail.startsWith(provider.name() + ":") ? detail : provider.name() + ": " + detail);
                failures.last = f;
                failures.lastProvider = provider.name();
                failures.anyAttempted |= f.attempted();
                if (index + 1 < providers.size()) return tryProvider(d, message, providers, index + 1, failures);
                return CompletableFuture.completedFuture(afterFailure(d, failures.lastProvider, failures.text.toString(),
                        failures.last.retryAfter(), failures.anyAttempted, clock.instant()));
            }
        }
    }

    /**
     * RETRYING with backoff, or the dead letters when the attempts are used up or the next try would come after the
     * notification's maximum age. A try that never left Herald (every provider refused locally, e.g. an open circuit)
     * waits without using an attempt; the maximum age is what ends those.
     */
    private Transition afterFailure(ClaimedDelivery d, String provider, String failures, Duration retryAfter, boolean attempted,
                                    Instant now) {
        String last = attempted ? failures : failures + " (not attempted)";
        int attempts = attempted ? d.attempt() : d.attempt() - 1;
        Duration wait;
        if (attempted) {
            switch (retryPolicy.afterFailure(d.attempt(), retryAfter, ThreadLocalRandom.current())) {
                case RetryPolicy.Decision.RetryAfter r -> wait = r.delay();
                case RetryPolicy.Decision.GiveUp g -> {
                    return Transition.end(d, Status.FAILED, Reason.RETRIES_EXHAUSTED, provider,
                            "gave up after " + d.attempt() + " attempts; last: " + last, now);
                }
            }
        } else {
            wait = retryAfter != null ? retryAfter : retryPolicy.initialBackoff();
        }
        Instant retryAt = now.plus(wait);
        if (!retryAt.isBefore(deadline(d))) {
            return Transition.end(d, attempts, Status.FAILED, Reason.RETRIES_EXHAUSTED, provider,
                    "gave up: not delivered within the maximum age of "
                            + retryPolicy.maxAge() + " since it was due at " + dueSince(d) + "; last: " + last,
                    now);
        }
        return attempted
                ? Transition.retry(d, provider, last, retryAt, now)
                : Transition.giveBack(d, Status.RETRYING, provider, last, retryAt, now);
    }

    private Instant deadline(ClaimedDelivery d) {
        return dueSince(d).plus(retryPolicy.maxAge());
    }

    private static Instant dueSince(ClaimedDelivery d) {
        return d.dueSince() != null ? d.dueSince() : d.createdAt();
    }

    private CompletionStage<SendResult> call(ChannelProvider provider, OutboundMessage message, ClaimedDelivery d) {
        long start = System.nanoTime();
        CompletionStage<SendResult> stage;
        try {
            stage = provider.sendAsync(message);
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        if (stage == null) stage = CompletableFuture.completedFuture(null);
        return stage.handle((answer, thrown) -> {
            SendResult result = answer;
            if (thrown != null) {
                Throwable cause = thrown instanceof CompletionException && thrown.getCause() != null ? thrown.getCause() : thrown;
                if (cause instanceof Error error) throw error;
                log.warn("provider {} threw on notification {}: {}", provider.name(), d.id(), cause.toString());
                result = SendResult.failed(cause.getClass().getSimpleName() + ": " + cause.getMessage());
            } else if (result == null) {
                result = SendResult.failed("provider returned no result");
            }
            String outcome = switch (result) {
                case SendResult.Accepted a -> "accepted";
                case SendResult.Rejected r -> "rejected";
                case SendResult.Failed f -> "failed";
            };
            listener.providerCall(d.channel(), provider.name(), outcome, Duration.ofNanos(System.nanoTime() - start));
            return result;
        });
    }

    private static String describe(Target target) {
        return target instanceof Target.Device dev ? dev.platform() + " devices" : target.channel().name();
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}

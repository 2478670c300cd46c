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
import java.util.concurrent.ThreadLocalRandom;

/**
 * One try at delivering one claimed notification, from checks to the typed outcome. Providers are tried
 * in failover order: a transient failure moves on to the next provider; a permanent rejection ends the
 * notification; when every provider failed, the retry policy decides between RETRYING and the dead letter.
 */
public final class DeliveryAttempt {

    private static final Logger log = LoggerFactory.getLogger(DeliveryAttempt.class);

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

    /** Never throws: whatever goes wrong becomes a stored outcome, so a poison message cannot be reclaimed for ever. */
    public Transition run(ClaimedDelivery d) {
        try {
            return attempt(d, clock.instant());
        } catch (RuntimeException e) {
            log.error("unexpected failure delivering notification {} (attempt {})", d.id(), d.attempt(), e);
            String failure = "unexpected " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            return afterFailure(d, null, failure, null, true, clock.instant());
        }
    }

    private Transition attempt(ClaimedDelivery d, Instant now) {
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
        switch (check.check(d, now)) {
            case Verdict.Suppress s -> {
                return Transition.end(d, Status.SUPPRESSED, s.reason(), null, s.detail(), now);
            }
            case Verdict.Defer defer -> {
                // a deferral is not a failed attempt: give the attempt back
                return Transition.giveBack(d, Status.SCHEDULED, null, defer.detail(), defer.until(), now);
            }
            case Verdict.Proceed p -> {
            }
        }
        List<ChannelProvider> providers = router.candidates(d.target());
        if (providers.isEmpty()) {
            return Transition.end(d, Status.FAILED, Reason.PROVIDER_ERROR, null,
                    "no provider is configured for " + describe(d.target()), now);
        }
        OutboundMessage message = shaper.shape(d.toMessage());
        StringBuilder failures = new StringBuilder();
        SendResult.Failed lastFailure = null;
        String lastProvider = null;
        boolean anyAttempted = false;
        for (ChannelProvider provider : providers) {
            SendResult result = call(provider, message, d);
            Instant done = clock.instant();
            String failover = failures.isEmpty() ? "" : "after failover (" + failures + "); ";
            switch (result) {
                case SendResult.Accepted a -> {
                    Transition t = Transition.sent(d, provider.name(), a.providerMessageId(), done);
                    String detail = failover.isEmpty() ? a.detail()
                            : failover.substring(0, failover.length() - 2) + (a.detail() == null ? "" : "; " + a.detail());
                    return detail == null ? t : t.withDetail(detail);
                }
                case SendResult.Rejected r -> {
                    if (r.reason() == Reason.TOKEN_UNREGISTERED && d.target() instanceof Target.Device dev && dev.deviceId() != null) {
                        Instant since = r.tokenInvalidSince() != null ? r.tokenInvalidSince() : done;
                        if (devices.deactivate(d.appId(), dev.deviceId(), since)) listener.deviceDeactivated(d.channel(), provider.name());
                    }
                    return Transition.end(d, Status.FAILED, r.reason(), provider.name(), failover + nonNull(r.detail()), done);
                }
                case SendResult.Failed f -> {
                    if (!failures.isEmpty()) failures.append("; ");
                    String detail = nonNull(f.detail());
                    // providers often name themselves already ("smtp: 421 ..."): say it once
                    failures.append(detail.startsWith(provider.name() + ":") ? detail : provider.name() + ": " + detail);
                    lastFailure = f;
                    lastProvider = provider.name();
                    anyAttempted |= f.attempted();
                }
            }
        }
        return afterFailure(d, lastProvider, failures.toString(), lastFailure.retryAfter(), anyAttempted, clock.instant());
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
            return Transition.end(d, attempts, Status.FAILED, Reason.RETRIES_EXHAUSTED, provider, "gave up: not delivered within the maximum age of "
                    + retryPolicy.maxAge() + " since it was due at " + dueSince(d) + "; last: " + last, now);
        }
        return attempted ? Transition.retry(d, provider, last, retryAt, now)
                : Transition.giveBack(d, Status.RETRYING, provider, last, retryAt, now);
    }

    private Instant deadline(ClaimedDelivery d) {
        return dueSince(d).plus(retryPolicy.maxAge());
    }

    private static Instant dueSince(ClaimedDelivery d) {
        return d.dueSince() != null ? d.dueSince() : d.createdAt();
    }

    private SendResult call(ChannelProvider provider, OutboundMessage message, ClaimedDelivery d) {
        long start = System.nanoTime();
        SendResult result;
        try {
            result = provider.send(message);
            if (result == null) result = SendResult.failed("provider returned no result");
        } catch (RuntimeException e) {
            log.warn("provider {} threw on notification {}: {}", provider.name(), d.id(), e.toString());
            result = SendResult.failed(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        String outcome = switch (result) {
            case SendResult.Accepted a -> "accepted";
            case SendResult.Rejected r -> "rejected";
            case SendResult.Failed f -> "failed";
        };
        listener.providerCall(d.channel(), provider.name(), outcome, Duration.ofNanos(System.nanoTime() - start));
        return result;
    }

    private static String describe(Target target) {
        return target instanceof Target.Device dev ? dev.platform() + " devices" : target.channel().name();
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}

package io.herald.core.policy;

import io.herald.core.model.Reason;

import java.time.Instant;

/**
 * What a policy (preferences, per-user limits, the last check before sending) says about one notification:
 * go ahead, drop it with a reason, or hold it until a later time. Shared by intake, preference, ratelimit and
 * dispatch, so it lives in none of them.
 */
public sealed interface Verdict {
    Verdict PROCEED = new Proceed();

    record Proceed() implements Verdict {
    }

    record Suppress(Reason reason, String detail) implements Verdict {
    }

    record Defer(Instant until, String detail) implements Verdict {
    }
}

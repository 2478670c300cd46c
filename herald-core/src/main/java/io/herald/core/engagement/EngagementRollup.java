package io.herald.core.engagement;

/** Folds new history events into the analytics counters and the webhook outbox; safe to run on many nodes at once. */
@FunctionalInterface
public interface EngagementRollup {

    /** Folds up to {@code batch} events. @return how many: a full batch means there is more to do */
    int runOnce(int batch);
}

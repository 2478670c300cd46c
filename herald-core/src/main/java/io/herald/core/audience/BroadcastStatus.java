package io.herald.core.audience;

/** FANNING_OUT while notifications are still being created; COMPLETED once every recipient has theirs. */
public enum BroadcastStatus {
    FANNING_OUT, COMPLETED, CANCELLED
}

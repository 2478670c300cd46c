package io.herald.core.audience;

/**
 * FANNING_OUT while notifications are still being created; COMPLETED once every recipient has theirs; PAUSED (campaigns)
 * keeps its cursor until resumed.
 */
public enum BroadcastStatus {
    FANNING_OUT, PAUSED, COMPLETED, CANCELLED
}

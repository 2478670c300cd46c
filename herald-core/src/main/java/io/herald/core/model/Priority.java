package io.herald.core.model;

/**
 * Priority lanes. Each lane of a channel has its own workers, so HIGH (one-time codes, security)
 * never waits behind a NORMAL or LOW backlog.
 */
public enum Priority {
    HIGH, NORMAL, LOW
}

package io.herald.client.model;

/** Priority lane of a send: HIGH (one-time codes, security) is never queued behind NORMAL or LOW work. */
public enum Priority {
    HIGH, NORMAL, LOW
}

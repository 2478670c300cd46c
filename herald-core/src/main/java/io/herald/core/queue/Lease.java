package io.herald.core.queue;

/**
 * Who holds a queue entry, and for which attempt. An outcome is stored only while its lease still holds: a worker
 * whose lease expired and was taken over cannot overwrite the new owner's attempt (fencing).
 */
public record Lease(String owner, int attempt) {
}

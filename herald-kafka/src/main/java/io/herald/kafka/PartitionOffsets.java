package io.herald.kafka;

import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * The offsets of one partition taken by a lane and not committed yet. Messages finish in any order (a slow send
 * does not hold the others back), but the committed position only moves past an offset once it and every earlier
 * one is done: a crash re-reads exactly what was not finished. Thread-safe: outcomes arrive from the writer thread.
 */
final class PartitionOffsets {

    private final TreeSet<Long> pending = new TreeSet<>();
    private final Set<Long> done = new HashSet<>();
    private long commitPosition = -1;

    synchronized void taken(long offset) {
        pending.add(offset);
    }

    synchronized void done(long offset) {
        if (pending.contains(offset)) done.add(offset);
    }

    /** @return the position to commit (next offset to read) if it moved since the last call, else -1 */
    synchronized long advance() {
        long before = commitPosition;
        while (!pending.isEmpty() && done.remove(pending.first())) {
            commitPosition = pending.pollFirst() + 1;
        }
        return commitPosition != before ? commitPosition : -1;
    }

    /** Taken and not committable yet: buffered, in flight, or done behind an unfinished one. */
    synchronized int inFlight() {
        return pending.size();
    }
}

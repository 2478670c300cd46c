package io.herald.client.model;

import java.util.List;
import java.util.Optional;

/**
 * One page of a listing, newest first.
 *
 * @param nextCursor pass it as the cursor of the same query for the next page; null on the last page
 */
public record Page<T>(List<T> items, String nextCursor) {

    public Page {
        items = items == null ? List.of() : List.copyOf(items);
    }

    public boolean hasMore() {
        return nextCursor != null;
    }

    public Optional<String> next() {
        return Optional.ofNullable(nextCursor);
    }
}

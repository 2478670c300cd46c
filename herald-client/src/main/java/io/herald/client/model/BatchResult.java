package io.herald.client.model;

import java.util.List;

/** The answer to a batch send: one result per item, in the order of the request. */
public record BatchResult(List<BatchItemResult> results) {

    public BatchResult {
        results = List.copyOf(results);
    }

    /** How many items were accepted (now or before). */
    public long acceptedCount() {
        return results.stream().filter(BatchItemResult::accepted).count();
    }
}

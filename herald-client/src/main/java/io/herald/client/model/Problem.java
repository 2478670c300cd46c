package io.herald.client.model;

import java.util.List;

/**
 * An RFC 9457 problem as Herald answers it ({@code application/problem+json}), for a whole call or for one item
 * of a batch.
 *
 * @param type   a URI naming the kind of problem; {@code about:blank} when the status says it all
 * @param errors the invalid fields of a validation problem; empty otherwise
 */
public record Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors) {

    public Problem {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }
}

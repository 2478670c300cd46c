package io.herald.client.model;

/** One item of a bulk import, in request order: stored (201 created, 200 updated) or a problem for that item alone. */
public record ImportResult(int status, String userId, boolean created, Problem problem) {

    public boolean stored() {
        return problem == null;
    }
}

package io.herald.server.security;

import java.util.Set;

/** The client app a request acts for; every query of the request is scoped to {@code id}, every call to {@code scopes}. */
public record AppPrincipal(long id, String appKey, Set<Scope> scopes) {
    public AppPrincipal {
        scopes = Set.copyOf(scopes);
    }

    /** An app with every scope. */
    public AppPrincipal(long id, String appKey) {
        this(id, appKey, Scope.ALL);
    }

    public boolean may(Scope scope) {
        return scopes.contains(scope);
    }
}

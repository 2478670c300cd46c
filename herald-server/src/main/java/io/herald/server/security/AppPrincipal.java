package io.herald.server.security;

/** The client app a request acts for; every query of the request is scoped to {@code id}. */
public record AppPrincipal(long id, String appKey) {
}

package io.herald.server.security;

/** An operator account acting through the management API or the console. */
public record OperatorPrincipal(String username, Role role) {
}

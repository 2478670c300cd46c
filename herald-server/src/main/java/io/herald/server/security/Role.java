package io.herald.server.security;

/** Operator roles, each including the ones before it: VIEWER < EDITOR < PUBLISHER < ADMIN. */
public enum Role {
    VIEWER, EDITOR, PUBLISHER, ADMIN;

    public boolean includes(Role other) {
        return compareTo(other) >= 0;
    }
}

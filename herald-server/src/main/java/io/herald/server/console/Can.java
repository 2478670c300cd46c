package io.herald.server.console;

import io.herald.server.security.Role;

/** What the signed-in role may do, for hiding controls the server would refuse anyway. */
public record Can(Role role) {

    public boolean edit() {
        return role.includes(Role.EDITOR);
    }

    public boolean publish() {
        return role.includes(Role.PUBLISHER);
    }

    public boolean admin() {
        return role.includes(Role.ADMIN);
    }
}

package io.herald.core.user;

import io.herald.core.model.Target;

import java.util.List;
import java.util.Map;

/**
 * One user of a bulk import, already checked (email and phone valid, timezone an IANA zone). Like a PUT of the user,
 * it replaces contacts, locale, timezone and attributes; devices are registered (idempotently) and topics are
 * subscribed to (added to, never removed from), so sending the same import again changes nothing.
 */
public record ImportedUser(String userId, String email, String phone, String locale, String timezone,
                           Map<String, Object> attributes, List<Target.Device> devices, List<String> topics) {
    public ImportedUser {
        attributes = attributes == null ? Map.of() : attributes;
        devices = devices == null ? List.of() : List.copyOf(devices);
        topics = topics == null ? List.of() : List.copyOf(topics);
    }
}

package io.herald.client.model;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;

/**
 * One user of a bulk import ({@code POST /v1/users/batch}): replaces the profile like {@code putUser}, registers the
 * devices (idempotently) and subscribes to the topics (added to, never removed from).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImportedUser(String userId, String email, String phone, String locale, String timezone, Map<String, Object> attributes,
                           List<DeviceTarget> devices, List<String> topics) {

    public static ImportedUser of(String userId, UserProfile profile, List<DeviceTarget> devices, List<String> topics) {
        return new ImportedUser(userId, profile.email(), profile.phone(), profile.locale(), profile.timezone(), profile.attributes(),
                devices, topics);
    }
}

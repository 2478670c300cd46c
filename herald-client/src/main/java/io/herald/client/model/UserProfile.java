package io.herald.client.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code PUT /v1/users/{userId}} stores about a user: contacts, locale, timezone and free attributes.
 * The PUT replaces the profile: a field left null is cleared. Build it with {@link #builder()}.
 *
 * @param phone    any common notation; stored as E.164
 * @param locale   BCP 47, e.g. {@code ko-KR}
 * @param timezone an IANA zone, e.g. {@code Asia/Seoul} (quiet hours use it)
 */
public record UserProfile(String email, String phone, String locale, String timezone, Map<String, Object> attributes) {

    public UserProfile {
        attributes = attributes == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link UserProfile}; every field is optional. Not thread-safe. */
    public static final class Builder {
        private String email, phone, locale, timezone;
        private Map<String, Object> attributes;

        private Builder() {
        }

        public Builder email(String email) {
            this.email = email;
            return this;
        }

        public Builder phone(String phone) {
            this.phone = phone;
            return this;
        }

        public Builder locale(String locale) {
            this.locale = locale;
            return this;
        }

        public Builder timezone(String timezone) {
            this.timezone = timezone;
            return this;
        }

        public Builder attribute(String name, Object value) {
            if (attributes == null) attributes = new LinkedHashMap<>();
            attributes.put(name, value);
            return this;
        }

        public Builder attributes(Map<String, ?> attributes) {
            this.attributes = attributes == null ? null : new LinkedHashMap<>(attributes);
            return this;
        }

        public UserProfile build() {
            return new UserProfile(email, phone, locale, timezone, attributes);
        }
    }
}

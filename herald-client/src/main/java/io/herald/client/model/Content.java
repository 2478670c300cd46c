package io.herald.client.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Inline content of a send, instead of a template: each channel takes what it needs (push: title, body, url, data;
 * SMS: text; email: subject, html and/or text; in-app: title, body, url, data).
 *
 * @param data string key/values delivered with a push notification
 */
public record Content(String title, String body, String subject, String html, String text, String url, Map<String, String> data) {

    public Content {
        data = data == null ? null : Map.copyOf(data);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link Content}; every field is optional. Not thread-safe. */
    public static final class Builder {
        private String title, body, subject, html, text, url;
        private Map<String, String> data;

        private Builder() {
        }

        public Builder title(String title) {
            this.title = title;
            return this;
        }

        public Builder body(String body) {
            this.body = body;
            return this;
        }

        public Builder subject(String subject) {
            this.subject = subject;
            return this;
        }

        public Builder html(String html) {
            this.html = html;
            return this;
        }

        public Builder text(String text) {
            this.text = text;
            return this;
        }

        public Builder url(String url) {
            this.url = url;
            return this;
        }

        /** Adds one push data entry. */
        public Builder data(String key, String value) {
            if (data == null) data = new LinkedHashMap<>();
            data.put(key, value);
            return this;
        }

        public Builder data(Map<String, String> data) {
            this.data = data == null ? null : new LinkedHashMap<>(data);
            return this;
        }

        public Content build() {
            return new Content(title, body, subject, html, text, url, data);
        }
    }
}

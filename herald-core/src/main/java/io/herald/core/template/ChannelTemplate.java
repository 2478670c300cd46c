package io.herald.core.template;

import io.herald.core.model.Channel;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The source text of one channel's message in one locale. Every field is a Mustache template.
 * Which fields exist depends on the channel, so each channel has its own record.
 */
public sealed interface ChannelTemplate {

    Channel channel();

    /** Field name to source, in a stable order; null fields are left out. Names match the API's JSON. */
    Map<String, String> fields();

    /** The same template with each field replaced by {@code fields.get(name)}. */
    ChannelTemplate withFields(Map<String, String> fields);

    /** PUSH: a title and/or body, and an optional URL opened on tap. */
    record Push(String title, String body, String url) implements ChannelTemplate {
        public Channel channel() {
            return Channel.PUSH;
        }

        public Map<String, String> fields() {
            return ordered("title", title, "body", body, "url", url);
        }

        public Push withFields(Map<String, String> f) {
            return new Push(f.get("title"), f.get("body"), f.get("url"));
        }
    }

    /** SMS: plain text, never HTML-escaped. */
    record Sms(String text) implements ChannelTemplate {
        public Channel channel() {
            return Channel.SMS;
        }

        public Map<String, String> fields() {
            return ordered("text", text);
        }

        public Sms withFields(Map<String, String> f) {
            return new Sms(f.get("text"));
        }
    }

    /** EMAIL: a subject and an HTML and/or plain-text body. Only {@code html} HTML-escapes values. */
    record Email(String subject, String html, String text) implements ChannelTemplate {
        public Channel channel() {
            return Channel.EMAIL;
        }

        public Map<String, String> fields() {
            return ordered("subject", subject, "html", html, "text", text);
        }

        public Email withFields(Map<String, String> f) {
            return new Email(f.get("subject"), f.get("html"), f.get("text"));
        }
    }

    /**
     * IN_APP: a title and/or body, an optional URL the inbox opens, and optional data (string values, each a template)
     * handed to the app's own client. Data fields appear in {@link #fields()} as {@code data.<name>}.
     */
    record InApp(String title, String body, String url, Map<String, String> data) implements ChannelTemplate {
        public static final String DATA_PREFIX = "data.";

        public InApp {
            data = data == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(data));
        }

        public Channel channel() {
            return Channel.IN_APP;
        }

        public Map<String, String> fields() {
            Map<String, String> m = ordered("title", title, "body", body, "url", url);
            data.forEach((k, v) -> {
                if (v != null) m.put(DATA_PREFIX + k, v);
            });
            return m;
        }

        public InApp withFields(Map<String, String> f) {
            Map<String, String> d = new LinkedHashMap<>();
            f.forEach((k, v) -> {
                if (k.startsWith(DATA_PREFIX)) d.put(k.substring(DATA_PREFIX.length()), v);
            });
            return new InApp(f.get("title"), f.get("body"), f.get("url"), d);
        }
    }

    private static Map<String, String> ordered(String... namesAndValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) m.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return m;
    }
}

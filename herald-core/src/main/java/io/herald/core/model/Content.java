package io.herald.core.model;

import java.util.Map;

/**
 * Rendered content of one notification. Each channel reads the fields it needs:
 * PUSH title/body/url/data, SMS text, EMAIL subject/html/text, IN_APP title/body/url/data.
 */
public record Content(String title, String body, String subject, String html, String text, String url,
                      Map<String, String> data) {
    public Content {
        data = data == null ? Map.of() : Map.copyOf(data);
    }

    public static Content ofText(String text) {
        return new Content(null, null, null, null, text, null, Map.of());
    }

    /** The text of an SMS: explicit text, else the push body. */
    public String smsText() {
        return text != null ? text : body;
    }

    /** True when this content has what the channel needs to be delivered. */
    public boolean isSufficientFor(Channel channel) {
        return switch (channel) {
            case PUSH, IN_APP -> notBlank(title) || notBlank(body);
            case SMS -> notBlank(smsText());
            case EMAIL -> notBlank(subject) && (notBlank(html) || notBlank(text) || notBlank(body));
        };
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}

package io.herald.providers.email;

import io.herald.core.model.Content;

/**
 * The text and HTML alternatives of one email. Text is the explicit text, else derived from the HTML, else the
 * push-style body; html is null for a text-only message.
 */
record EmailBody(String text, String html) {

    static EmailBody of(Content content) {
        String html = blankToNull(content.html());
        String text = blankToNull(content.text());
        if (text == null) text = html != null ? HtmlToText.convert(html) : blankToNull(content.body());
        return new EmailBody(text == null ? "" : text, html);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}

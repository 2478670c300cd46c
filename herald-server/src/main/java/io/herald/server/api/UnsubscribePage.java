package io.herald.server.api;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.util.HtmlUtils;

/**
 * The small HTML pages a person sees after following an unsubscribe link. The confirmation page changes nothing:
 * its button POSTs back to the same URL (the form has no action, so it can go nowhere else). The pages load nothing,
 * cannot be framed, are not cached and send no Referer, since their URL holds the token.
 */
final class UnsubscribePage {

    private UnsubscribePage() {
    }

    static ResponseEntity<String> confirm(String category) {
        return page(200, "Unsubscribe", "Unsubscribe from " + what(category) + "?", """
                <form method="post">
                  <input type="hidden" name="List-Unsubscribe" value="One-Click">
                  <button type="submit">Unsubscribe</button>
                </form>""");
    }

    static ResponseEntity<String> done(String category) {
        return page(200, "Unsubscribed", "You are unsubscribed from " + what(category) + ".", "");
    }

    static ResponseEntity<String> invalid() {
        return page(404, "Link not valid", "This unsubscribe link is not valid. Nothing was changed.", "");
    }

    private static String what(String category) {
        return category == null ? "all email from this sender" : HtmlUtils.htmlEscape(category) + " email from this sender";
    }

    private static ResponseEntity<String> page(int status, String title, String message, String form) {
        String html = """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
                <meta name="robots" content="noindex"><title>%s</title>
                <style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem}button{font-size:1rem;padding:.5rem 1rem}</style>
                </head><body><h1>%s</h1><p>%s</p>%s</body></html>
                """
                .formatted(title, title, message, form);
        return ResponseEntity.status(status)
                .contentType(new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8))
                .cacheControl(CacheControl.noStore())
                .header("Content-Security-Policy",
                        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
                .header("Referrer-Policy", "no-referrer")
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .body(html);
    }
}

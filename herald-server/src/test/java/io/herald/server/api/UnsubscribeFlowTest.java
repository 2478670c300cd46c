package io.herald.server.api;

import io.herald.providers.email.HmacUnsubscribeLinks;
import io.herald.providers.email.SealedUnsubscribeLinks;
import io.herald.providers.email.UnsubscribeScope;
import io.herald.server.ServerTestBase;
import io.herald.server.config.NodeProperties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Unsubscribe links: a GET (a person, a mail scanner, a link preview) only shows a page; a POST (RFC 8058 one-click,
 * or the page's button) opts out. Tokens are opaque; links of the old readable format still work. Never a redirect.
 */
class UnsubscribeFlowTest extends ServerTestBase {

    private static final long APP_ID = 1; // the bootstrap app is the first app of this schema

    @Autowired
    SealedUnsubscribeLinks links;
    @Autowired
    NodeProperties node;

    String user;
    String email;

    @BeforeEach
    void user() {
        user = "u-" + UUID.randomUUID().toString().substring(0, 8);
        email = user + "@example.com"; // address opt-outs apply to every user with the address: one per test
        assertThat(call("PUT", "/v1/users/" + user, APP, "{\"email\":\"" + email + "\",\"timezone\":\"UTC\"}").status()).isEqualTo(201);
    }

    private String send(String category) {
        Reply r = call("POST", "/v1/notifications", APP, """
                {"eventId":"%s","userId":"%s","channels":["EMAIL"],"category":"%s","content":{"subject":"s","text":"t"}}"""
                .formatted(UUID.randomUUID(), user, category));
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        var n = r.body().get("notifications").get(0);
        return n.get("status").asString() + (n.has("reason") ? ":" + n.get("reason").asString() : "");
    }

    private HttpResponse<String> browser(String method, String path, String form) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(30))
                .header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8");
        if (form != null) b.header("Content-Type", "application/x-www-form-urlencoded");
        b.method(method, form == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(form));
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aGetShowsAConfirmationPageAndChangesNothing() {
        String path = "/v1/unsubscribe/" + links.seal(UnsubscribeScope.ofAddress(APP_ID, email, "social"));
        for (int i = 0; i < 3; i++) { // a scanner, a preview, a person
            HttpResponse<String> page = browser("GET", path, null);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
            assertThat(page.body()).contains("<form method=\"post\">", "List-Unsubscribe", "One-Click", "social").doesNotContain(email);
            assertThat(page.headers().firstValue("Location")).isEmpty();
            assertThat(page.headers().firstValue("Referrer-Policy")).contains("no-referrer");
            assertThat(page.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
        }
        assertThat(call("HEAD", path, null, null).status()).isEqualTo(200);
        assertThat(send("social")).isEqualTo("QUEUED");

        // the page's button: a form POST to the same URL
        HttpResponse<String> done = browser("POST", path, "List-Unsubscribe=One-Click");
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.body()).contains("You are unsubscribed");
        assertThat(done.headers().firstValue("Location")).isEmpty();
        assertThat(send("social")).isEqualTo("SUPPRESSED:OPTED_OUT");
        assertThat(send("transactional")).isEqualTo("QUEUED");
    }

    @Test
    void theOneClickPostOfAMailClientOptsOut() {
        String token = links.seal(UnsubscribeScope.ofUser(APP_ID, user, null));
        assertThat(token).doesNotContain(user);
        Reply r = call("POST", "/v1/unsubscribe/" + token, null, "List-Unsubscribe=One-Click", "application/x-www-form-urlencoded");
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.body().get("unsubscribed").asBoolean()).isTrue();
        assertThat(r.body().get("usersUpdated").asInt()).isEqualTo(1);
        assertThat(r.headers().firstValue("Location")).isEmpty();
        assertThat(send("social")).isEqualTo("SUPPRESSED:OPTED_OUT");
    }

    @Test
    void linksOfTheOldReadableFormatStillWork() throws IOException {
        byte[] secret = Base64.getDecoder().decode(Files.readString(node.dataDir().resolve("unsubscribe.key")).trim());
        String old = new HmacUnsubscribeLinks(secret, "http://localhost:" + port).sign(UnsubscribeScope.ofAddress(APP_ID, email, "social"));
        assertThat(browser("GET", "/v1/unsubscribe/" + old, null).statusCode()).isEqualTo(200);
        assertThat(send("social")).isEqualTo("QUEUED");
        Reply r = call("POST", "/v1/unsubscribe/" + old, null, "List-Unsubscribe=One-Click", "application/x-www-form-urlencoded");
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(send("social")).isEqualTo("SUPPRESSED:OPTED_OUT");
    }

    @Test
    void badTokensAre404AndChangeNothing() {
        String token = links.seal(UnsubscribeScope.ofAddress(APP_ID, email, "social"));
        String altered = token.substring(0, 10) + (token.charAt(10) == 'A' ? 'B' : 'A') + token.substring(11);
        HttpResponse<String> page = browser("GET", "/v1/unsubscribe/" + altered, null);
        assertThat(page.statusCode()).isEqualTo(404);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(browser("POST", "/v1/unsubscribe/" + altered, "List-Unsubscribe=One-Click").statusCode()).isEqualTo(404);
        Reply api = call("POST", "/v1/unsubscribe/" + altered, null, "List-Unsubscribe=One-Click", "application/x-www-form-urlencoded");
        assertThat(api.status()).isEqualTo(404);
        assertThat(api.contentType()).startsWith("application/problem+json");
        assertThat(send("social")).isEqualTo("QUEUED");
    }
}

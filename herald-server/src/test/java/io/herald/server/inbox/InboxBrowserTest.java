package io.herald.server.inbox;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.herald.server.ServerTestBase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code <herald-inbox>} component in a real chromium, on the demo page served from another origin
 * (127.0.0.1 against the API on localhost), so CORS is part of every call it makes.
 */
class InboxBrowserTest extends ServerTestBase {

    static Playwright playwright;
    static Browser browser;
    BrowserContext context;
    String user;

    @Autowired
    JdbcTemplate jdbc;

    @BeforeAll
    static void browser() {
        playwright = Browsers.playwright();
        browser = Browsers.chromium(playwright);
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) browser.close();
        if (playwright != null) playwright.close();
    }

    @BeforeEach
    void context() {
        context = browser.newContext();
        user = newUser();
    }

    @AfterEach
    void closeContext() {
        context.close();
    }

    String newUser() {
        String u = "u-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(call("PUT", "/v1/users/" + u, APP, "{}").status()).isEqualTo(201);
        return u;
    }

    String token(String userId) {
        return call("POST", "/v1/users/" + userId + "/inbox-token", APP, null).body().get("token").asString();
    }

    Page open(String token) {
        Page page = context.newPage();
        page.navigate("http://127.0.0.1:" + port + "/sdk/inbox-demo.html?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)
                + "&base-url=" + URLEncoder.encode("http://localhost:" + port, StandardCharsets.UTF_8));
        return page;
    }

    void send(String userId, String title) {
        Reply r = call("POST", "/v1/notifications", APP,
                """
                        {"eventId":"%s","userId":"%s","channels":["IN_APP"],"content":{"title":"%s","body":"Tap to see it","url":"https://example.com/x"}}"""
                        .formatted(UUID.randomUUID(), userId, title));
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
    }

    static Locator item(Page page, String title) {
        return page.locator("herald-inbox li[part=item]").filter(new Locator.FilterOptions().setHasText(title));
    }

    @Test
    void aSentMessageShowsWithinASecondAndReadingItClearsTheBadge() {
        Page page = open(token(user));
        page.locator("herald-inbox[live]").waitFor(); // the stream is connected
        Locator badge = page.locator("herald-inbox .badge");
        assertThat(badge).isHidden();

        long t0 = System.nanoTime();
        send(user, "Your latte is ready");
        item(page, "Your latte is ready").waitFor(
                new Locator.WaitForOptions().setState(com.microsoft.playwright.options.WaitForSelectorState.ATTACHED).setTimeout(1000));
        long ms = Duration.ofNanos(System.nanoTime() - t0).toMillis();
        System.out.println("inbox: send -> shown in the component in " + ms + " ms");
        assertThat(ms).as("send -> shown in the component").isLessThan(1000);
        assertThat(badge).hasText("1");

        page.locator("herald-inbox .bell").click();
        assertThat(item(page, "Your latte is ready")).hasClass("unread");
        item(page, "Your latte is ready").getByText("Mark read").click();
        assertThat(badge).isHidden();
        assertThat(item(page, "Your latte is ready")).hasClass("read");

        // the read went to the server: a fresh page shows it read, with no badge
        Page again = open(token(user));
        again.locator("herald-inbox[live]").waitFor();
        assertThat(again.locator("herald-inbox .badge")).isHidden();
        Long unread = jdbc.queryForObject("SELECT count(*) FROM inbox_items WHERE user_id = ? AND read_at IS NULL", Long.class, user);
        assertThat(unread).isZero();
    }

    @Test
    void anotherUsersTokenReadsNothing() {
        String other = newUser();
        Page mine = open(token(user));
        Page theirs = open(token(other));
        mine.locator("herald-inbox[live]").waitFor();
        theirs.locator("herald-inbox[live]").waitFor();
        send(user, "Only for the first user");
        item(mine, "Only for the first user")
                .waitFor(new Locator.WaitForOptions().setState(com.microsoft.playwright.options.WaitForSelectorState.ATTACHED));
        // by now the other page's stream would have had it too: it got nothing
        assertThat(theirs.locator("herald-inbox li[part=item]")).hasCount(0);
        assertThat(theirs.locator("herald-inbox .empty")).hasText("You have no notifications.");
        assertThat(theirs.locator("herald-inbox .badge")).isHidden();
    }

    @Test
    void anExpiredTokenIsRefused() {
        send(user, "Hidden behind an expired token");
        String expired = new InboxApiTestTokens(jdbc).expired(user);
        Page page = open(expired);
        assertThat(page.locator("#token")).hasAttribute("placeholder", java.util.regex.Pattern.compile("expired"));
        assertThat(page.locator("herald-inbox li[part=item]")).hasCount(0);
        assertThat(page.locator("herald-inbox[live]")).hasCount(0);
    }
}
